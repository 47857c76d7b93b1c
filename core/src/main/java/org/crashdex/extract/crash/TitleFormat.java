package org.crashdex.extract.crash;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One way a crash of a header family is named (spec §5).
 *
 * <p>The {@code title} regex recognises the crash; an optional {@code report} regex must then match
 * too, and its groups (rather than the title's) feed the template. The template refers to the
 * captured groups, then to the frames the {@code stack} recipe found, as {@code %[N]v} (1-based,
 * Go's notation, so that the table reads like syzkaller's).
 *
 * @param title recognises the crash, anywhere in the report text
 * @param report a stricter pattern that must also match, or null
 * @param template the title template
 * @param alts templates of alternative titles
 * @param stack how to find the named frame, or null for titles without one
 * @param corrupted whether every report of this shape is considered damaged
 * @param noStackTrace whether the report is exempt from the stack check (spec §7)
 * @param titleLiterals literals one of which starts every title match (null: unknown), to skip
 *     places where the title regex cannot match without running it
 * @param reportLiterals the same for the report regex, contained anywhere in its matches
 * @param lineLiteral a literal that every title match holds on the line it starts on, after its
 *     start ("lib/debugobjects.c" of "WARNING: .*lib/debugobjects\\.c…"), or null: the title
 *     regexes that open with ".*" walk the whole line back and forth, and most lines lack it
 */
record TitleFormat(
    Pattern title,
    Pattern report,
    String template,
    List<String> alts,
    StackRecipe stack,
    boolean corrupted,
    boolean noStackTrace,
    String[] titleLiterals,
    String[] reportLiterals,
    String lineLiteral) {

  TitleFormat(
      Pattern title,
      Pattern report,
      String template,
      List<String> alts,
      StackRecipe stack,
      boolean corrupted,
      boolean noStackTrace,
      String lineLiteral) {
    this(title, report, template, alts, stack, corrupted, noStackTrace,
        FrameLines.requiredLiterals(title), report == null ? null : FrameLines.requiredLiterals(report),
        lineLiteral);
  }

  static TitleFormat of(String title, String template) {
    return new TitleFormat(FrameLines.compile(title), null, template, List.of(), null, false, false, null);
  }

  TitleFormat report(String regex) {
    return new TitleFormat(title, FrameLines.compile(regex), template, alts, stack, corrupted, noStackTrace, lineLiteral);
  }

  TitleFormat alt(String... templates) {
    return new TitleFormat(title, report, template, List.of(templates), stack, corrupted, noStackTrace, lineLiteral);
  }

  TitleFormat stack(StackRecipe recipe) {
    return new TitleFormat(title, report, template, alts, recipe, corrupted, noStackTrace, lineLiteral);
  }

  TitleFormat markCorrupted() {
    return new TitleFormat(title, report, template, alts, stack, true, noStackTrace, lineLiteral);
  }

  /**
   * The same format, told that every title match holds {@code literal} on its first line, after its
   * start. Only for title regexes whose text up to that literal cannot cross a line ('.' does not
   * match '\n').
   */
  TitleFormat needsOnLine(String literal) {
    return new TitleFormat(title, report, template, alts, stack, corrupted, noStackTrace, literal);
  }

  TitleFormat stackless() {
    return new TitleFormat(title, report, template, alts, stack, corrupted, true, lineLiteral);
  }

  /** Whether the title pattern may match at {@code pos}: the text there starts with one of its literals. */
  boolean titleMayMatchAt(String text, int pos) {
    if (!FrameLines.startsWithAny(text, pos, titleLiterals)) {
      return false;
    }
    if (lineLiteral == null) {
      return true;
    }
    int eol = text.indexOf('\n', pos);
    return text.indexOf(lineLiteral, pos, eol < 0 ? text.length() : eol) >= 0;
  }

  /** Whether the report pattern may match somewhere in {@code text}. */
  boolean reportMayMatch(String text) {
    return FrameLines.containsAny(text, reportLiterals);
  }

  /**
   * Fills {@code template} with {@code args} ({@code %[1]v} is {@code args.get(0)}): every
   * {@code %[N]v} or {@code %[N]s}, left to right, as the regex {@code %\[([0-9]+)\][vs]} finds
   * them. Read by hand: a matcher per template was most of the cost of naming a crash's variants.
   */
  static String fill(String template, List<String> args) {
    int pct = template.indexOf('%');
    if (pct < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    int copied = 0;
    for (; pct >= 0; pct = template.indexOf('%', pct + 1)) {
      int end = argEnd(template, pct);
      if (end < 0) {
        continue;
      }
      int index = Integer.parseInt(template, pct + 2, end - 2, 10) - 1;
      out.append(template, copied, pct).append(index < args.size() ? args.get(index) : "");
      copied = end;
      pct = end - 1;
    }
    return out.append(template, copied, template.length()).toString();
  }

  /** The end of "%[N]v" or "%[N]s" at {@code pct}, or -1. */
  private static int argEnd(String template, int pct) {
    int n = template.length();
    int i = pct + 1;
    if (i >= n || template.charAt(i) != '[') {
      return -1;
    }
    int digits = ++i;
    while (i < n && template.charAt(i) >= '0' && template.charAt(i) <= '9') {
      i++;
    }
    if (i == digits || i + 1 >= n || template.charAt(i) != ']') {
      return -1;
    }
    char verb = template.charAt(i + 1);
    return verb == 'v' || verb == 's' ? i + 2 : -1;
  }
}
