package org.crashdex.extract.crash;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.crashdex.extract.ConsoleLine;

/**
 * The source file syzkaller blames for a crash: the file whose maintainers get the report.
 *
 * <p>The rule (spec §9, list A8) walks the symbolised report from its oops line. On each line the
 * first "path.c:N" or "path.h:N" is a candidate. Files that are everybody's helpers (headers, lib/,
 * locking, the scheduler, the allocators, KASAN, arch trap and fault handlers, the core of the
 * network stack …) and lines that only describe locks ("hardirqs last enabled at", ", at: ",
 * "#0:" lock lists, "Register rN information") are passed over. The first candidate left wins; when
 * none is left, the very first candidate is returned so that a report always has someone to go to.
 *
 * <p>After the winner, a later candidate that lies deeper in the winner's own directory replaces it
 * ("sound/core/pcm_native.c" gives way to "sound/core/oss/pcm_oss.c"): a subsystem's core calling
 * into one of its drivers usually means the driver is at fault. For RCU stalls the walk starts at
 * the interrupt that reported the stall, because the frames above it are the stall machinery.
 */
public final class GuiltyFile {
  private GuiltyFile() {}

  /**
   * Files never blamed (A8). These are syzkaller's regular expressions, all anchored at the start
   * of the path and matched as prefixes, with their dots unescaped as there ('.' is any character,
   * ".*" any run): "mm/sl.b.c" also passes over mm/slab_common.c, and the test data expects exactly
   * that. syzkaller's unanchored ".*\\.h" is {@link #ignoredFile}'s contains(".h"). They are matched
   * by {@link #prefixMatches} rather than java.util.regex: a 40-way alternation tried on every
   * candidate cost more than the rest of the guilty-file search.
   */
  private static final String[] IGNORED_FILES = {
    "lib/", "virt/lib/", "mm/kasan/", "mm/kmsan/", "kernel/rcu/", "kernel/locking/", "trusty/",
    "kernel/sched/.*.c", "mm/percpu", "kernel/kcov.c", "mm/sl.b.c",
    "mm/filemap.c", "mm/folio-compat.c", "mm/truncate.c", "mm/memory.c", "mm/vmalloc.c",
    "mm/page_alloc.c", "mm/mempool.c", "mm/util.c",
    "arch/.*/kernel/traps.c", "arch/.*/kernel/unwind.*.c", "arch/.*/kernel/stacktrace.c",
    "arch/.*/kernel/apic/apic.c", "arch/.*/mm/fault.c", "arch/.*/mm/physaddr.c",
    "arch/arm64/kernel/entry.*.c", "arch/arm64/kernel/process.c", "arch/.*/lib/crc",
    "kernel/panic.c", "kernel/printk/printk.*.c", "kernel/softirq.c", "kernel/kthread.c",
    "kernel/stacktrace.c", "kernel/time/timer.c", "kernel/workqueue.c",
    "net/core/dev.c", "net/core/sock.c", "net/core/skbuff.c", "fs/proc/generic.c",
    "drivers/usb/core/urb.c",
  };

  /** Lines whose file names say where a lock was taken, not where the bug is. */
  private static final Pattern IGNORED_LINE =
      Pattern.compile(
          "(?:hardirqs|softirqs)\\s+last\\s+(?:enabled|disabled)|,\\s*at: |^\\s*#[0-9]+:|Register r[0-9]+ information");

  /** Longer "paths" are not candidates: real kernel source paths stay far below this. */
  static final int MAX_PATH = 1024;

  /** Where an RCU stall's own stack starts, in order of preference. */
  private static final String[] STALL_INTERRUPTS = {"apic_timer_interrupt+0x", "el1h_64_irq+0x", "Exception stack"};

