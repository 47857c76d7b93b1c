package org.crashdex.extract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of kernel console output, split into its context and its text.
 *
 * <p>The prefix rules follow syzkaller: an optional "** N printk messages dropped ** ", an optional
 * "… login: ", an optional syslog level "&lt;6&gt;", a required timestamp "[  772.918915]", an optional
 * caller id "[   T81]" / "[    C1]", then one space. Lines that carry no timestamp have no context;
 * lines with a timestamp but no caller id have the console context. The text is what follows the first
 * "] " of a line that has a context (the whole line otherwise).
 *
 * @param raw the line without its line terminator
 * @param context {@link #NONE}, {@link #CONSOLE}, or the caller id ("T81", "C1")
 * @param text the line after its prefix
 */
public record ConsoleLine(String raw, String context, String text) {

  /** The context of a line without a timestamp. */
  public static final String NONE = "";
  /** The context of a line with a timestamp but no caller id. */
  public static final String CONSOLE = "console";

  private static final Pattern PREFIX =
      Pattern.compile(
          "^(?:\\*\\* [0-9]+ printk messages dropped \\*\\* )?(?:.* login: )?(?:<[0-9]+>)?"
              + "\\[ *[0-9]+\\.[0-9]+\\](\\[ *([CT][0-9]+)\\])? ");

  /** Splits {@code raw} (no line terminator; a trailing '\r' is dropped) into context and text. */
  public static ConsoleLine parse(String raw) {
    if (!raw.isEmpty() && raw.charAt(raw.length() - 1) == '\r') {
      raw = raw.substring(0, raw.length() - 1);
    }
    // Cheap reject: every prefixed line has a '[' early on; most raw lines have none.
    int bracket = raw.indexOf('[');
    if (bracket < 0) {
      return new ConsoleLine(raw, NONE, raw);
    }
    Matcher m = PREFIX.matcher(raw);
    if (!m.lookingAt()) {
      return new ConsoleLine(raw, NONE, raw);
    }
    String context = m.group(2) != null ? m.group(2) : CONSOLE;
    int cut = raw.indexOf("] ");
    return new ConsoleLine(raw, context, raw.substring(cut + 2));
  }

  /** True for lines that have a timestamp. */
  public boolean hasContext() {
    return !context.isEmpty();
  }

  /**
   * A questionable line is a stack line the unwinder was unsure of (" ? " frames, "(unreliable)"):
   * it is never a frame and is dropped from a report.
   */
  public boolean questionable() {
    if (!hasContext()) {
      return false;
    }
    return (text.contains(" ? ") && !text.contains("<EOI>")) || text.endsWith(" (unreliable)");
  }
}
