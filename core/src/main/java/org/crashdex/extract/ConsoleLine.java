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
  /** What a login prompt before a prefix ends with. */
  public static final String LOGIN = " login: ";

  /** Splits {@code raw} (no line terminator; a trailing '\r' is dropped) into context and text. */
  public static ConsoleLine parse(String raw) {
    if (!raw.isEmpty() && raw.charAt(raw.length() - 1) == '\r') {
      raw = raw.substring(0, raw.length() - 1);
    }
    long prefix = prefix(raw, 0, raw.length());
    int c = contextStart(prefix);
    if (c == NO_CONTEXT) {
      return new ConsoleLine(raw, NONE, raw);
    }
    String context = c == CONSOLE_CONTEXT ? CONSOLE : raw.substring(c, contextEnd(raw, prefix, raw.length()));
    return new ConsoleLine(raw, context, raw.substring(textStart(prefix)));
  }

  /** {@link #contextStart} of a line without a timestamp. */
  public static final int NO_CONTEXT = -1;
  /** {@link #contextStart} of a line with a timestamp but no caller id. */
  public static final int CONSOLE_CONTEXT = -2;

  /**
   * {@link #parse} in place: reads the prefix of the line {@code s[from, to)} (no line terminator,
   * a trailing '\r' already excluded) without cutting anything out, for parsers that keep a whole
   * log in one String. Decode the result with {@link #textStart}, {@link #contextStart} and {@link
   * #contextEnd}.
   */
  public static long prefix(String s, int from, int to) {
    return prefix(s, from, to, true);
  }

  /**
   * Same, told whether the line may hold {@link #LOGIN}: false only when it holds none, as a
   * caller that searched a whole log for it at once knows.
   */
  public static long prefix(String s, int from, int to, boolean mayHoldLogin) {
    // Cheap reject: every prefixed line has a '[' early on; most raw lines have none.
    if (s.indexOf('[', from, to) < 0) {
      return packPrefix(from, NO_CONTEXT);
    }
    int context = NO_CONTEXT;
    int dropped = droppedEnd(s, from, to);
    if (dropped >= 0) {
      context = mayHoldLogin ? afterStart(s, dropped, to) : stamp(s, dropped, to);
    }
    if (context == NO_CONTEXT) {
      context = mayHoldLogin ? afterStart(s, from, to) : stamp(s, from, to);
    }
    if (context == NO_CONTEXT) {
      return packPrefix(from, NO_CONTEXT);
    }
    // The text follows the line's first "] " (which a login prefix may hold before the stamp).
    return packPrefix(s.indexOf("] ", from, to) + 2, context);
  }

  /** Where the line's text starts (its start when it has no context). */
  public static int textStart(long prefix) {
    return (int) (prefix >>> 32);
  }

  /** Where the line's caller id starts, or {@link #NO_CONTEXT} or {@link #CONSOLE_CONTEXT}. */
  public static int contextStart(long prefix) {
    return (int) prefix;
  }

  /** Where the caller id of a line with one ends ({@code s} and {@code to} as given to {@link #prefix}). */
  public static int contextEnd(String s, long prefix, int to) {
    return digitsEnd(s, contextStart(prefix) + 1, to);
  }

  private static long packPrefix(int textStart, int context) {
    return (long) textStart << 32 | (context & 0xffffffffL);
  }

  /** The end of "** N printk messages dropped ** " at {@code from}, or -1. */
  private static int droppedEnd(String s, int from, int to) {
    if (!s.startsWith(DROPPED_HEAD, from) || from + DROPPED_HEAD.length() > to) {
      return -1;
    }
    int d = digitsEnd(s, from + DROPPED_HEAD.length(), to);
    if (d == from + DROPPED_HEAD.length() || d + DROPPED_TAIL.length() > to || !s.startsWith(DROPPED_TAIL, d)) {
      return -1;
    }
    return d + DROPPED_TAIL.length();
  }

  /** The context of a prefix whose optional login part starts at {@code i}, or NO_CONTEXT when none matches. */
  private static int afterStart(String s, int i, int to) {
    // The forward search is vectorised, the backward one is not, and nearly no line holds a login.
    int last = to - LOGIN.length(); // the last place a login fits in the line
    int k = s.indexOf(LOGIN, i, to) < 0 ? -1 : s.lastIndexOf(LOGIN, last);
    if (k >= i) {
      k = s.lastIndexOf(LOGIN, Math.min(terminator(s, i, to), last)); // ".*" stops at a line terminator
    }
    for (; k >= i; k = s.lastIndexOf(LOGIN, k - 1)) {
      int context = stamp(s, k + LOGIN.length(), to);
      if (context != NO_CONTEXT) {
        return context;
      }
    }
    return stamp(s, i, to);
  }

  /**
   * The context of "(?:&lt;N&gt;)?[ secs.usecs](?:[ Cn])? " at {@code i}: where the caller id
   * starts, {@link #CONSOLE_CONTEXT} without one, or NO_CONTEXT when the text there is not shaped so.
   */
  private static int stamp(String s, int i, int n) {
    if (i < n && s.charAt(i) == '<') {
      int d = digitsEnd(s, i + 1, n);
      if (d == i + 1 || d >= n || s.charAt(d) != '>') {
        return NO_CONTEXT;
      }
      i = d + 1;
    }
    if (i >= n || s.charAt(i) != '[') {
      return NO_CONTEXT;
    }
    i = spacesEnd(s, i + 1, n);
    int d = digitsEnd(s, i, n);
    if (d == i || d >= n || s.charAt(d) != '.') {
      return NO_CONTEXT;
    }
    int f = digitsEnd(s, d + 1, n);
    if (f == d + 1 || f >= n || s.charAt(f) != ']') {
      return NO_CONTEXT;
    }
    i = f + 1;
    if (i < n && s.charAt(i) == '[') {
      int c = spacesEnd(s, i + 1, n);
      if (c < n && (s.charAt(c) == 'C' || s.charAt(c) == 'T')) {
        int e = digitsEnd(s, c + 1, n);
        if (e > c + 1 && e + 1 < n && s.charAt(e) == ']' && s.charAt(e + 1) == ' ') {
          return c;
        }
      }
      return NO_CONTEXT; // without the caller id, a space would have to follow the stamp, not '['
    }
    return i < n && s.charAt(i) == ' ' ? CONSOLE_CONTEXT : NO_CONTEXT;
  }

  /** The index of the first line terminator in {@code [from, to)} ('.' does not match it), or {@code to}. */
  private static int terminator(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i;
      }
    }
    return to;
  }

  private static int digitsEnd(String s, int i, int to) {
    while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int spacesEnd(String s, int i, int to) {
    while (i < to && s.charAt(i) == ' ') {
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
    return questionable(text, 0, text.length());
  }

  /** {@link #questionable} of a line with a context whose text is {@code s[from, to)}. */
  public static boolean questionable(String s, int from, int to) {
    return (s.indexOf(" ? ", from, to) >= 0 && s.indexOf("<EOI>", from, to) < 0)
        || (to - from >= UNRELIABLE.length() && s.startsWith(UNRELIABLE, to - UNRELIABLE.length()));
  }

  private static final String UNRELIABLE = " (unreliable)";
}
