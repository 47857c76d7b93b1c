package org.crashdex.extract.crash;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.crashdex.extract.ScratchBytes;
import java.util.regex.Pattern;

/**
 * Reads the first crash report of a console log and names it as syzkaller/syzbot would.
 *
 * <pre>{@code
 * CrashReport r = CrashReportParser.parse(log);
 * r.title();     // "KASAN: use-after-free Read in tcp_close"
 * r.corrupted(); // false
 * }</pre>
 *
 * <p>The steps are those of the spec: locate the report ({@link ReportLocator}), name it
 * ({@link TitleEngine}), judge whether it is damaged ({@link StackCheck}), type it
 * ({@link CrashTypes}), then read the other fields ({@link StackFrames}, {@link GuiltyFile},
 * {@link KernelFacts}).
 */
public final class CrashReportParser {
  private CrashReportParser() {}

  /** Reports of more lines than this are read up to here: no real report is that long. */
  static final int MAX_REPORT_LINES = 20_000;

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\[ *(?:[0-9]+|NUM)\\.(?:[0-9]+|NUM|ADDR)\\]");
  private static final String VM_DISCONNECTED = "serialport: VM disconnected.";

  /** Parses the first crash report in text; null when it holds none. Never throws on any input. */
  public static CrashReport parse(String text) {
    return parseSafely(text, null, false, true);
  }

  /**
   * Same, choosing whether {@link LegacyTitles} join the alternative titles. Without them the
   * alternative titles are exactly syzkaller's; the accuracy report measures both.
   */
  static CrashReport parse(String text, boolean legacyTitles) {
    return parseSafely(text, null, false, legacyTitles);
  }

  /** Same, over bytes decoded as ISO-8859-1 (one char per byte). */
  public static CrashReport parse(MemorySegment bytes) {
    try {
      // The bytes pass through the per-thread buffer, which the parse then reads as the text's
      // bytes: the String copies them anyway, and a fresh array per record was an eighth of the
      // parser's allocation.
      long size = bytes.byteSize();
      if (size > Integer.MAX_VALUE - 16) {
        return null;
      }
      int n = (int) size;
      byte[] scratch = SCRATCH.get(n);
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, scratch, 0, n);
      return parseSafely(new String(scratch, 0, n, StandardCharsets.ISO_8859_1), scratch, true, true);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code text}'s chars, each cut to its low byte, in the per-thread buffer. */
  @SuppressWarnings("deprecation") // the low byte of each char is exactly what is wanted here
  private static byte[] lowBytes(String text) {
    byte[] scratch = SCRATCH.get(text.length());
    text.getBytes(0, text.length(), scratch, 0);
    return scratch;
  }


  /**
   * Holds the low byte of each char of the text being parsed, for the scans that read bytes ({@link
   * ReportLocator#longHeaderStart}).
   */
  private static final ScratchBytes SCRATCH = new ScratchBytes();

  private static CrashReport parseSafely(String text, byte[] bytes, boolean latin1, boolean legacy) {
    if (text == null) {
      return null;
    }
    try {
      return parseUnchecked(text, bytes, latin1, legacy);
    } catch (RuntimeException | StackOverflowError e) {
      // A bug of ours must not stop an indexing run: the log is then treated as holding no report.
      return null;
    }
  }

  /**
   * The parse without the safety net: a bug shows as an exception. For tests that must see bugs the
   * public entry points would turn into "no crash".
   */
  static CrashReport parseStrict(String text) {
    return parseUnchecked(text, null, false, true);
  }

