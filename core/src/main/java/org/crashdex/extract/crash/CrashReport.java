package org.crashdex.extract.crash;

import java.util.List;

/**
 * The fields of one crash report, as syzkaller/syzbot would name them.
 *
 * <p>Absent scalar fields are {@code null}; absent lists are empty, never {@code null}.
 *
 * @param title the syzbot-compatible title, e.g. "KASAN: use-after-free Read in tcp_close"
 * @param altTitles alternative titles a crash may join a bug by, without duplicates or the title
 * @param type the crash type, e.g. "KASAN-USE-AFTER-FREE-READ", "WARNING", "HANG", "UNKNOWN"
 * @param frame the function the title names (after its last " in "), or null
 * @param corrupted whether syzkaller would file the report as corrupted
 * @param frames every function of the report's call traces, in order, without offsets or suffixes
 * @param guiltyFile the source file syzkaller blames, or null
 * @param files the source files named in the traces, in order of first appearance
 * @param crashId lower-case hex SHA-1 of the title bytes: the syz-manager crash directory name
 * @param kernel the kernel release, e.g. "5.7.0-rc5-syzkaller"
 * @param comm the task name of the "CPU: N PID: N Comm: X" line
 * @param pid the pid of that line
 * @param cpu the cpu of that line
 * @param tainted the taint flags ("Not tainted" gives null; "Tainted: G W" gives "G W")
 * @param hardware the "Hardware name:" value
 * @param panicked whether the log says "Kernel panic - not syncing"
 */
public record CrashReport(
    String title,
    List<String> altTitles,
    String type,
    String frame,
    boolean corrupted,
    List<String> frames,
    String guiltyFile,
    List<String> files,
    String crashId,
    String kernel,
    String comm,
    Integer pid,
    Integer cpu,
    String tainted,
    String hardware,
    boolean panicked) {

  public CrashReport {
    altTitles = List.copyOf(altTitles);
    frames = List.copyOf(frames);
    files = List.copyOf(files);
  }
}
