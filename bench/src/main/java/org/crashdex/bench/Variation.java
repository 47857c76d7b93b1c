package org.crashdex.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fresh values one generated record uses in place of the sample's: each original commit,
 * signature, pid and function name maps to one new value until {@link #nextRecord()}, so a copy of a
 * bisection names the same culprit everywhere and a copy of a crash names the same function in its
 * title and its frames. Unkeyed values (addresses, frame offsets, line numbers) are drawn afresh
 * every time.
 */
final class Variation {
  private static final String[] SUBSYSTEM = {
    "tty", "hci", "io", "ext4", "xfs", "btrfs", "nf", "tcp", "udp", "usb", "kvm", "bpf", "sctp", "rds",
    "nfc", "l2cap", "sco", "ieee80211", "ath9k", "vhost", "fuse", "f2fs", "ntfs3", "hfsplus", "jfs",
    "gfs2", "ocfs2", "reiserfs", "mptcp", "tipc", "smc", "rxrpc", "can", "j1939", "xsk", "netlink",
    "drm", "fbcon", "snd_seq", "media", "v4l2", "blk", "nbd", "loop", "dm", "md", "zram", "shmem",
    "hugetlb", "mm", "folio", "page", "slab", "rcu", "perf", "ftrace", "cgroup", "sched", "futex"
  };
  private static final String[] VERB = {
    "release", "open", "close", "submit", "free", "alloc", "get", "put", "map", "unmap", "read",
    "write", "flush", "sync", "lookup", "insert", "remove", "attach", "detach", "init", "exit",
    "queue", "dequeue", "handle", "process", "commit", "abort", "destroy", "create", "update",
    "validate", "copy", "clone", "merge", "split", "pin", "unpin", "lock", "unlock", "wake"
  };
  private static final String[] OBJECT = {
    "buffer", "buffers", "page", "pages", "skb", "inode", "dentry", "sock", "request", "urb", "ctx",
    "entry", "node", "tree", "chunk", "block", "extent", "frame", "queue", "work", "timer", "ring",
    "table", "map", "bucket", "object", "range", "region", "segment", "state", "session", "xattr"
  };
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SplittableRandom random;
  private final Map<String, String> commits = new HashMap<>();
  private final Map<String, String> signatures = new HashMap<>();
  private final Map<String, Integer> pids = new HashMap<>();
  private final Map<String, String> functions = new HashMap<>();

  Variation(SplittableRandom random) {
    this.random = random;
  }

  SplittableRandom random() {
    return random;
  }

  /** Forgets the keyed values: the next record gets its own commits, pids and functions. */
  void nextRecord() {
    commits.clear();
    signatures.clear();
    pids.clear();
    functions.clear();
  }

  String commit(String key) {
    return commits.computeIfAbsent(key, k -> hexString(40));
  }

  String signature(String original) {
    return signatures.computeIfAbsent(original, k -> hexString(64));
  }

  int pid(String original) {
    return pids.computeIfAbsent(original, k -> 1000 + random.nextInt(29000));
  }

  /**
   * A made-up but kernel-shaped name ("__xfs_unpin_pages"), kept for the record. Generic frames
   * (dump_stack, kthread…) are not in the template's function set and never reach here.
   */
  String function(String original) {
    return functions.computeIfAbsent(original, k -> newFunctionName());
  }

  String newFunctionName() {
    StringBuilder sb = new StringBuilder(32);
    if (random.nextInt(5) == 0) {
      sb.append("__");
    }
    sb.append(SUBSYSTEM[random.nextInt(SUBSYSTEM.length)])
        .append('_')
        .append(VERB[random.nextInt(VERB.length)]);
    if (random.nextInt(3) != 0) {
      sb.append('_').append(OBJECT[random.nextInt(OBJECT.length)]);
    }
    return sb.toString();
  }

  int sourceLine() {
    return 20 + random.nextInt(4000);
  }

  void frameOffset(ByteSink out) {
    int size = 0x40 + random.nextInt(0x1800);
    int offset = 1 + random.nextInt(size - 1);
    out.ascii("+0x");
    out.hex(offset);
    out.ascii("/0x");
    out.hex(size);
  }

  void hex(ByteSink out, int digits) {
    long bits = random.nextLong();
    for (int k = 0; k < digits; k++) {
      if (k == 16) {
        bits = random.nextLong();
      }
      out.ascii(HEX[(int) (bits >>> ((k & 15) * 4)) & 15]);
    }
  }

  String hexString(int digits) {
    char[] c = new char[digits];
    long bits = 0;
    for (int k = 0; k < digits; k++) {
      if ((k & 15) == 0) {
        bits = random.nextLong();
      }
      c[k] = HEX[(int) (bits >>> ((k & 15) * 4)) & 15];
    }
    return new String(c);
  }
}