  /**
   * The guilty file of a report, or null when no line names a source file.
   *
   * <p>{@code report} is the report text as syzkaller saves it: from the oops line on, without the
   * prefix lines before it (questionable lines are skipped here in any case). {@code title} may be
   * null; it is only consulted to recognise RCU stalls ("INFO: rcu detected stall…").
   *
   * <pre>{@code String file = GuiltyFile.find(reportLines, title); // "net/ipv6/ip6_output.c"}</pre>
   */
  public static String find(List<ConsoleLine> report, String title) {
    // The lines joined into one text, read by ranges as the parser's lines are.
    StringBuilder text = new StringBuilder();
    int[] from = new int[report.size()];
    int[] to = new int[report.size()];
    int n = 0;
    for (ConsoleLine line : report) {
      if (line.text().startsWith(StackFrames.DISASSEMBLY)) {
        break;
      }
      if (!line.questionable()) {
        from[n] = text.length();
        text.append(line.text());
        to[n++] = text.length();
        text.append('\n');
      }
    }
    return find(text.toString(), from, to, n, title);
  }

  /**
   * Same, for the report lines of a log text: line {@code i} is {@code log.text} from {@code
   * log.textStart(lines[i])} to {@code log.contentEnd(lines[i])}.
   */
  static String find(LogLines log, int[] lines, String title) {
    int[] from = new int[lines.length];
    int[] to = new int[lines.length];
    int n = 0;
    String text = log.text;
    for (int line : lines) {
      int start = log.textStart(line);
      int end = log.contentEnd(line);
      if (text.startsWith(StackFrames.DISASSEMBLY, start) && end - start >= StackFrames.DISASSEMBLY.length()) {
        break;
      }
      if (!log.questionable(line)) {
        from[n] = start;
        to[n++] = end;
      }
    }
    return find(text, from, to, n, title);
  }

  /**
   * Same, from the candidates a walk over the same lines gathered ({@link StackFrames#of(LogLines,
   * int[], Candidates)}): the walk is not made twice. An RCU stall, whose search starts inside a
   * line, walks the lines again.
   */
  static String find(LogLines log, int[] lines, String title, Candidates candidates) {
    if (isRcuStall(title)) {
      return find(log, lines, title);
    }
    return candidates.guilty();
  }

  private static boolean isRcuStall(String title) {
    return title != null && title.startsWith("INFO: rcu detected stall");
  }

  /** The guilty file of the report whose lines (questionable ones dropped) are {@code text[from[i], to[i])}, i &lt; n. */
  private static String find(String text, int[] from, int[] to, int n, String title) {
    if (isRcuStall(title)) {
      for (String interrupt : STALL_INTERRUPTS) {
        for (int i = 0; i < n; i++) {
          int pos = text.indexOf(interrupt, from[i], to[i]);
          if (pos >= 0) {
            int[] tailFrom = Arrays.copyOfRange(from, i, n);
            int[] tailTo = Arrays.copyOfRange(to, i, n);
            tailFrom[0] = pos;
            String file = fromLines(text, tailFrom, tailTo, n - i);
            if (file != null) {
              return file;
            }
            break;
          }
        }
      }
    }
    return fromLines(text, from, to, n);
  }

  private static String fromLines(String text, int[] from, int[] to, int n) {
    Candidates candidates = new Candidates(text);
    for (int i = 0; i < n; i++) {
      candidates.offer(from[i], to[i]);
    }
    return candidates.guilty();
  }

  /**
   * The candidates of a report's lines, offered in order: the lines that name a file, and where.
   * Most lines name none, and the choice among the rest reads each at most once.
   */
  static final class Candidates {
    private final String text;
    private int count;
    private int[] lineFrom;
    private int[] lineTo;
    /** Per candidate, {@link #candidateRange}. */
    private long[] ranges;
    /**
     * Per candidate, whether its path is clean ({@link #isClean}), when the offer knew: {@link
     * #CLEAN}, {@link #UNCLEAN}, or 0 when not known (then it is looked at when needed).
     */
    private byte[] pathStates;

    private static final byte CLEAN = 1;
    private static final byte UNCLEAN = 2;

    Candidates(String text) {
      this(text, 16);
    }

