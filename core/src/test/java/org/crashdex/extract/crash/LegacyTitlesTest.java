package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The titles of syzkaller's earlier parser, offered as alternatives next to today's. */
class LegacyTitlesTest {

  @Test
  void olderSkipListNamesTheFramesItsLaterAdditionsSkip() {
    String log =
        "general protection fault, probably for non-canonical address 0xdffffc00000000ba: 0000 [#1] PREEMPT SMP KASAN\n"
            + "KASAN: null-ptr-deref in range [0x00000000000005d0-0x00000000000005d7]\n"
            + "CPU: 0 PID: 3599 Comm: syz-executor058 Not tainted 5.16.0-rc4-syzkaller #0\n"
            + "RIP: 0010:__lock_acquire+0xd7d/0x54a0 kernel/locking/lockdep.c:4897\n"
            + "Call Trace:\n"
            + " <TASK>\n"
            + " lock_acquire+0x1ab/0x510 kernel/locking/lockdep.c:5604\n"
            + " _raw_spin_lock_irqsave+0x39/0x50 kernel/locking/spinlock.c:162\n"
            + " ref_tracker_alloc+0x17c/0x430 lib/ref_tracker.c:84\n"
            + " netdev_tracker_alloc include/linux/netdevice.h:3860 [inline]\n"
            + " ethnl_parse_header_dev_get+0x267/0x780 net/ethtool/netlink.c:145\n"
            + " ethnl_default_parse+0x8d/0x130 net/ethtool/netlink.c:316\n";
    CrashReport r = CrashReportParser.parse(log);
    // Today's list skips ref_tracker (and netdev_tracker_alloc is inlined into its caller's line).
    assertEquals("general protection fault in ethnl_parse_header_dev_get", r.title());
    assertTrue(r.altTitles().contains("general protection fault in ref_tracker_alloc"), r.altTitles().toString());
    // Entries the list had from the start still skip: the lock frames are never named.
    assertFalse(r.altTitles().contains("general protection fault in _raw_spin_lock_irqsave"), r.altTitles().toString());
    assertFalse(
        CrashReportParser.parse(log, false).altTitles().contains("general protection fault in ref_tracker_alloc"));
  }

  @Test
  void stallsOnceNamedTheFirstFrameTheSkipListLeft() {
    String log =
        "INFO: rcu_sched self-detected stall on CPU\n"
            + "\t0-...!: (124999 ticks this GP) idle=e9e/1/4611686018427387906 softirq=20143/20143 fqs=0 \n"
            + "Call Trace:\n"
            + " <IRQ>\n"
            + " hrtimer_interrupt+0x2f3/0x750 kernel/time/hrtimer.c:1518\n"
            + " smp_apic_timer_interrupt+0x15d/0x710 arch/x86/kernel/apic/apic.c:1050\n"
            + " apic_timer_interrupt+0xf/0x20 arch/x86/entry/entry_64.S:863\n"
            + " </IRQ>\n"
            + "RIP: 0010:lock_acquire+0x257/0x520 kernel/locking/lockdep.c:3923\n"
            + "RSP: 0018:ffff8801ac7178f0 EFLAGS: 00000286 ORIG_RAX: ffffffffffffff13\n"
            + " rcu_read_lock include/linux/rcupdate.h:632 [inline]\n"
            + " d_walk+0x49b/0xc80 fs/dcache.c:1303\n"
            + " shrink_dcache_parent+0x179/0x230 fs/dcache.c:1486\n"
            + " vfs_rmdir+0x202/0x470 fs/namei.c:3850\n"
            + " do_rmdir+0x523/0x610 fs/namei.c:3911\n"
            + " __x64_sys_rmdir+0x36/0x40 fs/namei.c:3927\n"
            + " do_syscall_64+0x1b1/0x800 arch/x86/entry/common.c:287\n"
            + " entry_SYSCALL_64_after_hwframe+0x49/0xbe\n";
    CrashReport r = CrashReportParser.parse(log);
    // The stall extractor looks for the syscall; the earlier parser took the first unskipped frame.
    assertEquals("INFO: rcu detected stall in sys_rmdir", r.title());
    assertTrue(r.altTitles().contains("INFO: rcu detected stall in d_walk"), r.altTitles().toString());
    assertFalse(CrashReportParser.parse(log, false).altTitles().contains("INFO: rcu detected stall in d_walk"));
  }

