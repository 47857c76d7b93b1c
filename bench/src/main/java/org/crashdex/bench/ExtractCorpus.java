package org.crashdex.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The crash-report texts the extraction benchmark runs over: syzbot's published reports when a
 * directory of them is at hand, otherwise reports synthesised here in the same shape (symbolised
 * x86 KASAN, WARNING, general protection fault and hung-task reports with their register dumps,
 * inline frames and trailing disassembly), so that the benchmark runs anywhere.
 *
 * <p>Texts are kept as bytes: extraction starts from the bytes of a record, so decoding is part of
 * what is measured, in the benchmark and in its baseline alike.
 */
final class ExtractCorpus {
  private ExtractCorpus() {}

  /** The {@code corpus} parameter value that asks for synthesised reports. */
  static final String SYNTHETIC = "synthetic";

  /**
   * Up to {@code megabytes} of report texts: the {@code *.txt} files of {@code dir} in name order,
   * or synthesised reports when {@code dir} is {@link #SYNTHETIC} or not a directory. A directory
   * smaller than the budget is used once, not repeated: repeating would only measure the caches.
   */
  static List<byte[]> load(String dir, double megabytes) {
    long budget = (long) (megabytes * 1024 * 1024);
    if (!SYNTHETIC.equals(dir) && Files.isDirectory(Path.of(dir))) {
      List<byte[]> texts = fromDirectory(Path.of(dir), budget);
      if (!texts.isEmpty()) {
        return texts;
      }
    }
    return synthesise(budget, 20240601L);
  }

  /** True when {@link #load} would read {@code dir} rather than synthesise. */
  static boolean readsDirectory(String dir) {
    return !SYNTHETIC.equals(dir) && Files.isDirectory(Path.of(dir));
  }

  static long totalBytes(List<byte[]> texts) {
    long n = 0;
    for (byte[] t : texts) {
      n += t.length;
    }
    return n;
  }

  private static List<byte[]> fromDirectory(Path dir, long budget) {
    List<byte[]> texts = new ArrayList<>();
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
        if (total >= budget) {
          break;
        }
        byte[] bytes = Files.readAllBytes(file);
        texts.add(bytes);
        total += bytes.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }

  // ---- synthesis -------------------------------------------------------------------------------

  private static final String[] SUBSYSTEM_FRAMES = {
    "tcp_close net/ipv4/tcp.c", "inet_release net/ipv4/af_inet.c", "__sock_release net/socket.c",
    "packet_sendmsg net/packet/af_packet.c", "ext4_fill_super fs/ext4/super.c",
    "ext4_map_blocks fs/ext4/inode.c", "do_insert_tree fs/quota/quota_tree.c",
    "hif_usb_send drivers/net/wireless/ath/ath9k/hif_usb.c", "snd_pcm_hw_params sound/core/pcm_native.c",
    "nl80211_set_interface net/wireless/nl80211.c", "io_submit_sqes io_uring/io_uring.c",
    "bpf_prog_load kernel/bpf/syscall.c", "vfs_write fs/read_write.c", "do_mount fs/namespace.c",
    "tipc_sk_rcv net/tipc/socket.c", "xfrm_state_find net/xfrm/xfrm_state.c"
  };

  private static final String[] ENTRY_FRAMES = {
    "__do_sys_sendmsg net/socket.c", "__se_sys_ioctl fs/ioctl.c", "ksys_write fs/read_write.c",
    "do_syscall_x64 arch/x86/entry/common.c", "do_syscall_64 arch/x86/entry/common.c"
  };

  private static final String[] HELPER_FRAMES = {
    "__dump_stack lib/dump_stack.c", "dump_stack_lvl lib/dump_stack.c", "print_report mm/kasan/report.c",
    "kasan_report mm/kasan/report.c", "__kmalloc mm/slub.c", "kfree mm/slub.c", "lock_acquire kernel/locking/lockdep.c",
    "mutex_lock_nested kernel/locking/mutex.c", "__schedule kernel/sched/core.c"
  };

  /** Synthesised reports until {@code budget} bytes, from a fixed seed. */
  static List<byte[]> synthesise(long budget, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> texts = new ArrayList<>();
    long total = 0;
    while (total < budget) {
      byte[] bytes = report(random).getBytes(StandardCharsets.ISO_8859_1);
      texts.add(bytes);
      total += bytes.length;
    }
    return texts;
  }