    /**
     * Candidates sized for {@code lines} offers: the parser offers at most one per report line, so
     * sized from the report the arrays never grow (growing them from 16, copies included, was a
     * visible part of the parser's allocation).
     */
    Candidates(String text, int lines) {
      this.text = text;
      int capacity = Math.max(1, lines);
      lineFrom = new int[capacity];
      lineTo = new int[capacity];
      ranges = new long[capacity];
      pathStates = new byte[capacity];
    }

    /** Offers the line {@code text[from, to)}, a line that is not questionable. */
    void offer(int from, int to) {
      offer(from, to, candidateRange(text, from, to));
    }

    /** Same, where the line's {@link #candidateRange} is known: {@code range}. */
    void offer(int from, int to, long range) {
      offer(from, to, range, (byte) 0);
    }

    /** Same, also knowing whether the candidate's path is clean ({@link #isClean}). */
    void offer(int from, int to, long range, boolean clean) {
      offer(from, to, range, clean ? CLEAN : UNCLEAN);
    }

    private void offer(int from, int to, long range, byte pathState) {
      if (range < 0) {
        return;
      }
      if (count == ranges.length) {
        lineFrom = Arrays.copyOf(lineFrom, count * 2);
        lineTo = Arrays.copyOf(lineTo, count * 2);
        ranges = Arrays.copyOf(ranges, count * 2);
        pathStates = Arrays.copyOf(pathStates, count * 2);
      }
      lineFrom[count] = from;
      lineTo[count] = to;
      pathStates[count] = pathState;
      ranges[count++] = range;
    }

    /** The guilty file among the lines offered, or null. */
    String guilty() {
      String guilty = null;
      int i = 0;
      for (; i < count; i++) {
        String file = text.substring((int) (ranges[i] >>> 32), (int) ranges[i]);
        if (guilty == null) {
          guilty = file; // the fallback: better a helper's file than nobody to mail
        }
        if (!ignored(file, text, lineFrom[i], lineTo[i])) {
          guilty = StackFrames.cleanPath(file);
          i++;
          break;
        }
      }
      if (guilty == null) {
        return null;
      }
      String deepest = parent(guilty);
      for (; i < count; i++) {
        int start = (int) (ranges[i] >>> 32);
        int end = (int) ranges[i];
        // The cheap tests first, in place in the line: most later files lie elsewhere, and cutting
        // each out, and the ignore lists, cost more.
        boolean inPlace = pathStates[i] == 0 ? isClean(text, start, end) : pathStates[i] == CLEAN;
        if (inPlace
            && !(deepest.length() <= end - start
                && text.startsWith(deepest, start)
                && deeper(text, start + deepest.length(), end))) {
          continue;
        }
        String file = text.substring(start, end);
        String clean = StackFrames.cleanPath(file);
        if (clean.startsWith(deepest) && deeper(clean, deepest.length()) && !ignored(file, text, lineFrom[i], lineTo[i])) {
          guilty = clean;
          deepest = parent(guilty);
        }
      }
      return guilty;
    }
  }

