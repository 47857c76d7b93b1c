package org.crashdex.extract.crash;

import java.util.List;
import org.crashdex.scan.OopsHeader;

/**
 * Finds the first crash report in a console log and cuts out its text (spec §2-§3).
 *
 * <p>The report starts at the first oops line. It then holds every later line of the same context
 * (the same caller id, or the same "has a timestamp or not") that is not questionable; after
 * "Sending NMI from CPU", the other CPUs' backtraces ("[ Cn]") belong to it too. Once the report is
 * long enough, a trailing "Kernel panic - not syncing" or circular-locking report is noise that
 * panic_on_warn or the oops itself provoked, and is dropped.
 *
 * <p>Without caller ids, lines of several CPUs interleave, so the text a title is formed from ends
 * before the next line that starts another report (or prints a stack for its own reasons: failure
 * injection, vmalloc failures). With caller ids the report is never cut.
 */
final class ReportLocator {
  private ReportLocator() {}

  /** Lines fed to the title regexes are cut here: titles and frames live at the start of a line. */
  static final int MAX_LINE = 1024;

  private static final String[] INFO_WITH_STACK = {
    "vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing"
  };

  /**
   * A located report.
   *
   * @param oopsLine index of the oops line in the log
   * @param header the header that opened it
   * @param context the oops line's context
   * @param text the report lines (console prefixes cut), each ending in '\n'
   * @param titleEnd where the text that names the crash ends in {@code text}
   * @param lines the report lines: indices into {@code log}
   * @param endLine index of the last header line in {@code log}
   * @param textLineStarts where each line of {@code text} starts
   */
  record Located(
      int oopsLine,
      OopsHeader header,
      String text,
      int titleEnd,
      LogLines log,
      int[] lines,
      int endLine,
      int[] textLineStarts) {}

  /** The line syzbot puts before its disassembly of the "Code:" bytes; it ends a published report. */
  static final String DISASSEMBLY = "Code disassembly (best guess)";

  /**
   * {@code line} without the "file.c:N" a symboliser puts after each "f+0xA/0xB" ("tcp_close+0x1a/0x30
   * net/ipv4/tcp.c:2340" gives "tcp_close+0x1a/0x30"): the kernel never prints them, and header-line
   * titles must read as they would in the raw log.
   */
  static String withoutSourcePositions(String line) {
    StringBuilder out = new StringBuilder(line.length());
    return appendWithoutSourcePositions(out, line, line.length()) ? out.toString() : line;
  }

  /**
   * Appends the first {@code n} characters of {@code line} to {@code out}, without source
   * positions ({@link #withoutSourcePositions}); returns whether any was cut. Appending in place
   * spares the report text a String per symbolised frame line.
   */
  static boolean appendWithoutSourcePositions(StringBuilder out, String line, int n) {
    return appendWithoutSourcePositions(out, line, 0, n);
  }

  /** Same, for the line {@code s[from, n)} (a line of a whole log text). */
  static boolean appendWithoutSourcePositions(StringBuilder out, String line, int from, int n) {
    int plus = line.indexOf("+0x", from, n);
    if (plus < 0) {
      out.append(line, from, n);
      return false;
    }
    int copied = from;
    while (plus >= 0 && plus + 3 <= n) {
      int i = hexEnd(line, plus + 3, n);
      if (i > plus + 3 && i + 3 <= n && line.startsWith("/0x", i)) {
        int end = hexEnd(line, i + 3, n);
        int pos = sourcePositionEnd(line, end, n);
        if (end > i + 3 && pos > end) {
          out.append(line, copied, end);
          copied = pos;
        }
      }
      plus = line.indexOf("+0x", plus + 3, n);
    }
    out.append(line, copied, n);
    return copied > from;
  }