  /**
   * @param bytes the low byte of each char of {@code text} (at least text.length() of them), or
   *     null to have them made
   */
  private static CrashReport parseUnchecked(String text, byte[] bytes, boolean latin1, boolean legacy) {
    if (bytes == null) {
      bytes = lowBytes(text);
    }
    LogLines log = LogLines.of(text);
    ReportLocator.Oops oops = ReportLocator.findFirstOops(log, bytes);
    if (oops == null) {
      return null;
    }
    int start = oops.line();
    int last = (int) Math.min(log.count, (long) start + MAX_REPORT_LINES);
    // Lines before the oops line are never looked at again: only the report's prefixes are read.
    log.readPrefixes(start, last);
    ReportLocator.Located report = ReportLocator.locate(log, bytes, start, last, oops.header());
    TitleEngine.Description d =
        TitleEngine.describe(
            report.text().substring(0, report.titleEnd()), report.textLineStarts(), report.header(), latin1, legacy);
    if (d.title().isEmpty()) {
      // The header was not in the cut text (it sat in a line prefix): name it from the raw lines.
      d = TitleEngine.describe(text.substring(log.start(start), log.end(report.endLine())) + "\n",
          report.header(), latin1, legacy);
    }
    String title = d.title();
    boolean corrupted = d.corruption() != null;
    if (!corrupted && d.format() != null && !d.format().noStackTrace()) {
      corrupted = !StackCheck.hasStack(report.text());
    }
    if (!corrupted
        && ((title.indexOf('[') >= 0 && TIMESTAMP.matcher(title).find()) || text.contains(VM_DISCONNECTED))) {
      corrupted = true;
    }
    GuiltyFile.Candidates candidates = new GuiltyFile.Candidates(text, report.lines().length);
    StackFrames stack = StackFrames.of(log, report.lines(), candidates);
    // Every line's text is part of the log text: the panic search over the log covers them.
    KernelFacts facts = KernelFacts.of(log, start, last);
    return new CrashReport(
        title,
        d.alts(),
        CrashTypes.of(title),
        frameOf(title),
        corrupted,
        stack.frames(),
        GuiltyFile.find(log, report.lines(), title, candidates),
        stack.files(),
        sha1(title),
        facts.kernel(),
        facts.comm(),
        facts.pid(),
        facts.cpu(),
        facts.tainted(),
        facts.hardware(),
        // "panicked" looks at the whole log.
        text.contains(ReportLocator.PANIC));
  }

  /**
   * {@code report} under the title syzbot gave it elsewhere (a bisection log's "crash:" line, computed
   * by the syzkaller of that day): title, type, frame and crash id follow the given title, and the
   * title computed from the text joins the alternative titles, so a search by either finds it.
   */
  public static CrashReport withTitle(CrashReport report, String title) {
    if (title == null || title.isBlank() || title.equals(report.title())) {
      return report;
    }
    java.util.LinkedHashSet<String> alts = new java.util.LinkedHashSet<>();
    alts.add(report.title());
    alts.addAll(report.altTitles());
    alts.remove(title);
    return new CrashReport(
        title,
        List.copyOf(alts),
        CrashTypes.of(title),
        frameOf(title),
        report.corrupted(),
        report.frames(),
        report.guiltyFile(),
        report.files(),
        sha1(title),
        report.kernel(),
        report.comm(),
        report.pid(),
        report.cpu(),
        report.tainted(),
        report.hardware(),
        report.panicked());
  }

  /**
   * The identifier after the title's last " in ", or null: what {@code .* in ((?:<[^>]+>)?[a-zA-Z0-9_:.]+)}
   * gives at the title's start, written out (the regex's backtracking over the whole title was a
   * measurable part of every report). Its {@code .*} stops at the first line terminator, so an
   * " in " past one does not count.
   */
  static String frameOf(String title) {
    int limit = lineTerminator(title);
    for (int p = title.lastIndexOf(" in "); p >= 0; p = title.lastIndexOf(" in ", p - 1)) {
      if (p > limit) {
        continue;
      }
      int start = p + 4;
      int nameFrom = start;
      if (start < title.length() && title.charAt(start) == '<') {
        // "<[^>]+>" before the name (the name class holds no '<', so without it there is none).
        int close = title.indexOf('>', start + 1);
        if (close < start + 2) {
          continue;
        }
        nameFrom = close + 1;
      }
      int end = nameFrom;
      while (end < title.length() && isFrameChar(title.charAt(end))) {
        end++;
      }
      if (end > nameFrom) {
        return title.substring(start, end);
      }
    }
    return null;
  }

  /** Where {@code s} first holds a char regex '.' does not match (a line terminator), or its length. */
  private static int lineTerminator(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i;
      }
    }
    return s.length();
  }

  /** [a-zA-Z0-9_:.] */
  private static boolean isFrameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.';
  }

  static String sha1(String title) {
    // One digest per thread: looking the algorithm up for every report cost as much as the digest.
    MessageDigest md = SHA1.get();
    return HexFormat.of().formatHex(md.digest(title.getBytes(StandardCharsets.UTF_8)));
  }

  private static final ThreadLocal<MessageDigest> SHA1 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
              throw new AssertionError("SHA-1 is required of every JDK", e);
            }
          });

  /** The lines of {@code text}, split on '\n' (a final empty piece after a trailing '\n' is kept, as Go's split does). */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      int end = text.indexOf('\n', i);
      if (end < 0) {
        lines.add(text.substring(i, n));
        return lines;
      }
      lines.add(text.substring(i, end));
      i = end + 1;
    }
  }
}
