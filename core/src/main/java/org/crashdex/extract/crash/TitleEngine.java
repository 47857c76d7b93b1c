package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.crashdex.scan.OopsHeader;

/**
 * Names a crash from its report text (spec §5-§6): picks the title format, fills it with the
 * captured groups and the frames its recipe finds, and adds the alternative titles.
 *
 * <p>All formats of the header family are candidates. The one whose title matches earliest in the
 * text wins; on a tie, the one listed first. Every title pattern starts with its family's header
 * text, so only the places where the header occurs need to be tried. When the winning place has no
 * format whose report pattern also matches, or no format matches at all, the title is the header
 * line itself.
 */
final class TitleEngine {
  private TitleEngine() {}

  /** Why a report is considered damaged; null when it is not. */
  static final String NO_FRAMES = "no frames in the stack";
  static final String REPORT_PATTERN_MISSED = "matched title but not report pattern";
  static final String FORMAT_CORRUPTED = "report format is marked as corrupted";

  /**
   * The outcome for one report.
   *
   * @param title the normalised title, "" when none could be formed
   * @param alts the normalised alternative titles, without duplicates or the title
   * @param corruption why the report is damaged, or null
   * @param format the format that named it, or null for the header-line fallback
   */
  record Description(String title, List<String> alts, String corruption, TitleFormat format) {}

  /** Names the crash whose cut report text is {@code text} and whose oops line has {@code header}. */
  static Description describe(String text, OopsHeader header, boolean latin1, boolean legacy) {
    return describe(text, null, header, latin1, legacy);
  }

  /**
   * Same, told where the lines of {@code text} start ({@code lineStarts}, ascending, the first at 0;
   * entries at or past the text's end are ignored), or null to find them.
   */
  static Description describe(
      String text, int[] lineStarts, OopsHeader header, boolean latin1, boolean legacy) {
    List<TitleFormat> formats = TitleFormats.of(header);
    String headerText = header.text();
    boolean matchedTitle = false;
    int formatCount = formats.size();
    for (int pos = text.indexOf(headerText); pos >= 0; pos = text.indexOf(headerText, pos + 1)) {
      // By index: an iterator per header position was one of the parser's larger allocations.
      for (int fi = 0; fi < formatCount; fi++) {
        TitleFormat f = formats.get(fi);
        if (!f.titleMayMatchAt(text, pos)) {
          continue;
        }
        Matcher m = f.title().matcher(text);
        m.region(pos, text.length());
        m.useAnchoringBounds(false);
        m.useTransparentBounds(true);
        if (!m.lookingAt()) {
          continue;
        }
        matchedTitle = true;
        if (f.report() != null) {
          if (!f.reportMayMatch(text)) {
            continue;
          }
          m = f.report().matcher(text);
          if (!m.find()) {
            continue;
          }
        }
        return fill(f, m, text, lineStarts, latin1, legacy);
      }
      if (matchedTitle) {
        break;
      }
    }
    // The header line itself.
    int pos = text.indexOf(headerText);
    if (pos < 0) {
      return new Description("", List.of(), null, null);
    }
    int end = text.indexOf('\n', pos);
    String raw = text.substring(pos, end < 0 ? text.length() : end);
    String title = TitleNormalizer.normalize(raw, latin1);
    List<String> alts = List.of();
    if (legacy && TitleNormalizer.firstYearMayDiffer(raw)) {
      String firstYear = TitleNormalizer.normalizeFirstYear(raw, latin1);
      if (!firstYear.equals(title) && !firstYear.isEmpty()) {
        alts = List.of(firstYear);
      }
    }
    return new Description(title, alts, matchedTitle ? REPORT_PATTERN_MISSED : null, null);
  }

