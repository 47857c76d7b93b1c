package org.crashdex.extract.crash;

import java.util.List;
import java.util.regex.Pattern;
import org.crashdex.extract.crash.StackRecipe.Pick;

/**
 * The two extractors that do not simply take the first candidate (spec §4, lists A3 and A4).
 *
 * <p>A stall is reported from wherever the looping CPU happened to be, so the top frame is noise:
 * the stall extractor walks down to the first dispatch point it knows (a syscall entry, a work
 * item, a timer, a socket or file operation: an "anchor") and names the frame just above it, the
 * code that the dispatcher called and that never returned.
 *
 * <p>A hung task is a victim: it waits on a lock or a completion somebody else holds. The hung-task
 * extractor groups the two big buckets (rtnl_lock, synchronize_rcu and friends) and otherwise
 * names the first frame that is not a waiting primitive.
 */
final class FrameExtractors {
  private FrameExtractors() {}

  private static final Pattern STALL_ANCHORS =
      Pattern.compile(
          String.join(
              "|",
              // Dispatch.
              "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch",
              "tracesys_phase2", "el0_svc_handler", "invoke_syscall", "ret_fast_syscall",
              "netif_receive_skb", "do_softirq", "call_timer_fn", "_run_timers", "run_timer_softirq",
              "hrtimer_run", "run_ksoftirqd", "smpboot_thread_fn", "^kthread$", "start_secondary",
              "cpu_startup_entry", "ret_from_fork",
              // File operations.
              "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read",
              "do_iter_write", "call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write",
              "vfs_ioctl", "ksys_ioctl", "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl",
              "blkdev_ioctl", "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap",
              "do_dentry_open", "vfs_open",
              // Sockets.
              "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$",
              "kernel_setsockopt", "sock_common_setsockopt", "^listen$", "kernel_listen",
              "sk_common_release", "^sock_mmap", "^accept$", "kernel_accept", "^sock_do_ioctl",
              "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg",
              "^netlink_dump", "^(sys_)?(socketpair|connect|ioctl)",
              // Faults and exit work.
              "__do_fault", "do_page_fault", "^page_fault$", "__fput", "task_work_run",
              "exit_to_usermode", "smp_call_function", "tasklet_action", "tasklet_hi_action"));

  /** Anchor decisions, remembered per frame name like the skip list's. */
  private static final FrameSkips.Matcher ANCHORS = new FrameSkips.Matcher(STALL_ANCHORS);

  /** The stall extractor: the frame just above the first anchor, or the anchor when it is on top. */
  static final StackRecipe.Extractor STALL =
      frames -> {
        if (frames.isEmpty()) {
          return null;
        }
        int prev = 0;
        for (int i = 0; i < frames.size(); i++) {
          String frame = frames.get(i);
          if (ANCHORS.skips(frame)) {
            if (frame.contains("smp_call_function")) {
              return new Pick("smp_call_function", i);
            }
            return new Pick(frames.get(prev), prev);
          }
          prev = i;
        }
        return null;
      };

  private static final String[] HUNG_SKIPS = {
    "sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
    "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier"
  };

  private static final String[] SYNCHRONIZE = {
    "synchronize_rcu", "synchronize_srcu", "synchronize_net", "synchronize_sched"
  };

  /** The hung-task extractor (A4). */
  static final StackRecipe.Extractor HUNG_TASK =
      frames -> {
        for (int i = 0; i < frames.size(); i++) {
          String frame = frames.get(i);
          if (frame.contains("rtnl_lock")) {
            return new Pick(frame, i);
          }
          for (String s : SYNCHRONIZE) {
            if (frame.contains(s)) {
              return new Pick("synchronize_rcu", i);
            }
          }
        }
        nextFrame:
        for (int i = 0; i < frames.size(); i++) {
          String frame = frames.get(i);
          for (String s : HUNG_SKIPS) {
            if (frame.contains(s)) {
              continue nextFrame;
            }
          }
          return new Pick(frame, i);
        }
        return null;
      };

  static List<String> hungSkips() {
    return List.of(HUNG_SKIPS);
  }
}
