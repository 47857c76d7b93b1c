package org.crashdex.extract;

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

  /**
   * The prefix grammar as syzkaller's regex has it, which this class reads by hand (a regex per
   * console line cost more than the rest of the line's handling):
   * {@code ^(?:\*\* [0-9]+ printk messages dropped \*\* )?(?:.* login: )?(?:<[0-9]+>)?\[ *[0-9]+\.[0-9]+\](\[ *([CT][0-9]+)\])? }
   * The alternatives are tried in the regex's order, so the same match (and context) results:
   * after the dropped-messages notice before without it, the last " login: " before earlier ones
   * (".*" is greedy and does not cross a line terminator) before none.
   */
  private static final String DROPPED_HEAD = "** ";
  private static final String DROPPED_TAIL = " printk messages dropped ** ";
  private static final String LOGIN = " login: ";

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
    String context = NONE;
    int dropped = droppedEnd(raw);
    if (dropped > 0) {
      context = afterStart(raw, dropped);
    }
    if (context == NONE) {
      context = afterStart(raw, 0);
    }
    if (context == NONE) {
      return new ConsoleLine(raw, NONE, raw);
    }
    int cut = raw.indexOf("] ");
    return new ConsoleLine(raw, context, raw.substring(cut + 2));
  }

  /** The end of "** N printk messages dropped ** " at the start of {@code raw}, or -1. */
  private static int droppedEnd(String raw) {
    if (!raw.startsWith(DROPPED_HEAD)) {
      return -1;
    }
    int d = digitsEnd(raw, DROPPED_HEAD.length());
    if (d == DROPPED_HEAD.length() || !raw.startsWith(DROPPED_TAIL, d)) {
      return -1;
    }
    return d + DROPPED_TAIL.length();
  }

  /** The context of a prefix whose optional login part starts at {@code s}, or NONE when none matches. */
  private static String afterStart(String raw, int s) {
    // The forward search is vectorised, the backward one is not, and nearly no line holds a login.
    int k = raw.indexOf(LOGIN, s) < 0 ? -1 : raw.lastIndexOf(LOGIN);
    if (k >= s) {
      k = raw.lastIndexOf(LOGIN, terminator(raw, s)); // ".*" stops at a line terminator
    }
    for (; k >= s; k = raw.lastIndexOf(LOGIN, k - 1)) {
      String context = stamp(raw, k + LOGIN.length());
      if (context != NONE) {
        return context;
      }
    }
    return stamp(raw, s);
  }

  /**
   * The context of "(?:&lt;N&gt;)?[ secs.usecs](?:[ Cn])? " at {@code i}: the caller id,
   * {@link #CONSOLE} without one, or NONE when the text there is not shaped so.
   */
  private static String stamp(String raw, int i) {
    int n = raw.length();
    if (i < n && raw.charAt(i) == '<') {
      int d = digitsEnd(raw, i + 1);
      if (d == i + 1 || d >= n || raw.charAt(d) != '>') {
        return NONE;
      }
      i = d + 1;
    }
    if (i >= n || raw.charAt(i) != '[') {
      return NONE;
    }
    i = spacesEnd(raw, i + 1);
    int d = digitsEnd(raw, i);
    if (d == i || d >= n || raw.charAt(d) != '.') {
      return NONE;
    }
    int f = digitsEnd(raw, d + 1);
    if (f == d + 1 || f >= n || raw.charAt(f) != ']') {
      return NONE;
    }
    i = f + 1;
    if (i < n && raw.charAt(i) == '[') {
      int c = spacesEnd(raw, i + 1);
      if (c < n && (raw.charAt(c) == 'C' || raw.charAt(c) == 'T')) {
        int e = digitsEnd(raw, c + 1);
        if (e > c + 1 && e + 1 < n && raw.charAt(e) == ']' && raw.charAt(e + 1) == ' ') {
          return raw.substring(c, e);
        }
      }
      return NONE; // without the caller id, a space would have to follow the stamp, not '['
    }
    return i < n && raw.charAt(i) == ' ' ? CONSOLE : NONE;
  }

  /** The index of the first line terminator at or after {@code from} ('.' does not match it), or the length. */
  private static int terminator(String raw, int from) {
    for (int i = from; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i;
      }
    }
    return raw.length();
  }

  private static int digitsEnd(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int spacesEnd(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
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