  private static String report(SplittableRandom r) {
    StringBuilder b = new StringBuilder(8192);
    String victim = pick(r, SUBSYSTEM_FRAMES);
    String victimName = victim.substring(0, victim.indexOf(' '));
    String victimFile = victim.substring(victim.indexOf(' ') + 1);
    int pid = 1000 + r.nextInt(30000);
    int cpu = r.nextInt(2);
    b.append("syz-executor: ").append("program output before the crash ").append(r.nextInt(1000)).append('\n');
    switch (r.nextInt(4)) {
      case 0 -> {
        b.append("==================================================================\n");
        b.append("BUG: KASAN: slab-use-after-free in ").append(frame(r, victimName)).append(' ')
            .append(victimFile).append(':').append(line(r)).append('\n');
        b.append("Read of size 8 at addr ffff8880").append(hex(r, 8)).append(" by task syz-executor.")
            .append(r.nextInt(6)).append('/').append(pid).append("\n\n");
        taskLines(b, r, cpu, pid);
        callTrace(b, r, victimName, victimFile, true);
        b.append("\nAllocated by task ").append(pid - 3).append(":\n");
        stack(b, r, 6);
        b.append("\nFreed by task ").append(pid - 2).append(":\n");
        stack(b, r, 6);
        b.append("\nThe buggy address belongs to the object at ffff8880").append(hex(r, 8)).append('\n');
        b.append(" which belongs to the cache kmalloc-512 of size 512\n");
        b.append("Memory state around the buggy address:\n");
        for (int i = 0; i < 5; i++) {
          b.append(i == 2 ? '>' : ' ').append("ffff8880").append(hex(r, 8)).append(": fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb\n");
        }
        b.append("==================================================================\n");
      }
      case 1 -> {
        b.append("------------[ cut here ]------------\n");
        b.append("WARNING: CPU: ").append(cpu).append(" PID: ").append(pid).append(" at ").append(victimFile)
            .append(':').append(line(r)).append(' ').append(frame(r, victimName)).append('\n');
        b.append("Modules linked in:\n");
        taskLines(b, r, cpu, pid);
        rip(b, r, victimName, victimFile);
        callTrace(b, r, victimName, victimFile, false);
      }
      case 2 -> {
        b.append("Oops: general protection fault, probably for non-canonical address 0xdffffc0000000")
            .append(hex(r, 3)).append(": 0000 [#1] PREEMPT SMP KASAN\n");
        b.append("KASAN: null-ptr-deref in range [0x0000000000000").append(hex(r, 3)).append("-0x0000000000000")
            .append(hex(r, 3)).append("]\n");
        taskLines(b, r, cpu, pid);
        rip(b, r, victimName, victimFile);
        callTrace(b, r, victimName, victimFile, false);
        b.append("Modules linked in:\n---[ end trace 0000000000000000 ]---\n");
        rip(b, r, victimName, victimFile);
        b.append("Kernel panic - not syncing: Fatal exception\n");
      }
      default -> {
        b.append("INFO: task syz-executor.").append(r.nextInt(6)).append(':').append(pid)
            .append(" blocked for more than 143 seconds.\n");
        b.append("      Not tainted 6.1.0-rc1-syzkaller #0\n");
        b.append("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n");
        b.append("task:syz-executor.").append(r.nextInt(6)).append(" state:D stack:27000 pid:").append(pid)
            .append(" ppid:3600 flags:0x00004004\n");
        b.append("Call Trace:\n <TASK>\n");
        stack(b, r, 4);
        frameLine(b, r, victimName, victimFile);
        stack(b, r, 3);
        b.append(" </TASK>\n");
        b.append("\nShowing all locks held in the system:\n");
        b.append("1 lock held by khungtaskd/28:\n #0: ffffffff8c791f20 (rcu_read_lock){....}-{1:2}, at: ")
            .append("debug_show_all_locks+0x53/0x30d kernel/locking/lockdep.c:6494\n");
      }
    }
    b.append("----------------\nCode disassembly (best guess):\n");
    for (int i = 0; i < 12; i++) {
      b.append(String.format("  %2x:\t48 89 ef             \tmov    %%rbp,%%rdi%n", i * 3));
    }
    return b.toString();
  }