  @Test
  void hungTasksOnceSkippedTheExtractorsWordsWithoutItsPreferences() {
    String log =
        "INFO: task syz-executor7:12345 blocked for more than 140 seconds.\n"
            + "      Not tainted 4.17.0-rc1+ #1\n"
            + "Call Trace:\n"
            + " context_switch kernel/sched/core.c:2800 [inline]\n"
            + " __schedule+0x8eb/0x2060 kernel/sched/core.c:3376\n"
            + " schedule+0xf5/0x430 kernel/sched/core.c:3435\n"
            + " __mutex_lock+0xaad/0x1a80 kernel/locking/mutex.c:893\n"
            + " mutex_lock_nested+0x16/0x20 kernel/locking/mutex.c:908\n"
            + " rtnl_lock+0x17/0x20 net/core/rtnetlink.c:74\n"
            + " bpf_exit_net+0x1a2/0x340 net/sched/act_bpf.c:408\n"
            + " cleanup_net+0x5c7/0xb60 net/core/net_namespace.c:484\n"
            + " process_one_work+0xbfd/0x1bc0 kernel/workqueue.c:2113\n";
    CrashReport r = CrashReportParser.parse(log);
    // Today's extractor prefers rtnl_lock; the earlier parser skipped it like any "_lock" frame.
    assertEquals("INFO: task hung in rtnl_lock", r.title());
    assertTrue(r.altTitles().contains("INFO: task hung in bpf_exit_net"), r.altTitles().toString());
    // The scheduler frames on top are never named.
    assertFalse(r.altTitles().contains("INFO: task hung in context_switch"), r.altTitles().toString());
  }

  @Test
  void lockOrderWarningsOnceNamedTheLockBeingAcquired() {
    String log =
        "=====================================================\n"
            + "WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected\n"
            + "5.6.0-syzkaller #0 Not tainted\n"
            + "-----------------------------------------------------\n"
            + "syz-executor428/8337 [HC0[0]:SC0[0]:HE0:SE1] is trying to acquire:\n"
            + "ffff8880a851c778 (&info->lock){....}-{2:2}, at: shmem_uncharge+0x24/0x270 mm/shmem.c:341\n"
            + "\n"
            + "and this task is already holding:\n"
            + "ffff8880a851cac8 (&xa->xa_lock#4){..-.}-{2:2}, at: split_huge_page_to_list+0xad0/0x33b0 mm/huge_memory.c:2864\n"
            + "which would create a new lock dependency:\n"
            + "the dependencies between SOFTIRQ-irq-safe lock and the holding lock:\n"
            + "-> (&xa->xa_lock#4){..-.}-{2:2} {\n"
            + "   IN-SOFTIRQ-W at:\n"
            + "                    lock_acquire+0x1f2/0x8f0 kernel/locking/lockdep.c:4484\n"
            + "                    test_clear_page_writeback+0x1d8/0x11e0 mm/page-writeback.c:2728\n"
            + "                    end_page_writeback+0x239/0x520 mm/filemap.c:1317\n"
            + "the dependencies between the lock to be acquired and SOFTIRQ-irq-unsafe lock:\n"
            + "-> (&info->lock){....}-{2:2} {\n"
            + "   INITIAL USE at:\n"
            + "                     lock_acquire+0x1f2/0x8f0 kernel/locking/lockdep.c:4484\n"
            + "                     shmem_getpage_gfp+0x937/0x2a10 mm/shmem.c:1882\n"
            + "                     shmem_fault+0x1e2/0x720 mm/shmem.c:2072\n"
            + "stack backtrace:\n"
            + "Call Trace:\n"
            + " dump_stack+0x188/0x20d lib/dump_stack.c:118\n"
            + " shmem_uncharge+0x24/0x270 mm/shmem.c:341\n"
            + " split_huge_page_to_list+0x1b3c/0x33b0 mm/huge_memory.c:2880\n";
    CrashReport r = CrashReportParser.parse(log);
    assertTrue(r.title().startsWith("possible deadlock in "), r.title());
    assertTrue(r.altTitles().contains("possible deadlock in shmem_uncharge"), r.altTitles().toString());
    assertFalse(CrashReportParser.parse(log, false).altTitles().contains("possible deadlock in shmem_uncharge"));
  }
}
