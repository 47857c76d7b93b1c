package org.crashdex.extract.crash;

import java.util.List;
import java.util.regex.Matcher;
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
    String[] reportLiterals) {

  TitleFormat(
      Pattern title,
      Pattern report,
      String template,
      List<String> alts,
      StackRecipe stack,
      boolean corrupted,
      boolean noStackTrace) {
    this(title, report, template, alts, stack, corrupted, noStackTrace,
        FrameLines.requiredLiterals(title), report == null ? null : FrameLines.requiredLiterals(report));
  }

  static TitleFormat of(String title, String template) {
    return new TitleFormat(FrameLines.compile(title), null, template, List.of(), null, false, false);
  }

  TitleFormat report(String regex) {
    return new TitleFormat(title, FrameLines.compile(regex), template, alts, stack, corrupted, noStackTrace);
  }

  TitleFormat alt(String... templates) {
    return new TitleFormat(title, report, template, List.of(templates), stack, corrupted, noStackTrace);
  }

  TitleFormat stack(StackRecipe recipe) {
    return new TitleFormat(title, report, template, alts, recipe, corrupted, noStackTrace);
  }

  TitleFormat markCorrupted() {
    return new TitleFormat(title, report, template, alts, stack, true, noStackTrace);
  }

  TitleFormat stackless() {
    return new TitleFormat(title, report, template, alts, stack, corrupted, true);
  }

  /** Whether the title pattern may match at {@code pos}: the text there starts with one of its literals. */
  boolean titleMayMatchAt(String text, int pos) {
    return FrameLines.startsWithAny(text, pos, titleLiterals);
  }

  /** Whether the report pattern may match somewhere in {@code text}. */
  boolean reportMayMatch(String text) {
    return FrameLines.containsAny(text, reportLiterals);
  }

  private static final Pattern ARG = Pattern.compile("%\\[([0-9]+)\\][vs]");

  /** Fills {@code template} with {@code args} ({@code %[1]v} is {@code args.get(0)}). */
  static String fill(String template, List<String> args) {
    if (template.indexOf('%') < 0) {
      return template;
    }
    Matcher m = ARG.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 32);
    while (m.find()) {
      int index = Integer.parseInt(m.group(1)) - 1;
      m.appendReplacement(out, "");
      out.append(index < args.size() ? args.get(index) : "");
    }
    m.appendTail(out);
    return out.toString();
  }
}