  /** Whether {@link StackFrames#cleanPath} leaves {@code s[start, end)} (a candidate, ending in ".c"/".h") as it is. */
  private static boolean isClean(String s, int start, int end) {
    if (s.startsWith("./", start)) {
      return false;
    }
    for (int k = start; k + 1 < end; k++) {
      if (s.charAt(k) == '/' && (s.charAt(k + 1) == '.' || s.charAt(k + 1) == '/')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The line's first source-file mention, or null: what syzkaller's leftmost match of
   * {@code ([a-zA-Z0-9_\\-./]*[a-zA-Z0-9_\\-]+\\.(c|h)):[0-9]+} gives. A match cannot span a ':', so
   * it is a whole run of path characters that ends in "x.c" or "x.h" just before ":digit"; the
   * first such run wins.
   */
  static String candidate(String line) {
    long range = candidateRange(line, 0, line.length());
    return range < 0 ? null : line.substring((int) (range >>> 32), (int) range);
  }

  /** Where {@link #candidate} lies in the line: start &lt;&lt; 32 | end, or -1 when there is none. */
  private static long candidateRange(String line, int from, int n) {
    for (int colon = line.indexOf(':', from, n); colon >= 0; colon = line.indexOf(':', colon + 1, n)) {
      if (colon < from + 3 || colon + 1 >= n || !isDigit(line.charAt(colon + 1))) {
        continue;
      }
      char ext = line.charAt(colon - 1);
      if ((ext != 'c' && ext != 'h') || line.charAt(colon - 2) != '.' || !isNameChar(line.charAt(colon - 3))) {
        continue;
      }
      int start = colon - 3;
      while (start > from && StackFrames.isPathChar(line.charAt(start - 1))) {
        start--;
      }
      if (colon - start > MAX_PATH) {
        continue; // no source path is that long; hostile input must not reach the ".*" patterns
      }
      return (long) start << 32 | colon;
    }
    return -1;
  }

  /**
   * Whether the path {@code line[start, colon)} before the ":digit" at {@code colon} is the
   * candidate {@link #candidateRange} would take there, in a line that starts at {@code from}: the
   * path is the whole run of path characters before the colon, as a walk back from it gives.
   */
  static boolean isCandidate(String line, int from, int start, int colon) {
    if (colon < from + 3) {
      return false;
    }
    char ext = line.charAt(colon - 1);
    return (ext == 'c' || ext == 'h')
        && line.charAt(colon - 2) == '.'
        && isNameChar(line.charAt(colon - 3))
        && colon - start <= MAX_PATH;
  }

  private static boolean ignored(String file, String text, int from, int to) {
    return ignoredFile(file) || ignoredLine(text, from, to);
  }

  static boolean ignoredFile(String file) {
    if (file.contains(".h")) {
      return true;
    }
    for (String pattern : IGNORED_FILES) {
      if (pattern.charAt(0) == file.charAt(0) && prefixMatches(pattern, 0, file, 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code pattern} from {@code p} matches a prefix of {@code s} from {@code i}, where '.'
   * is any character and ".*" any run of characters (the only regex syntax the list uses).
   */
  static boolean prefixMatches(String pattern, int p, String s, int i) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '.' && p + 1 < pattern.length() && pattern.charAt(p + 1) == '*') {
        for (int k = i; k <= s.length(); k++) {
          if (prefixMatches(pattern, p + 2, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (i >= s.length() || (c != '.' && c != s.charAt(i))) {
        return false;
      }
      p++;
      i++;
    }
    return true;
  }

  /** Whether the line {@code text[from, to)} only says where a lock was taken ({@link #IGNORED_LINE}). */
  private static boolean ignoredLine(String text, int from, int to) {
    // The regex runs only on lines that could match it: most frame lines cannot.
    boolean possible =
        text.indexOf("irqs", from, to) >= 0
            || text.indexOf("at: ", from, to) >= 0
            || text.indexOf("Register r", from, to) >= 0
            || text.indexOf('#', from, to) >= 0;
    // The region's start is where '^' matches, as at the start of the line alone.
    return possible && IGNORED_LINE.matcher(text).region(from, to).find();
  }

  /**
   * Whether {@code path}, past its first {@code from} characters, goes at least one directory
   * deeper: "/dir/name…" (syzkaller's {@code ^/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+}).
   */
  static boolean deeper(String path, int from) {
    return deeper(path, from, path.length());
  }

  /** {@link #deeper} over {@code path[0, n)}. */
  private static boolean deeper(String path, int from, int n) {
    int i = from;
    if (i >= n || path.charAt(i) != '/') {
      return false;
    }
    int dir = ++i;
    while (i < n && isNameChar(path.charAt(i))) {
      i++;
    }
    if (i == dir || i >= n || path.charAt(i) != '/') {
      return false;
    }
    return i + 1 < n && isNameChar(path.charAt(i + 1));
  }

  private static boolean isNameChar(char c) {
    return StackFrames.isIdentifierChar(c) || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Go's {@code filepath.Dir}: the path without its last element; "." for a bare name. */
  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : path.substring(0, slash);
  }
}
