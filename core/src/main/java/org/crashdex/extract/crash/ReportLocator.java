package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.List;
import org.crashdex.extract.ConsoleLine;
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
   * @param lines the report lines, parsed
   * @param endLine index of the last header line of the log
   */
  record Located(
      int oopsLine,
      OopsHeader header,
      String context,
      String text,
      int titleEnd,
      List<ConsoleLine> lines,
      int endLine) {}

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
    int plus = line.indexOf("+0x");
    if (plus < 0) {
      return line;
    }
    StringBuilder out = null;
    int copied = 0;
    while (plus >= 0) {
      int i = hexEnd(line, plus + 3);
      if (i > plus + 3 && line.startsWith("/0x", i)) {
        int end = hexEnd(line, i + 3);
        int pos = sourcePositionEnd(line, end);
        if (end > i + 3 && pos > end) {
          if (out == null) {
            out = new StringBuilder(line.length());
          }
          out.append(line, copied, end);
          copied = pos;
        }
      }
      plus = line.indexOf("+0x", plus + 3);
    }
    if (out == null) {
      return line;
    }
    return out.append(line, copied, line.length()).toString();
  }

  private static int hexEnd(String s, int i) {
    while (i < s.length() && isHexDigit(s.charAt(i))) {
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

  /** The end of " path/file.ext:N" at {@code i} (up to a space or the end of the line), or -1. */
  private static int sourcePositionEnd(String s, int i) {
    if (i >= s.length() || s.charAt(i) != ' ') {
      return -1;
    }
    int end = s.indexOf(' ', i + 1);
    if (end < 0) {
      end = s.length();
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
    for (int k = 0; k < HEADER_KEYS.length; k++) {
      if (HEADER_KEYS[k] == w) {
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
    }
    return false;
  }

  /** {@link OopsHeader#find}, after the cheap {@link #mayHoldHeader} test. */
  static OopsHeader header(String line) {
    return mayHoldHeader(line) ? OopsHeader.find(line) : null;
  }

  /** The index of the first oops line, or -1. */
  static int firstOops(List<String> log) {
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i);
      if (isInlineExpansion(line) || header(cap(line)) == null) {
        continue;
      }
      if (i + 1 < log.size() && log.get(i + 1).contains("** replaying previous printk message **")) {
        continue;
      }
      return i;
    }
    return -1;
  }

  /** Cuts out the report that starts at line {@code start}. */
  static Located locate(List<String> log, List<ConsoleLine> parsed, int start) {
    String firstRaw = log.get(start);
    OopsHeader header = OopsHeader.find(cap(firstRaw));
    String context = parsed.get(start).context();
    boolean callerId = !context.equals(ConsoleLine.NONE) && !context.equals(ConsoleLine.CONSOLE);
    int maxLines = firstRaw.contains("BUG: KMSAN:") ? 16 : 22;
    StringBuilder text = new StringBuilder(4096);
    List<ConsoleLine> lines = new ArrayList<>(log.size() - start);
    int titleEnd = 0;
    int endLine = start;
    boolean secondReport = false;
    boolean skipText = false;
    boolean cpuTraceback = false;
    int textLines = 0;
    for (int i = start; i < log.size(); i++) {
      String raw = cap(log.get(i));
      ConsoleLine line = parsed.get(i);
      boolean isOops = i == start;
      if (raw.contains(DISASSEMBLY)) {
        break;
      }
      boolean inline = isInlineExpansion(raw);
      if (inline) {
        if (line.context().equals(context)) {
          lines.add(line);
        }
        continue;
      }
      if ((isOops ? header : header(raw)) != null) {
        endLine = i;
        if (!isOops && !secondReport && !OopsHeader.continuesReport(raw)) {
          secondReport = true;
        }
      } else if (!isOops && !secondReport && containsAny(raw, INFO_WITH_STACK)) {
        secondReport = true;
      }
      String lineContext = line.context();
      if (!isOops
          && (line.questionable()
              || (!lineContext.equals(context) && !(cpuTraceback && isCpuContext(lineContext))))) {
        continue;
      }
      textLines++;
      String stripped = line.text();
      boolean skipLine = skipText;
      if (stripped.contains("Disabling lock debugging due to kernel taint")) {
        skipLine = true;
      } else if (stripped.contains("Sending NMI from CPU")) {
        cpuTraceback = true;
      } else if (textLines > maxLines
          && (stripped.contains("Kernel panic - not syncing")
              || stripped.contains("WARNING: possible circular locking dependency detected"))) {
        skipText = true;
        skipLine = true;
      }
      if (!isOops && skipLine) {
        continue;
      }
      if (stripped.length() > MAX_LINE) {
        stripped = stripped.substring(0, MAX_LINE);
      }
      text.append(withoutSourcePositions(stripped)).append('\n');
      lines.add(line);
      if (!secondReport || callerId) {
        titleEnd = text.length();
      }
    }
    return new Located(start, header, context, text.toString(), titleEnd, lines, endLine);
  }

  private static boolean isCpuContext(String context) {
    return !context.isEmpty() && context.charAt(0) == 'C' && !context.equals(ConsoleLine.CONSOLE);
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
