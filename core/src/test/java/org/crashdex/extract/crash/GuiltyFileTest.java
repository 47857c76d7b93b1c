package org.crashdex.extract.crash;

import static org.crashdex.extract.crash.StackFramesTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuiltyFileTest {

  private static String guilty(String report) {
    return GuiltyFile.find(ReportText.lines(report), null);
  }

  @Test
  void helpersAreSkippedUntilTheFirstSubsystemFile() throws IOException {
    assertEquals("net/packet/af_packet.c", GuiltyFile.find(ReportText.report(ReportText.lines(fixture("x86-kasan.txt"))), null));
  }

  @Test
  void firstCandidateIsKeptWhenEveryFileIsIgnored() {
    assertEquals(
        "include/linux/spinlock.h",
        guilty(
            """
            BUG: spinlock bad magic on CPU#0
             spin_lock include/linux/spinlock.h:317 [inline]
             do_raw_spin_lock+0x1/0x2 kernel/locking/spinlock_debug.c:113
             __lock_acquire+0x1/0x2 lib/foo.c:1
            """));
  }

  @Test
  void libIsIgnoredOnlyAsAPrefix() {
    assertEquals(
        "driver/foo/lib/foo.c",
        guilty("WARNING: CPU: 2 PID: 1 at kernel/locking/lockdep.c:3344 f+0x1/0x2\n driver/foo/lib/foo.c:10\n"));
  }

  @Test
  void slabCommonIsIgnoredLikeSyzkallerDoes() {
    assertEquals(
        "fs/xattr.c",
        guilty("WARNING: CPU: 0 PID: 1 at mm/slab_common.c:1031 kmalloc_slab+0x1/0x2 mm/slab_common.c:1031\n"
            + " vmemdup_user+0x1/0x2 mm/util.c:200\n setxattr+0x1/0x2 fs/xattr.c:498\n"));
  }

  @Test
  void lockLinesAreNotCandidates() {
    assertEquals(
        "net/ipv4/tcp.c",
        guilty(
            """
            WARNING: inconsistent lock state
            hardirqs last  enabled at (123): [<ffffffff81234567>] foo+0x1/0x2 net/hard/irq.c:1
            softirqs last disabled at (124): [<ffffffff81234567>] bar+0x1/0x2 net/soft/irq.c:2
            {SOFTIRQ-ON-W} state was registered at:
              lock_acquire+0x1/0x2 kernel/locking/lockdep.c:1
            2 locks held by syz-executor/1:
             #0: ffff888000000000 (sk_lock-AF_INET){+.+.}, at: lock_sock include/net/sock.h:1 [inline]
             #1: ffff888000000001 (&x->lock){+.+.}-{2:2}, at: some_fn net/held/lock.c:5
            Call Trace:
             tcp_close+0x1/0x2 net/ipv4/tcp.c:2340
            """));
  }

  @Test
  void registerInformationLinesAreNotCandidates() {
    assertEquals(
        "fs/real.c",
        guilty("Unable to handle kernel paging request at virtual address 0\nRegister r1 information: net/reg/ister.c:1\n f+0x1/0x2 fs/real.c:3\n"));
  }

  @Test
  void aDeeperPathInTheWinnersDirectoryTakesOver() {
    assertEquals(
        "sound/core/oss/pcm_oss.c",
        guilty(
            """
            BUG: KASAN: use-after-free in snd_pcm_hw_params+0x1/0x2 sound/core/pcm_native.c:700
             snd_pcm_hw_params+0x1/0x2 sound/core/pcm_native.c:700
             snd_pcm_lib_read+0x1/0x2 sound/core/pcm_lib.c:2100
             snd_pcm_oss_change_params+0x1/0x2 sound/core/oss/pcm_oss.c:941
             sound_ioctl+0x1/0x2 sound/sound_core.c:1
             do_vfs_ioctl+0x1/0x2 fs/ioctl.c:46
            """));
  }

  @Test
  void aSiblingOrShallowerPathDoesNotTakeOver() {
    assertEquals(
        "fs/ext4/inode.c",
        guilty(" a+0x1/0x2 fs/ext4/inode.c:1\n b+0x1/0x2 fs/ext4/super.c:2\n c+0x1/0x2 fs/namei.c:3\n d+0x1/0x2 fs/ext4x/y/z.c:4\n"));
  }

  @Test
  void rcuStallsStartAtTheInterrupt() {
    String report =
        """
        rcu: INFO: rcu_preempt self-detected stall on CPU
         rcu_sched_clock_irq+0x1/0x2 kernel/rcu/tree.c:2500
         update_process_times+0x1/0x2 kernel/time/timer.c:1800
         tick_sched_timer+0x1/0x2 kernel/time/tick-sched.c:1400
         apic_timer_interrupt+0x8f/0xa0 arch/x86/entry/entry_64.S:920
         devlink_nl_cmd+0x1/0x2 net/core/devlink.c:9000
        """;
    assertEquals("net/core/devlink.c", GuiltyFile.find(ReportText.lines(report), "INFO: rcu detected stall in devlink_nl_cmd"));
    assertEquals("kernel/time/tick-sched.c", GuiltyFile.find(ReportText.lines(report), null));
  }

  @Test
  void questionableLinesAreSkipped() {
    assertEquals(
        "net/real/one.c",
        guilty("[  1.0] BUG: x\n[  1.1]  ? unsure+0x1/0x2 net/unsure/x.c:1\n[  1.2]  sure+0x1/0x2 net/real/one.c:2\n"));
  }

  @Test
  void ignoredFilesFollowSyzkallersPatterns() {
    for (String ignored :
        List.of(
            "mm/slab_common.c", "mm/slub.c", "mm/slab.c", "kernel/sched/core.c", "arch/x86/kernel/traps.c",
            "arch/arm64/kernel/entry-common.c", "arch/x86/kernel/unwind_orc.c", "arch/x86/lib/crc32.c",
            "kernel/printk/printk_safe.c", "net/core/dev.c", "lib/list_debug.c", "include/linux/fs.h",
            "kernel/rcu/tree.c", "mm/percpu-vm.c")) {
      assertTrue(GuiltyFile.ignoredFile(ignored), ignored);
    }
    for (String blamed :
        List.of(
            "net/core/devlink.c", "driver/foo/lib/foo.c", "fs/ext4/inode.c", "kernel/bpf/syscall.c",
            "arch/x86/kvm/x86.c", "mm/shmem.c", "sound/core/oss/pcm_oss.c", "kernel/time/hrtimer.c")) {
      assertFalse(GuiltyFile.ignoredFile(blamed), blamed);
    }
  }

  @Test
  void deeperMeansAtLeastOneMoreDirectory() {
    assertTrue(GuiltyFile.deeper("sound/core/oss/pcm_oss.c", "sound/core".length()));
    assertTrue(GuiltyFile.deeper("fs/ext4/a/b.c", "fs".length()));
    assertFalse(GuiltyFile.deeper("sound/core/pcm_lib.c", "sound/core".length()));
    assertFalse(GuiltyFile.deeper("fs/ext4x/y/z.c", "fs/ext4".length()));
    assertFalse(GuiltyFile.deeper("fs/ext4//z.c", "fs/ext4".length()));
  }

  @Test
  void noSourceFileGivesNull() {
    assertNull(guilty("BUG: unable to handle kernel paging request at 0\nIP: f+0x1/0x2\n"));
  }
}
