package org.crashdex.extract.crash;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes titles stable across runs (spec §6): process ids, addresses, IPs, line numbers, offsets,
 * CPU numbers and other numbers are replaced by placeholders, then the title is cut to 120 bytes
 * and its whitespace and non-printable bytes are cleaned up.
 *
 * <p>"general protection fault in foo+0x1a/0x30 [syz-executor.3/8213]" and its twin from another
 * run must give the same string, or one bug is filed twice.
 */
final class TitleNormalizer {
  private TitleNormalizer() {}

  /** The longest title, in bytes: merged or damaged lines can be very long. */
  static final int MAX_TITLE_BYTES = 120;

  /**
   * One rewrite. {@code possible} is a cheap necessary condition for the pattern to match (a
   * literal it contains, a digit it needs): most titles hold no number at all, and a regex that
   * cannot match is then not run.
   */
  private record Rewrite(Pattern pattern, String replacement, Predicate<String> possible) {}

  /** The rewrites in syzkaller's order; those without a regex are written out below. */
  private static final Rewrite[] REWRITES = {
    new Rewrite(Pattern.compile("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor",
        s -> s.contains("syz-executor")),
    new Rewrite(Pattern.compile("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller", s -> s.contains("syzkaller")),
    // ([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,} -> $1ADDR: addresses().
    new Rewrite(null, "ADDR", s -> hasLowerHexRun(s, 6)),
    new Rewrite(Pattern.compile("([^a-zA-Z0-9])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}"), "$1IP", s -> hasDigitThen(s, '.')),
    // (\.\w+)(:[0-9]+)+ -> $1:LINE: lineNumbers().
    new Rewrite(null, "LINE", s -> hasDigitAfter(s, ':')),
    // ([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+ -> $1: offsets().
    new Rewrite(null, "OFFSET", s -> s.contains("+0x")),
    new Rewrite(Pattern.compile("CPU#[0-9]+"), "CPU", s -> s.contains("CPU#")),
    // Then the numbers: numbers().
  };

  /**
   * One pass of {@code ([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}} to "$1ADDR", written out: at the
   * leftmost character that is not an ASCII letter or digit, "0x" and six or more [0-9a-f], or six
   * or more [0-9a-f] (the run taken whole, as the greedy quantifier does); the search goes on after
   * the run. The same instance when nothing matched.
   */
  static String addresses(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    int p = 0;
    while (p < n) {
      if (isAlnum(s.charAt(p))) {
        p++;
        continue;
      }
      int from = s.startsWith("0x", p + 1) ? p + 3 : p + 1;
      int end = lowerHexEnd(s, from);
      if (end - from < 6) {
        p++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(s, copied, p + 1).append("ADDR");
      copied = end;
      p = end;
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /**
   * One pass of {@code (\.\w+)(:[0-9]+)+} to "$1:LINE", written out: a '.', a run of word
   * characters, then one or more ":digits", all taken whole. The same instance when nothing matched.
   */
  static String lineNumbers(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    int p = s.indexOf('.');
    while (p >= 0) {
      int word = p + 1;
      while (word < n && isWordChar(s.charAt(word))) {
        word++;
      }
      int end = word;
      while (word > p + 1 && end + 1 < n && s.charAt(end) == ':' && isDigit(s.charAt(end + 1))) {
        end += 2;
        while (end < n && isDigit(s.charAt(end))) {
          end++;
        }
      }
      if (end == word) {
        p = s.indexOf('.', p + 1);
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(s, copied, word).append(":LINE");
      copied = end;
      p = s.indexOf('.', end);
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /**
   * One pass of {@code ([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+} to "$1", written out:
   * the name must start with a letter and hold two characters at least; as no name character is a
   * '+', the name always runs to the "+0x". The same instance when nothing matched.
   */
  static String offsets(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    int p = 0;
    while (p < n) {
      if (!isLetter(s.charAt(p))) {
        p++;
        continue;
      }
      // Every start in this run of name characters ends its name at the same place, so if the
      // first letter of the run does not match, no later one does.
      int nameEnd = p + 1;
      while (nameEnd < n && isNameChar(s.charAt(nameEnd))) {
        nameEnd++;
      }
      int end = nameEnd - p >= 2 ? offsetEnd(s, nameEnd) : -1;
      if (end < 0) {
        p = nameEnd;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(s, copied, nameEnd);
      copied = end;
      p = end;
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /** The end of "+0x[0-9a-z]+/0x[0-9a-z]+" at {@code i}, or -1. */
  private static int offsetEnd(String s, int i) {
    if (!s.startsWith("+0x", i)) {
      return -1;
    }
    int slash = lowerAlnumEnd(s, i + 3);
    if (slash == i + 3 || !s.startsWith("/0x", slash)) {
      return -1;
    }
    int end = lowerAlnumEnd(s, slash + 3);
    return end == slash + 3 ? -1 : end;
  }

  private static int lowerHexEnd(String s, int i) {
    while (i < s.length() && (isDigit(s.charAt(i)) || (s.charAt(i) >= 'a' && s.charAt(i) <= 'f'))) {
      i++;
    }
    return i;
  }

  private static int lowerAlnumEnd(String s, int i) {
    while (i < s.length() && (isDigit(s.charAt(i)) || (s.charAt(i) >= 'a' && s.charAt(i) <= 'z'))) {
      i++;
    }
    return i;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isLetter(c) || isDigit(c);
  }

  private static boolean isNameChar(char c) {
    return isAlnum(c) || c == '_' || c == '.';
  }

  /**
   * The last two rewrites, {@code (\W)(\d+)(\W|$)} to "$1NUM$3" repeated until stable, then
   * {@code \d{7,}} to "NUM", written out: every title with a digit goes through them. Their fixed
   * point is simple. A digit run is only matched whole (the digits are greedy, and a shorter run
   * is followed by a digit, which is no \W), so the first replaces every maximal run of ASCII
   * digits that has a non-word character before it and a non-word character or the end after it
   * (the repetition only catches runs whose leading separator the previous match took; replacing a
   * run never changes the separators of another). The second then replaces every remaining
   * maximal run of seven digits or more.
   */
  static String numbers(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (!isDigit(s.charAt(i))) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < n && isDigit(s.charAt(end))) {
        end++;
      }
      boolean bounded = i > 0 && !isWordChar(s.charAt(i - 1)) && (end == n || !isWordChar(s.charAt(end)));
      if (bounded || end - i >= 7) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, copied, i).append("NUM");
        copied = end;
      }
      i = end;
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /** \w without UNICODE_CHARACTER_CLASS: [a-zA-Z_0-9]. */
  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** Whether some ASCII digit of {@code s} is directly followed by {@code c}. */
  private static boolean hasDigitThen(String s, char c) {
    for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
      if (i > 0 && isDigit(s.charAt(i - 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether some {@code c} of {@code s} is directly followed by an ASCII digit. */
  private static boolean hasDigitAfter(String s, char c) {
    for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
      if (i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} holds {@code min} characters of [0-9a-f] in a row. */
  private static boolean hasLowerHexRun(String s, int min) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isDigit(c) || (c >= 'a' && c <= 'f')) {
        if (++run >= min) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The normalised form of a raw title. {@code latin1} says that each char stands for one byte
   * (ISO-8859-1 decoded input); otherwise chars are counted by their UTF-8 length for the cut.
   */
  static String normalize(String title, boolean latin1) {
    return (latin1 ? NORMALIZED_LATIN1 : NORMALIZED).apply(title);
  }

  /**
   * Normalised titles, remembered: a crash gets a dozen raw titles (its alternatives, each frame's
   * variants, the legacy forms), and the same crash recurs in many logs, so most of them have been
   * normalised before. The rewrites cost more than a lookup.
   */
  private static final Memo NORMALIZED = new Memo(t -> computeNormalize(t, false));
  private static final Memo NORMALIZED_LATIN1 = new Memo(t -> computeNormalize(t, true));
  private static final Memo FIRST_YEAR_NORMALIZED = new Memo(t -> computeNormalizeFirstYear(t, false));
  private static final Memo FIRST_YEAR_NORMALIZED_LATIN1 = new Memo(t -> computeNormalizeFirstYear(t, true));

  /** A bounded memory of a pure function of a string. */
  private static final class Memo {
    /** Past this many entries the memory starts over: a bound, not a working-set size. */
    private static final int MAX_REMEMBERED = 1 << 15;
    /** Longer titles are not remembered: they are damaged lines, unlikely to recur. */
    private static final int MAX_KEY_LENGTH = 512;

    private final java.util.function.UnaryOperator<String> function;
    private final java.util.concurrent.ConcurrentHashMap<String, String> results =
        new java.util.concurrent.ConcurrentHashMap<>();

    Memo(java.util.function.UnaryOperator<String> function) {
      this.function = function;
    }

    String apply(String key) {
      if (key.length() > MAX_KEY_LENGTH) {
        return function.apply(key);
      }
      String known = results.get(key);
      if (known != null) {
        return known;
      }
      String result = function.apply(key);
      if (results.size() >= MAX_REMEMBERED) {
        results.clear();
      }
      results.put(key, result);
      return result;
    }
  }

  private static String computeNormalize(String title, boolean latin1) {
    for (Rewrite r : REWRITES) {
      if (r.possible().test(title)) {
        title = replaceUntilStable(r, title);
      }
    }
    return sanitize(numbers(title), latin1);
  }

  private static String replaceUntilStable(Rewrite r, String s) {
    // Each pass is a plain replaceAll; a rewrite is repeated because matches may overlap ("0,1,2").
    for (int guard = 0; guard < 64; guard++) {
      String next;
      if (r.pattern() == null) {
        next = switch (r.replacement()) {
          case "ADDR" -> addresses(s);
          case "LINE" -> lineNumbers(s);
          default -> offsets(s);
        };
        if (next == s) {
          return s;
        }
      } else {
        Matcher m = r.pattern().matcher(s);
        if (!m.find()) {
          return s;
        }
        next = m.replaceAll(r.replacement());
      }
      if (next.equals(s)) {
        return s;
      }
      s = next;
    }
    return s;
  }

  /**
   * The rewrites of syzkaller's first year (2017-2018), each applied once, in this order: addresses
   * after any non-letter (so "0x" is not required to follow a separator), decimal numbers of five
   * digits or more after any non-letter, every ":N" (without the file before it), function offsets,
   * CPU numbers. Short numbers stayed ("id 002", "subclass: 8"), long ones inside names did not
   * ("__cfg802154_…" became "__cfg8NUM_…"), and line numbers of five digits became NUM before the
   * line rule could see them ("dev.c:10661!" gave "dev.c:NUM!").
   */
  private static final Rewrite[] FIRST_YEAR = {
    new Rewrite(Pattern.compile("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor",
        s -> s.contains("syz-executor")),
    new Rewrite(Pattern.compile("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller", s -> s.contains("syzkaller")),
    new Rewrite(Pattern.compile("([^a-zA-Z])(?:0x)?[0-9a-f]{6,}"), "$1ADDR", s -> hasLowerHexRun(s, 6)),
    new Rewrite(Pattern.compile("([^a-zA-Z])[0-9]{5,}"), "$1NUM", s -> hasDigitRun(s, 5)),
    new Rewrite(Pattern.compile("(:[0-9]+)+"), ":LINE", s -> hasDigitAfter(s, ':')),
    new Rewrite(Pattern.compile("([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+"), "$1", s -> s.contains("+0x")),
    new Rewrite(Pattern.compile("CPU#[0-9]+"), "CPU", s -> s.contains("CPU#")),
  };

  /**
   * The title syzkaller's first-year parser gave a raw title (see {@link #FIRST_YEAR}): syzbot keeps
   * the titles of bugs it reported then, so a crash of one of them today only meets its bug under
   * this form. That parser also kept runs of spaces ("regs at         (ptrval)").
   */
  static String normalizeFirstYear(String title, boolean latin1) {
    return (latin1 ? FIRST_YEAR_NORMALIZED_LATIN1 : FIRST_YEAR_NORMALIZED).apply(title);
  }

  private static String computeNormalizeFirstYear(String title, boolean latin1) {
    for (Rewrite r : FIRST_YEAR) {
      if (r.possible().test(title)) {
        title = r.pattern().matcher(title).replaceAll(r.replacement());
      }
    }
    return sanitize(title, latin1, false);
  }

  /**
   * Whether {@link #normalizeFirstYear} may give {@code raw} another form than {@link #normalize}
   * worth offering: all rewrites of either that differ need a digit, and the first year kept runs
   * of blanks (which a tab, or a dropped control or non-ASCII character between two spaces, may
   * also make). Oops banners are not offered in either case.
   */
  static boolean firstYearMayDiffer(String raw) {
    if (isOopsBanner(raw)) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (isDigit(c) || c < 0x20 || c >= 0x7f || (c == ' ' && i + 1 < raw.length() && raw.charAt(i + 1) == ' ')) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code raw} is an oops banner ("WARNING: CPU: 0 PID: 5074 at …", "general protection
   * fault: 0000 [#1] …"): its CPU, PID and oops counter change from run to run, so it was never a
   * title, and its first-year form (which kept short numbers) is not offered.
   */
  private static boolean isOopsBanner(String raw) {
    return digitAfter(raw, "CPU: ") || digitAfter(raw, "PID: ") || digitAfter(raw, "[#");
  }

  private static boolean digitAfter(String s, String marker) {
    for (int i = s.indexOf(marker); i >= 0; i = s.indexOf(marker, i + 1)) {
      int d = i + marker.length();
      if (d < s.length() && isDigit(s.charAt(d))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} holds {@code min} ASCII digits in a row. */
  private static boolean hasDigitRun(String s, int min) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      if (isDigit(s.charAt(i))) {
        if (++run >= min) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  /** The 120-byte cut, tabs to spaces, control and non-ASCII bytes dropped, spaces collapsed, trimmed. */
  static String sanitize(String title, boolean latin1) {
    return sanitize(title, latin1, true);
  }

  private static String sanitize(String title, boolean latin1, boolean collapseSpaces) {
    StringBuilder out = new StringBuilder(Math.min(title.length(), MAX_TITLE_BYTES));
    char prev = ' ';
    int bytes = 0;
    for (int i = 0; i < title.length() && bytes < MAX_TITLE_BYTES; i++) {
      char ch = title.charAt(i);
      bytes += latin1 ? 1 : utf8Length(title, i);
      if (!latin1 && Character.isHighSurrogate(ch) && i + 1 < title.length()) {
        i++;
      }
      if (ch == '\t') {
        ch = ' ';
      } else if (ch < 0x20 || ch >= 0x7f) {
        continue;
      }
      if (collapseSpaces && ch == ' ' && prev == ' ') {
        continue;
      }
      out.append(ch);
      prev = ch;
    }
    return out.toString().strip();
  }

  private static int utf8Length(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      return 4;
    }
    return 3;
  }
}