  private static Description fill(
      TitleFormat f, Matcher m, String text, int[] lineStarts, boolean latin1, boolean legacy) {
    List<String> args = new ArrayList<>();
    for (int g = 1; g <= m.groupCount(); g++) {
      String s = m.group(g);
      args.add(s == null ? "" : s);
    }
    int groups = args.size();
    String corruption = null;
    List<StackRecipe.Frame> frames = List.of();
    StackRecipe.Result unskipped = null;
    StackRecipe.Result older = null;
    if (f.stack() != null) {
      LazyLines lines = lineStarts == null ? lines(text, m.start()) : lines(text, m.start(), lineStarts);
      StackRecipe.Result r;
      if (legacy) {
        StackRecipe.Result[] twins = f.stack().runWithLegacyTwins(lines);
        r = twins[0];
        unskipped = twins[1];
        older = twins[2];
      } else {
        r = f.stack().run(lines);
      }
      frames = r.frames();
      if (!r.found()) {
        corruption = NO_FRAMES;
      } else if (!r.trustworthy()) {
        corruption = NO_FRAMES;
      }
      for (StackRecipe.Frame frame : frames) {
        args.add(frame.canonical().isEmpty() ? "corrupted" : frame.canonical());
      }
    }
    Set<String> raw = new LinkedHashSet<>();
    raw.add(TitleFormat.fill(f.template(), args));
    for (String alt : f.alts()) {
      raw.add(TitleFormat.fill(alt, args));
    }
    // The same templates over the unstripped frame names, so that a crash named after
    // "__se_sys_mremap" by an older parser still meets this one.
    for (int i = 0; i < frames.size(); i++) {
      String name = frames.get(i).raw();
      if (name.isEmpty()) {
        continue;
      }
      List<String> variants = new ArrayList<>();
      variants.add(name);
      for (String prefix : FrameNames.SYSCALL_PREFIXES) {
        if (name.startsWith(prefix)) {
          variants.add(name.substring(prefix.length()));
        }
      }
      for (String v : variants) {
        List<String> a = new ArrayList<>(args);
        a.set(groups + i, v);
        raw.add(TitleFormat.fill(f.template(), a));
        for (String alt : f.alts()) {
          raw.add(TitleFormat.fill(alt, a));
        }
      }
    }
    if (legacy) {
      raw.addAll(LegacyTitles.of(f, text, m.start(), unskipped, older, args, groups));
    }
    String title = null;
    Set<String> alts = new LinkedHashSet<>();
    for (String t : raw) {
      String n = TitleNormalizer.normalize(t, latin1);
      if (title == null) {
        title = n;
      } else if (!n.equals(title) && !n.isEmpty()) {
        alts.add(n);
      }
    }
    if (legacy) {
      // The same titles as syzkaller's first-year parser normalised them (after all the others, so
      // that the current alternatives keep their order).
      for (String t : raw) {
        if (!TitleNormalizer.firstYearMayDiffer(t)) {
          continue;
        }
        String n = TitleNormalizer.normalizeFirstYear(t, latin1);
        if (!n.equals(title) && !n.isEmpty()) {
          alts.add(n);
        }
      }
    }
    if (corruption == null && f.corrupted()) {
      corruption = FORMAT_CORRUPTED;
    }
    return new Description(title, List.copyOf(alts), corruption, f);
  }

  /**
   * The lines of {@code text} from {@code start} on (after a final '\n', an empty last line). Each
   * line is cut out when first asked for: a recipe usually stops at the end of the first stack,
   * long before the end of the report.
   */
  static LazyLines lines(String text, int start) {
    return new LazyLines(text, start);
  }

  /**
   * Same, where the text's lines start at {@code lineStarts} (ascending, from 0; entries at or past
   * the end of the text are ignored): what the report locator noted while it wrote the text.
   */
  static LazyLines lines(String text, int start, int[] lineStarts) {
    int n = text.length();
    if (n == 0 || text.charAt(n - 1) != '\n' || lineStarts.length == 0 || lineStarts[0] != 0) {
      return lines(text, start); // not a text the locator wrote
    }
    // The line that holds start, and one past the last line that starts inside the text.
    int first = 0;
    int last = 0;
    while (last < lineStarts.length && lineStarts[last] < n) {
      if (lineStarts[last] <= start) {
        first = last;
      }
      last++;
    }
    int count = last - first; // the piece from start, then the later lines
    int[] starts = new int[count + 2];
    starts[0] = start;
    System.arraycopy(lineStarts, first + 1, starts, 1, count - 1);
    starts[count] = n; // the empty piece after the final '\n'
    starts[count + 1] = n + 1;
    return new LazyLines(text, starts);
  }

  /**
   * Lines of a text, each cut out when first asked for; {@link #start} and {@link #end} let a
   * reader that only searches a line do so in place.
   */
  static final class LazyLines extends java.util.AbstractList<String>
      implements java.util.RandomAccess {
    private final String text;
    /** Where each line starts; one more entry than lines, one past the end of the last. */
    private final int[] starts;
    private final String[] cut;

    LazyLines(String text, int start) {
      this.text = text;
      int n = 1;
      for (int i = text.indexOf('\n', start); i >= 0; i = text.indexOf('\n', i + 1)) {
        n++;
      }
      starts = new int[n + 1];
      starts[0] = start;
      int k = 1;
      for (int i = text.indexOf('\n', start); i >= 0; i = text.indexOf('\n', i + 1)) {
        starts[k++] = i + 1;
      }
      starts[n] = text.length() + 1;
      cut = new String[n];
    }

    /** Over lines that start at {@code starts}, the last entry one past the end of the last line. */
    LazyLines(String text, int[] starts) {
      this.text = text;
      this.starts = starts;
      cut = new String[starts.length - 1];
    }

    /** The text the lines are ranges of. */
    String text() {
      return text;
    }

    /** Where line {@code index} starts in {@link #text()}. */
    int start(int index) {
      return starts[index];
    }

    /** Where line {@code index} ends in {@link #text()}: at its '\n', or at the end of the text. */
    int end(int index) {
      return starts[index + 1] - 1;
    }

    @Override
    public String get(int index) {
      String line = cut[index]; // throws for an index out of range, as a list must
      if (line == null) {
        line = text.substring(starts[index], starts[index + 1] - 1);
        cut[index] = line;
      }
      return line;
    }

    @Override
    public int size() {
      return cut.length;
    }
  }
}
