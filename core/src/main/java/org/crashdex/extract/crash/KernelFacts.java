package org.crashdex.extract.crash;

import java.util.List;
import org.crashdex.extract.ConsoleLine;

/**
 * What a crash report says about the machine and the task: the kernel release, the task that was
 * running, its CPU, the taint flags and the hardware, read from the lines every oops prints:
 *
 * <pre>
 * CPU: 1 PID: 8377 Comm: syz-executor.0 Not tainted 5.7.0-rc5-syzkaller #0
 * CPU: 0 UID: 0 PID: 5829 Comm: syz-executor Tainted: G        W          6.12.0-rc3-syzkaller-00044-gc964ced77262 #0
 * Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011
 * </pre>
 *
 * <p>Taint flags are single characters padded to fixed columns; they are normalised to single
 * spaces ("G        W" gives "G W"). "Not tainted" gives a null {@code tainted}.
 *
 * @param kernel the kernel release ("5.7.0-rc5-syzkaller"), or null
 * @param comm the task name, or null
 * @param pid the task's pid, or null
 * @param cpu the CPU the report was printed on, or null
 * @param tainted the taint flags ("G W"), or null when not tainted or unknown
 * @param hardware the "Hardware name:" value, or null
 * @param panicked whether the log says "Kernel panic - not syncing"
 */