  private static int hexEnd(String s, int i, int n) {
    while (i < n && isHexDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Character.digit(c, 16) &gt;= 0, without its table lookups for ASCII (other digits stay accepted, as before). */
  private static boolean isHexDigit(char c) {
    if (c < 0x80) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    return Character.digit(c, 16) >= 0;
  }

  /** The end of " path/file.ext:N" at {@code i} (up to a space or {@code n}), or -1. */
  private static int sourcePositionEnd(String s, int i, int n) {
    if (i >= n || s.charAt(i) != ' ') {
      return -1;
    }
    int end = s.indexOf(' ', i + 1);
    if (end < 0 || end > n) {
      end = n;
    }
    int colon = s.lastIndexOf(':', end - 1);
    if (colon <= i + 1 || colon == end - 1 || s.lastIndexOf('.', colon) <= i + 1) {
      return -1;
    }
    for (int k = colon + 1; k < end; k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') {
        return -1;
      }
    }
    return end;
  }

  /*
   * The header search: texts of four characters or more are searched for together ({@link
   * LiteralSieve}), "BUG:" among them (a search of its own over every report's text was ~8% of the
   * locator's samples); shorter ones (none today) directly. All of it is built from the enum, so
   * it follows any change there.
   */

  /** Header texts of fewer than four characters. */
  private static final String[] SHORT_HEADERS;
  /** Header texts of four characters or more. */
  private static final List<String> LONG_HEADERS;
  private static final LiteralSieve LONG_HEADER_SIEVE;

  static {
    java.util.List<String> shortHeaders = new java.util.ArrayList<>();
    java.util.List<String> longHeaders = new java.util.ArrayList<>();
    for (OopsHeader h : OopsHeader.values()) {
      (h.text().length() < 4 ? shortHeaders : longHeaders).add(h.text());
    }
    SHORT_HEADERS = shortHeaders.toArray(new String[0]);
    LONG_HEADERS = List.copyOf(longHeaders);
    LONG_HEADER_SIEVE = new LiteralSieve(LONG_HEADERS);
  }

  /**
   * Whether {@code line} contains the text of some {@link OopsHeader} (exclusions aside): a
   * necessary condition for {@link OopsHeader#find}, in one pass over the line instead of one
   * search per header. Nearly every line of a report holds none, and then find is not asked.
   */
  static boolean mayHoldHeader(String line) {
    for (String t : SHORT_HEADERS) {
      if (line.contains(t)) {
        return true;
      }
    }
    return LONG_HEADER_SIEVE.anyIn(line);
  }

  /** One sweep over {@code text} per header text shorter than four characters. */
  private static LiteralSweep[] shortHeaderSweeps(String text) {
    LiteralSweep[] sweeps = new LiteralSweep[SHORT_HEADERS.length];
    for (int k = 0; k < sweeps.length; k++) {
      sweeps[k] = new LiteralSweep(text, SHORT_HEADERS[k]);
    }
    return sweeps;
  }

  /** {@link OopsHeader#find}, after the cheap {@link #mayHoldHeader} test. */
  static OopsHeader header(String line) {
    return mayHoldHeader(line) ? OopsHeader.find(line) : null;
  }

  /** The first oops line of a log: its index and its header (never null). */
  record Oops(int line, OopsHeader header) {}

  /**
   * The first oops line of {@code log}, or null; {@code bytes} holds the low byte of each char of
   * its text. The headers are searched once over the text: only a line that may hold a header is
   * cut out, and only its first {@code 4 * MAX_LINE} chars, so a 1 MB line costs no more than a short one.
   */
  static Oops findFirstOops(LogLines log, byte[] bytes) {
    String text = log.text;
    HeaderSweep headers = new HeaderSweep(text, bytes);
    for (int i = 0; i < log.count; i++) {
      int from = log.start(i);
      int end = log.end(i);
      int capEnd = from + Math.min(end - from, 4 * MAX_LINE);
      if (!headers.in(from, capEnd)) {
        continue;
      }
      OopsHeader header = header(text.substring(from, capEnd));
      // The inline mark is looked for in the few header lines only: a sweep for it would search
      // the whole text of a log that holds none.
      if (header == null || text.indexOf(INLINE, from, end) >= 0) {
        continue;
      }
      if (i + 1 < log.count && text.indexOf(REPLAYING, log.start(i + 1), log.end(i + 1)) >= 0) {
        continue;
      }
      return new Oops(i, header);
    }
    return null;
  }

  private static final String REPLAYING = "** replaying previous printk message **";

  /**
   * Whether the lines of one text, asked in order, may hold a header: {@link #mayHoldHeader} over the
   * whole text in one sweep, so that a line costs two comparisons instead of a search of its own
   * (the per-line search was the locator's largest cost). A line it answers yes for holds the
   * start of a header text (the sweep compares the texts for real); exclusions are left to {@link
   * OopsHeader#find}.
   */
  static final class HeaderSweep {
    private final String text;
    private final byte[] bytes;
    private final LiteralSweep[] shortHeaders;
    /** The first header text start at or after the last {@code from} asked about; text.length() when none. */
    private int next = -1;

    /** {@code bytes} holds the low byte of each char of {@code text}. */
    HeaderSweep(String text, byte[] bytes) {
      this.text = text;
      this.bytes = bytes;
      shortHeaders = shortHeaderSweeps(text);
    }

    /** Whether a header text of at least four characters, or a shorter one, starts in {@code [from, to)}; from never decreases. */
    boolean in(int from, int to) {
      for (LiteralSweep h : shortHeaders) {
        if (h.in(from, to)) {
          return true;
        }
      }
      if (next < from) {
        next = longHeaderStart(text, bytes, from);
      }
      return next < to;
    }
  }

  /**
   * The first position at or after {@code from} where a header text of four characters or more
   * starts, or the text's length: the scan of {@link #mayHoldHeader} over a whole text, reading the
   * four key characters at once from {@code bytes} (the low byte of each char, as the keys are
   * made): one load per position instead of two bounds-checked charAt.
   */
  static int longHeaderStart(String text, byte[] bytes, int from) {
    return LONG_HEADER_SIEVE.firstStart(text, bytes, from);
  }

  /**
   * Cuts out the report whose oops line, with header {@code header}, is line {@code start} of
   * {@code log}, from the lines before {@code last}; {@code bytes} holds the low byte of each char of
   * the log's text. The lines' console prefixes must have been read for {@code [start, last)}
   * ({@link LogLines#readPrefixes}).
   */
  static Located locate(LogLines log, byte[] bytes, int start, int last, OopsHeader header) {
    String text = log.text;
    boolean callerId = log.callerId(start);
    int maxLines = text.indexOf("BUG: KMSAN:", log.start(start), log.end(start)) >= 0 ? 16 : 22;
    StringBuilder out = textBuffer();
    int[] lines = new int[last - start];
    int lineCount = 0;
    int titleEnd = 0;
    int endLine = start;
    boolean secondReport = false;
    boolean skipText = false;
    boolean cpuTraceback = false;
    int textLines = 0;
    int[] textLineStarts = new int[64];
    int textLineCount = 0;
    // One sweep over the text finds the next line that holds any of the literals below or a long
    // header text: most lines hold none of them, and for those one comparison answers every
    // question. A search per literal passed over the whole text once each (a third of the
    // locator's time); the few lines the sweep stops at are searched within their bounds.
    int nextMark = -1;
    LiteralSweep[] shortHeaders = shortHeaderSweeps(text);
    for (int i = start; i < last; i++) {
      int from = log.start(i);
      int end = log.end(i);
      // The raw checks look at the line's first 4 * MAX_LINE chars, as the header search does.
      int capEnd = from + Math.min(end - from, 4 * MAX_LINE);
      boolean isOops = i == start;
      if (nextMark < from) {
        nextMark = LOCATE_SIEVE.firstStart(text, bytes, from);
      }
      // Every range below lies in [from, end): a line the sweep passed holds none of the literals.
      boolean marked = nextMark < end;
      if (marked && text.indexOf(DISASSEMBLY, from, capEnd) >= 0) {
        break;
      }
      if (marked && text.indexOf(INLINE, from, capEnd) >= 0) {
        if (log.sameContext(i, start)) {
          lines[lineCount++] = i;
        }
        continue;
      }
      if (isOops
          ? header != null
          : (marked || anyIn(shortHeaders, from, capEnd)) && header(text.substring(from, capEnd)) != null) {
        endLine = i;
        if (!isOops && !secondReport && !OopsHeader.continuesReport(text.substring(from, capEnd))) {
          secondReport = true;
        }
      } else if (!isOops && !secondReport && marked && FrameLines.containsAny(text, from, capEnd, INFO_WITH_STACK)) {
        secondReport = true;
      }
      if (!isOops
          && (log.questionable(i) || (!log.sameContext(i, start) && !(cpuTraceback && log.cpuContext(i))))) {
        continue;
      }
      textLines++;
      int textFrom = log.textStart(i);
      int rawEnd = log.contentEnd(i);
      boolean skipLine = skipText;
      if (!marked) {
        // none of the literals below
      } else if (text.indexOf(LOCK_DEBUGGING_OFF, textFrom, rawEnd) >= 0) {
        skipLine = true;
      } else if (text.indexOf(NMI, textFrom, rawEnd) >= 0) {
        cpuTraceback = true;
      } else if (textLines > maxLines
          && (text.indexOf(PANIC, textFrom, rawEnd) >= 0 || text.indexOf(CIRCULAR, textFrom, rawEnd) >= 0)) {
        skipText = true;
        skipLine = true;
      }
      if (!isOops && skipLine) {
        continue;
      }
      if (textLineCount == textLineStarts.length) {
        textLineStarts = java.util.Arrays.copyOf(textLineStarts, textLineCount * 2);
      }
      textLineStarts[textLineCount++] = out.length();
      appendWithoutSourcePositions(out, text, textFrom, textFrom + Math.min(rawEnd - textFrom, MAX_LINE));
      out.append('\n');
      lines[lineCount++] = i;
      if (!secondReport || callerId) {
        titleEnd = out.length();
      }
    }
    String reportText = out.toString();
    releaseTextBuffer(out);
    return new Located(
        start, header, reportText, titleEnd, log, java.util.Arrays.copyOf(lines, lineCount), endLine,
        java.util.Arrays.copyOf(textLineStarts, textLineCount));
  }

  /**
   * Marks a symboliser's expansion of an inlined call ("f file.c:12 [inline]", also "f a.c:1 [inline]
   * a.c:2" from symbolisers that ran twice). The kernel never prints these: they only appear in
   * symbolised reports (syzbot's emails), each just before the raw line it expands. Titles come from
   * the raw log, so these lines are passed over.
   */
  private static final String INLINE = " [inline]";
  private static final String LOCK_DEBUGGING_OFF = "Disabling lock debugging due to kernel taint";
  private static final String NMI = "Sending NMI from CPU";
  /** The line panic() prints; late in a long report, it is noise the report itself provoked. */
  static final String PANIC = "Kernel panic - not syncing";
  private static final String CIRCULAR = "WARNING: possible circular locking dependency detected";

  /** What {@link #locate} looks for in each line: the long header texts and its own literals. */
  private static final LiteralSieve LOCATE_SIEVE;

  static {
    java.util.List<String> marks = new java.util.ArrayList<>(LONG_HEADERS);
    marks.addAll(List.of(DISASSEMBLY, INLINE, LOCK_DEBUGGING_OFF, NMI, PANIC, CIRCULAR));
    marks.addAll(List.of(INFO_WITH_STACK));
    LOCATE_SIEVE = new LiteralSieve(marks);
  }

  private static boolean anyIn(LiteralSweep[] literals, int from, int to) {
    for (LiteralSweep l : literals) {
      if (l.in(from, to)) {
        return true;
      }
    }
    return false;
  }

  /** Past this capacity a report's text buffer is not kept for the next report. */
  private static final int MAX_KEPT_BUFFER = 1 << 20;

  private static final ThreadLocal<StringBuilder> TEXT_BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(8192));

  /**
   * An empty buffer for a report's text, kept per thread: growing a fresh one to the size of each
   * report allocated more than the text itself.
   */
  private static StringBuilder textBuffer() {
    StringBuilder b = TEXT_BUFFER.get();
    TEXT_BUFFER.set(null); // a nested use (none today) would get a fresh one
    return b == null ? new StringBuilder(8192) : b;
  }

  private static void releaseTextBuffer(StringBuilder b) {
    if (b.capacity() <= MAX_KEPT_BUFFER) {
      b.setLength(0);
      TEXT_BUFFER.set(b);
    }
  }

  private static boolean containsAny(String s, String[] needles) {
    for (String n : needles) {
      if (s.contains(n)) {
        return true;
      }
    }
    return false;
  }
}