  private static void taskLines(StringBuilder b, SplittableRandom r, int cpu, int pid) {
    b.append("CPU: ").append(cpu).append(" PID: ").append(pid).append(" Comm: syz-executor.").append(r.nextInt(6))
        .append(r.nextBoolean() ? " Not tainted " : " Tainted: G        W          ").append("6.1.0-rc")
        .append(1 + r.nextInt(8)).append("-syzkaller #0\n");
    b.append("Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 10/26/2022\n");
  }

  private static void rip(StringBuilder b, SplittableRandom r, String name, String file) {
    b.append("RIP: 0010:").append(frame(r, name)).append(' ').append(file).append(':').append(line(r)).append('\n');
    b.append("Code: ");
    for (int i = 0; i < 64; i++) {
      b.append(i == 42 ? "<" : "").append(hex(r, 2)).append(i == 42 ? ">" : "").append(i < 63 ? " " : "\n");
    }
    b.append("RSP: 0018:ffffc900").append(hex(r, 8)).append(" EFLAGS: 00010246\n");
    String[] regs = {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R08", "R09", "R10", "R11", "R12", "R13", "R14", "R15"};
    for (int i = 0; i < regs.length; i += 3) {
      for (int k = i; k < i + 3 && k < regs.length; k++) {
        b.append(regs[k]).append(": ").append(hex(r, 16)).append(k < i + 2 ? " " : "\n");
      }
    }
    b.append("FS:  0000555556665300(0000) GS:ffff8880b9900000(0000) knlGS:0000000000000000\n");
    b.append("CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033\n");
  }

  private static void callTrace(StringBuilder b, SplittableRandom r, String name, String file, boolean kasan) {
    b.append("Call Trace:\n <TASK>\n");
    if (kasan) {
      for (String helper : new String[] {HELPER_FRAMES[0], HELPER_FRAMES[1], HELPER_FRAMES[2], HELPER_FRAMES[3]}) {
        frameLine(b, r, helper.substring(0, helper.indexOf(' ')), helper.substring(helper.indexOf(' ') + 1));
      }
    }
    frameLine(b, r, name, file);
    int depth = 6 + r.nextInt(14);
    for (int i = 0; i < depth; i++) {
      String f = pick(r, SUBSYSTEM_FRAMES);
      frameLine(b, r, f.substring(0, f.indexOf(' ')), f.substring(f.indexOf(' ') + 1));
    }
    for (String entry : ENTRY_FRAMES) {
      frameLine(b, r, entry.substring(0, entry.indexOf(' ')), entry.substring(entry.indexOf(' ') + 1));
    }
    b.append(" entry_SYSCALL_64_after_hwframe+0x63/0xcd\n");
    b.append("RIP: 0033:0x7f019e0").append(hex(r, 5)).append('\n');
    b.append("RSP: 002b:00007ffdd7fabed8 EFLAGS: 00000206 ORIG_RAX: 00000000000000a5\n");
    b.append(" </TASK>\n");
  }

  private static void stack(StringBuilder b, SplittableRandom r, int depth) {
    for (int i = 0; i < depth; i++) {
      String f = r.nextInt(3) == 0 ? pick(r, HELPER_FRAMES) : pick(r, SUBSYSTEM_FRAMES);
      frameLine(b, r, f.substring(0, f.indexOf(' ')), f.substring(f.indexOf(' ') + 1));
    }
  }

  private static void frameLine(StringBuilder b, SplittableRandom r, String name, String file) {
    if (r.nextInt(4) == 0) {
      b.append(' ').append(name).append("_inlined ").append(file).append(':').append(line(r)).append(" [inline]\n");
    }
    b.append(' ').append(frame(r, name)).append(' ').append(file).append(':').append(line(r)).append('\n');
  }

  private static String frame(SplittableRandom r, String name) {
    String suffix = r.nextInt(10) == 0 ? ".isra." + r.nextInt(9) : "";
    int size = 0x40 + r.nextInt(0x4000);
    return name + suffix + "+0x" + Integer.toHexString(r.nextInt(size)) + "/0x" + Integer.toHexString(size);
  }

  private static int line(SplittableRandom r) {
    return 1 + r.nextInt(6000);
  }

  private static String hex(SplittableRandom r, int digits) {
    StringBuilder s = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      s.append(Character.forDigit(r.nextInt(16), 16));
    }
    return s.toString();
  }

  private static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }
}