public record KernelFacts(
    String kernel,
    String comm,
    Integer pid,
    Integer cpu,
    String tainted,
    String hardware,
    boolean panicked) {

  private static final String PANIC = "Kernel panic - not syncing";
  private static final String HARDWARE = "Hardware name: ";

  /**
   * Reads the facts of the report that starts at line {@code reportStart} (the oops line) of {@code
   * log}. The task and hardware lines are the first ones at or after the oops line; "panicked" looks
   * at the whole log, as syzkaller does.
   *
   * <pre>{@code KernelFacts k = KernelFacts.of(lines, oopsIndex); k.kernel(); k.tainted();}</pre>
   */
  public static KernelFacts of(List<ConsoleLine> log, int reportStart) {
    return of(log, reportStart, true);
  }

  /**
   * Same; without {@code readPanic}, "panicked" is left false and the walk ends once both the task
   * and the hardware line are found. {@link CrashReportParser} searches the whole log for the panic
   * line itself, so a search per line here would be done twice.
   */
  static KernelFacts of(List<ConsoleLine> log, int reportStart, boolean readPanic) {
    String taskLine = null;
    String hardware = null;
    boolean panicked = false;
    int i = 0;
    for (ConsoleLine line : log) {
      String text = line.text();
      if (readPanic) {
        if (!panicked && text.contains(PANIC)) {
          panicked = true;
        }
      } else if (taskLine != null && hardware != null) {
        break;
      }
      if (i >= reportStart) {
        if (taskLine == null && isTaskLine(text)) {
          taskLine = text;
        }
        if (hardware == null) {
          int h = text.indexOf(HARDWARE);
          if (h >= 0) {
            hardware = blankToNull(text.substring(h + HARDWARE.length()).strip());
          }
        }
      }
      i++;
    }
    return fromTaskLine(taskLine, hardware, panicked);
  }

  /**
   * Same as {@code of(lines, 0, false)} over lines {@code [from, to)} of {@code log} (their
   * prefixes read), cutting out only the task and hardware lines.
   */
  static KernelFacts of(LogLines log, int from, int to) {
    String text = log.text;
    String taskLine = null;
    String hardware = null;
    for (int i = from; i < to && (taskLine == null || hardware == null); i++) {
      int start = log.textStart(i);
      int end = log.contentEnd(i);
      if (taskLine == null
          && text.indexOf("Comm: ", start, end) >= 0
          && text.indexOf("PID: ", start, end) >= 0
          && text.indexOf("CPU: ", start, end) >= 0) {
        taskLine = text.substring(start, end);
      }
      if (hardware == null) {
        int h = text.indexOf(HARDWARE, start, end);
        if (h >= 0) {
          hardware = blankToNull(text.substring(h + HARDWARE.length(), end).strip());
        }
      }
    }
    return fromTaskLine(taskLine, hardware, false);
  }

  /**
   * Reads the facts of a report given as text (the whole log, or the report alone).
   *
   * <pre>{@code KernelFacts.of(reportText).comm()}</pre>
   */
  public static KernelFacts of(String text) {
    return of(text.lines().map(ConsoleLine::parse).toList(), 0);
  }

  private static boolean isTaskLine(String text) {
    return text.contains("Comm: ") && text.contains("PID: ") && text.contains("CPU: ");
  }

  private static KernelFacts fromTaskLine(String line, String hardware, boolean panicked) {
    if (line == null) {
      return new KernelFacts(null, null, null, null, null, hardware, panicked);
    }
    Integer cpu = numberAfter(line, "CPU: ");
    Integer pid = numberAfter(line, " PID: ");
    if (pid == null && line.startsWith("PID: ")) {
      pid = numberAfter(line, "PID: ");
    }
    int commStart = line.indexOf("Comm: ") + "Comm: ".length();
    int notTainted = line.indexOf(" Not tainted", commStart);
    int tainted = line.indexOf(" Tainted: ", commStart);
    int commEnd;
    String flags = null;
    int releaseStart;
    if (notTainted >= 0 && (tainted < 0 || notTainted < tainted)) {
      commEnd = notTainted;
      releaseStart = notTainted + " Not tainted".length();
    } else if (tainted >= 0) {
      commEnd = tainted;
      int[] end = new int[1];
      flags = taintFlags(line, tainted + " Tainted: ".length(), end);
      releaseStart = end[0];
    } else {
      // A truncated line: the name is the next word, nothing follows it.
      commEnd = line.indexOf(' ', commStart);
      if (commEnd < 0) {
        commEnd = line.length();
      }
      releaseStart = line.length();
    }
    // Kernels with a crash kernel loaded print " Kdump: loaded" between the name and the taint.
    int kdump = line.lastIndexOf(" Kdump: loaded", commEnd);
    if (kdump >= commStart) {
      commEnd = kdump;
    }
    String comm = blankToNull(line.substring(Math.min(commStart, commEnd), commEnd).strip());
    String kernel = release(line, releaseStart);
    return new KernelFacts(kernel, comm, pid, cpu, flags, hardware, panicked);
  }

  /**
   * The single-character taint flags from {@code from}, joined by single spaces; {@code end[0]}
   * receives the index of the first word that is not a flag (the release).
   */
  private static String taintFlags(String line, int from, int[] end) {
    StringBuilder flags = new StringBuilder();
    int n = line.length();
    int i = from;
    while (true) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int wordEnd = i;
      while (wordEnd < n && line.charAt(wordEnd) != ' ') {
        wordEnd++;
      }
      if (wordEnd - i == 1 && isFlag(line.charAt(i))) {
        if (!flags.isEmpty()) {
          flags.append(' ');
        }
        flags.append(line.charAt(i));
        i = wordEnd;
      } else {
        break;
      }
    }
    end[0] = i;
    return flags.isEmpty() ? null : flags.toString();
  }

  /** The first word at or after {@code from}, unless it is the "#N" build counter. */
  private static String release(String line, int from) {
    int n = line.length();
    int i = from;
    while (i < n && line.charAt(i) == ' ') {
      i++;
    }
    int e = i;
    while (e < n && line.charAt(e) != ' ') {
      e++;
    }
    if (e == i || line.charAt(i) == '#') {
      return null;
    }
    return line.substring(i, e);
  }

  private static Integer numberAfter(String line, String marker) {
    int at = line.indexOf(marker);
    if (at < 0) {
      return null;
    }
    int i = at + marker.length();
    int e = i;
    while (e < line.length() && e - i < 9 && line.charAt(e) >= '0' && line.charAt(e) <= '9') {
      e++;
    }
    return e == i ? null : Integer.valueOf(line.substring(i, e));
  }

  /** Taint flags are capital letters ("G", "W", "B", "L"…). */
  private static boolean isFlag(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
