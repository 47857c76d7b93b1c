package org.crashdex.extract.crash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
   * Whether a line is a symboliser's expansion of an inlined call ("f file.c:12 [inline]"). The
   * kernel never prints these: they only appear in symbolised reports (syzbot's emails), each just
   * before the raw line it expands. Titles come from the raw log, so these lines are passed over.
   */
  static boolean isInlineExpansion(String line) {
    // Also "f a.c:1 [inline] a.c:2": symbolisers that ran twice append a second position.
    return line.contains(" [inline]");
  }

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
   * The header search. A header text of five characters or more that starts at s holds, at the
   * even position s or s + 1, four characters that are its first four or its second to fifth: so
   * only every other position of a line needs a look. A bit set over a hash of the four characters
   * there (a Bloom filter of one hash, 2^16 bits for some sixty keys) rejects nearly every position
   * at the cost of a multiply and a load; the rare hits are then compared for real. Shorter header
   * texts ("BUG:") are searched for directly. All of it is built from the enum, so it follows any
   * change there.
   */

  /** Header texts of fewer than five characters. */
  private static final String[] SHORT_HEADERS;
  private static final long[] HEADER_KEY_BITS = new long[1 << 10];
  /** The distinct four-character keys (packed low bytes), and per key the texts and their offsets. */
  private static final int[] HEADER_KEYS;
  private static final String[][] HEADERS_BY_KEY;
  private static final int[][] OFFSETS_BY_KEY;

  /**
   * The keys by their hash, for the positions the bit set lets through: 1 + the key's index in
   * {@link #HEADER_KEYS}, 0 for an empty slot (open addressing, linear probing). Common words share
   * a key ("kern" of every "kernel/…" path), so true hits are frequent: walking all the keys for
   * each one was the header search's main cost.
   */
  private static final short[] KEY_SLOTS = new short[1 << 16];

  static {
    java.util.List<String> shortHeaders = new java.util.ArrayList<>();
    java.util.Map<Integer, java.util.List<String>> texts = new java.util.LinkedHashMap<>();
    java.util.Map<Integer, java.util.List<Integer>> offsets = new java.util.LinkedHashMap<>();
    for (OopsHeader h : OopsHeader.values()) {
      String t = h.text();
      if (t.length() < 5) {
        shortHeaders.add(t);
        continue;
      }
      for (int offset = 0; offset < 2; offset++) {
        int w = pack(t, offset);
        int bit = keyHash(w);
        HEADER_KEY_BITS[bit >>> 6] |= 1L << bit;
        texts.computeIfAbsent(w, k -> new java.util.ArrayList<>()).add(t);
        offsets.computeIfAbsent(w, k -> new java.util.ArrayList<>()).add(offset);
      }
    }
    SHORT_HEADERS = shortHeaders.toArray(new String[0]);
    HEADER_KEYS = new int[texts.size()];
    HEADERS_BY_KEY = new String[texts.size()][];
    OFFSETS_BY_KEY = new int[texts.size()][];
    int k = 0;
    for (var e : texts.entrySet()) {
      HEADER_KEYS[k] = e.getKey();
      HEADERS_BY_KEY[k] = e.getValue().toArray(new String[0]);
      OFFSETS_BY_KEY[k++] = offsets.get(e.getKey()).stream().mapToInt(Integer::intValue).toArray();
    }
    for (int key = 0; key < HEADER_KEYS.length; key++) {
      int slot = keyHash(HEADER_KEYS[key]);
      while (KEY_SLOTS[slot] != 0) {
        slot = (slot + 1) & (KEY_SLOTS.length - 1);
      }
      KEY_SLOTS[slot] = (short) (key + 1);
    }
  }

  /** The index of key {@code w} in {@link #HEADER_KEYS}, or -1. */
  private static int keyIndex(int w) {
    for (int slot = keyHash(w); ; slot = (slot + 1) & (KEY_SLOTS.length - 1)) {
      int k = KEY_SLOTS[slot] - 1;
      if (k < 0 || HEADER_KEYS[k] == w) {
        return k;
      }
    }
  }

  /** The low bytes of the four characters of {@code s} at {@code i}, packed. */
  private static int pack(String s, int i) {
    return (s.charAt(i) & 0xff) << 24 | (s.charAt(i + 1) & 0xff) << 16 | (s.charAt(i + 2) & 0xff) << 8
        | (s.charAt(i + 3) & 0xff);
  }

  /** 16 bits of a packed key. */
  private static int keyHash(int w) {
    return (w * 0x9E3779B1) >>> 16;
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
    int n = line.length();
    if (n < 4) {
      return false;
    }
    // Only the low byte of each char: other chars fold onto Latin-1 ones, which costs a
    // comparison at worst, never a miss.
    int w = (line.charAt(0) & 0xff) << 8 | (line.charAt(1) & 0xff);
    for (int i = 0; i + 3 < n; i += 2) {
      w = w << 16 | (line.charAt(i + 2) & 0xff) << 8 | (line.charAt(i + 3) & 0xff);
      int bit = keyHash(w);
      if ((HEADER_KEY_BITS[bit >>> 6] & (1L << bit)) != 0 && headerNear(line, i, w)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a header text starts at {@code i} or {@code i - 1}, as the key {@code w} (the four
   * characters at {@code i}) says. Common words share a key ("kern" of every "kernel/…" path): only
   * the texts that really hold it are compared.
   */
  private static boolean headerNear(String line, int i, int w) {
    int k = keyIndex(w);
    if (k < 0) {
      return false;
    }
    String[] texts = HEADERS_BY_KEY[k];
    int[] offsets = OFFSETS_BY_KEY[k];
    for (int j = 0; j < texts.length; j++) {
      int at = i - offsets[j];
      if (at >= 0 && line.startsWith(texts[j], at)) {
        return true;
      }
    }
    return false;
  }

  /** {@link OopsHeader#find}, after the cheap {@link #mayHoldHeader} test. */
  static OopsHeader header(String line) {
    return mayHoldHeader(line) ? OopsHeader.find(line) : null;
  }

  /** The index of the first oops line, or -1. */
  static int firstOops(List<String> log) {
    Oops oops = findFirstOops(log);
    return oops == null ? -1 : oops.line();
  }

  /** The first oops line of a log: its index and its header (never null). */
  record Oops(int line, OopsHeader header) {}

  /**
   * The first oops line of {@code log}, or null; {@code bytes} holds the low byte of each char of
   * its text. The same as {@link #findFirstOops(List)}, with the headers searched once over the
   * text: only a line that may hold a header is cut out.
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

  /** The first oops line, or null. */
  static Oops findFirstOops(List<String> log) {
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i);
      if (isInlineExpansion(line)) {
        continue;
      }
      OopsHeader header = header(cap(line));
      if (header == null) {
        continue;
      }
      if (i + 1 < log.size() && log.get(i + 1).contains(REPLAYING)) {
        continue;
      }
      return new Oops(i, header);
    }
    return null;
  }

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
      shortHeaders = new LiteralSweep[SHORT_HEADERS.length];
      for (int k = 0; k < SHORT_HEADERS.length; k++) {
        shortHeaders[k] = new LiteralSweep(text, SHORT_HEADERS[k]);
      }
    }

    /** Whether a header text of at least five characters, or a short one, starts in {@code [from, to)}; from never decreases. */
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
   * The first position at or after {@code from} where a header text of five characters or more
   * starts, or the text's length: the scan of {@link #mayHoldHeader} over a whole text, reading the
   * four key characters at once from {@code bytes} (the low byte of each char, as the keys are
   * made): one load per position instead of two bounds-checked charAt.
   */
  static int longHeaderStart(String text, byte[] bytes, int from) {
    int n = text.length();
    for (int i = from; i + 3 < n; i += 2) {
      int w = (int) BIG_ENDIAN_INT.get(bytes, i);
      int bit = keyHash(w);
      if ((HEADER_KEY_BITS[bit >>> 6] & (1L << bit)) != 0) {
        int at = headerStartNear(text, i, w, from);
        if (at >= 0) {
          return at;
        }
      }
    }
    return n;
  }

  private static final VarHandle BIG_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** The first of {@code i - 1}, {@code i} (not below {@code from}) where a header text with key {@code w} starts, or -1. */
  private static int headerStartNear(String text, int i, int w, int from) {
    int k = keyIndex(w);
    if (k < 0) {
      return -1;
    }
    String[] texts = HEADERS_BY_KEY[k];
    int[] offsets = OFFSETS_BY_KEY[k];
    int best = -1;
    for (int j = 0; j < texts.length; j++) {
      int at = i - offsets[j];
      if (at >= from && (best < 0 || at < best) && text.startsWith(texts[j], at)) {
        best = at;
      }
    }
    return best;
  }

  /**
   * Cuts out the report whose oops line, with header {@code header}, is line {@code start} of
   * {@code log}, from the lines before {@code last}; {@code bytes} holds the low byte of each char of
   * the log's text. The lines' console prefixes must have been read for {@code [start, last)}
   * ({@link LogLines#readPrefixes}). {@code firstPanic} is where the log's text first holds {@link
   * #PANIC}, or -1: the parser searches the whole log for it anyway.
   */
  static Located locate(LogLines log, byte[] bytes, int start, int last, OopsHeader header, int firstPanic) {
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
    // Each literal is searched for once over the whole text: most lines hold none of them.
    LiteralSweep disassembly = new LiteralSweep(text, DISASSEMBLY);
    LiteralSweep inlineMark = new LiteralSweep(text, INLINE);
    HeaderSweep headers = new HeaderSweep(text, bytes);
    LiteralSweep[] infoWithStack = new LiteralSweep[INFO_WITH_STACK.length];
    for (int k = 0; k < infoWithStack.length; k++) {
      infoWithStack[k] = new LiteralSweep(text, INFO_WITH_STACK[k]);
    }
    LiteralSweep lockDebugging = new LiteralSweep(text, "Disabling lock debugging due to kernel taint");
    LiteralSweep nmi = new LiteralSweep(text, "Sending NMI from CPU");
    LiteralSweep panic = new LiteralSweep(text, PANIC, firstPanic);
    LiteralSweep circular = new LiteralSweep(text, "WARNING: possible circular locking dependency detected");
    for (int i = start; i < last; i++) {
      int from = log.start(i);
      // The raw checks look at the capped line, as cap() gives it.
      int capEnd = from + Math.min(log.end(i) - from, 4 * MAX_LINE);
      boolean isOops = i == start;
      if (disassembly.in(from, capEnd)) {
        break;
      }
      boolean inline = inlineMark.in(from, capEnd);
      if (inline) {
        if (log.sameContext(i, start)) {
          lines[lineCount++] = i;
        }
        continue;
      }
      if (isOops ? header != null : headers.in(from, capEnd) && header(text.substring(from, capEnd)) != null) {
        endLine = i;
        if (!isOops && !secondReport && !OopsHeader.continuesReport(text.substring(from, capEnd))) {
          secondReport = true;
        }
      } else if (!isOops && !secondReport && anyIn(infoWithStack, from, capEnd)) {
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
      if (lockDebugging.in(textFrom, rawEnd)) {
        skipLine = true;
      } else if (nmi.in(textFrom, rawEnd)) {
        cpuTraceback = true;
      } else if (textLines > maxLines && (panic.in(textFrom, rawEnd) || circular.in(textFrom, rawEnd))) {
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

  private static final String INLINE = " [inline]";

  /** The line panic() prints; late in a long report, it is noise the report itself provoked. */
  static final String PANIC = "Kernel panic - not syncing";

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

  /** Header search looks at a bounded prefix of each line, so a 1 MB line costs no more than a short one. */
  static String cap(String line) {
    return line.length() > 4 * MAX_LINE ? line.substring(0, 4 * MAX_LINE) : line;
  }
}
