package org.crashdex.extract.crash;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shapes of stack lines (spec §4): frame lines, the RIP line, the markers that start a new stack
 * and the fault-injection frames that make a stack untrustworthy.
 *
 * <p>All methods take a report line with its console prefix already cut.
 */
final class FrameLines {
  private FrameLines() {}

  /** A program-counter bracket: "[&lt;ffffffff81234567&gt;]", "[&lt;0x…&gt;]" or "[c000…]". */
  static final String PC = "\\[<?(?:0x)?[0-9a-f]+>?\\]";
  /** A function name directly followed by "+" or "." (offset or compiler suffix); group 1. */
  static final String FUNC = "([a-zA-Z0-9_]+)(?:\\.|\\+)";
  /** A source position "path/file.c:123"; one group. */
  static final String SRC = "([a-zA-Z0-9_/.\\-]+\\.[a-z]+:[0-9]+)";

  /** Expands the {{PC}}, {{FUNC}}, {{SRC}} and {{ADDR}} templates of a title or recipe regex. */
  static Pattern compile(String regex) {
    String expanded =
        regex
            // "any number of whole lines, lazily": written without a repeated group, which Java's
            // engine would recurse into once per line (a stack overflow on long reports). The
            // lookbehind lets the lazy part stop only at line starts: stopping inside a line can only
            // offer the ".*" after it a subset of the places it was offered from the line's start,
            // so the match is the same, without a quadratic walk over every line.
            .replace("(?:.*\\n)+?", "[^\\n]*\\n[\\s\\S]*?(?<=\\n)")
            .replace("{{PC}}", PC)
            .replace("{{FUNC}}", FUNC)
            .replace("{{SRC}}", SRC)
            .replace("{{ADDR}}", "[0-9a-f]+");
    // UNIX_LINES: only '\n' ends a line, as in Go; ISO-8859-1 input may hold U+0085.
    return Pattern.compile(expanded, Pattern.UNIX_LINES);
  }

  /**
   * Literals one of which every match of {@code pattern} contains, or null when none can be told:
   * the leading literal text of each top-level alternative ("BUG: KASAN: " of "BUG: KASAN:
   * (?:[a-z\\-]+) in …"). A line that holds none of them cannot match, so the regex need not run.
   * A character followed by a quantifier is not part of the literal; an alternative that starts
   * with a group, class, escape or anchor has no literal, and then neither has the pattern.
   */
  static String[] requiredLiterals(Pattern pattern) {
    if (pattern.flags() != Pattern.UNIX_LINES && pattern.flags() != 0) {
      return null;
    }
    String regex = pattern.pattern();
    if (regex.contains("\\Q")) {
      return null; // quoted text: parentheses and bars are literal there
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    int depth = 0;
    boolean inClass = false;
    int branchStart = 0;
    for (int i = 0; i <= regex.length(); i++) {
      char c = i < regex.length() ? regex.charAt(i) : '|';
      if (i < regex.length() && c == '\\') {
        i++;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      switch (c) {
        case '[' -> inClass = true;
        case '(' -> depth++;
        case ')' -> depth--;
        case '|' -> {
          if (depth == 0) {
            if (!addLeadingLiterals(regex, branchStart, i, out)) {
              return null;
            }
            branchStart = i + 1;
          }
        }
        default -> {}
      }
    }
    return out.toArray(new String[0]);
  }

  /**
   * Adds the literals one of which the branch {@code [from, to)} of {@code regex} starts with: its
   * leading literal, or, when it starts with a mandatory non-capturing group "(?:A|B)", the leading
   * literals of the group's alternatives. False when the branch has none.
   */
  private static boolean addLeadingLiterals(String regex, int from, int to, List<String> out) {
    if (regex.startsWith("(?:", from)) {
      int close = groupEnd(regex, from);
      if (close < 0 || close >= to || (close + 1 < to && "*+?{".indexOf(regex.charAt(close + 1)) >= 0)) {
        return false;
      }
      // Top-level bars of the group's body split it into alternatives.
      int depth = 0;
      boolean inClass = false;
      int start = from + 3;
      for (int i = start; i <= close; i++) {
        char c = regex.charAt(i);
        if (i < close && c == '\\') {
          i++;
          continue;
        }
        if (inClass) {
          inClass = c != ']';
          continue;
        }
        if (c == '[') {
          inClass = true;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && depth > 0) {
          depth--;
        } else if ((c == '|' && depth == 0) || i == close) {
          String literal = leadingLiteral(regex, start, i);
          if (literal.isEmpty()) {
            return false;
          }
          out.add(literal);
          start = i + 1;
        }
      }
      return true;
    }
    String literal = leadingLiteral(regex, from, to);
    if (literal.isEmpty()) {
      return false;
    }
    out.add(literal);
    return true;
  }

  /** The index of the ')' that closes the group opened at {@code open}, or -1. */
  private static int groupEnd(String regex, int open) {
    int depth = 0;
    boolean inClass = false;
    for (int i = open; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String leadingLiteral(String regex, int from, int to) {
    int i = from;
    while (i < to && "\\[](){}.*+?|^$".indexOf(regex.charAt(i)) < 0) {
      i++;
    }
    if (i < to && "*+?{".indexOf(regex.charAt(i)) >= 0 && i > from) {
      i--; // "ab?": the b is optional
    }
    return regex.substring(from, i);
  }

  /** Whether {@code s} contains one of {@code literals} ({@link #requiredLiterals}); true for null. */
  static boolean containsAny(String s, String[] literals) {
    if (literals == null) {
      return true;
    }
    for (String l : literals) {
      if (s.contains(l)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #containsAny(String, String[])} for the line {@code text[from, to)}, read in place. */
  static boolean containsAny(String text, int from, int to, String[] literals) {
    if (literals == null) {
      return true;
    }
    for (String l : literals) {
      if (text.indexOf(l, from, to) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} has one of {@code literals} at {@code pos}; true for null. */
  static boolean startsWithAny(String s, int pos, String[] literals) {
    if (literals == null) {
      return true;
    }
    for (String l : literals) {
      if (s.startsWith(l, pos)) {
        return true;
      }
    }
    return false;
  }

  /** The RIP line of x86, NIP of powerpc, "pc : " of arm64 and "PC is at" of arm; group 1 is F. */
  static final Pattern RIP =
      compile(
          "(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+"
              + "|(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))");

  /** "Call Trace:" and the arm "Backtrace:". */
  static final Pattern CALL_TRACE = compile("Call (?:T|t)race:|Backtrace:");

  private static final Pattern[] STACK_START = {
    compile("Call (?:T|t)race:"),
    compile("Allocated:"),
    compile("Allocated by task [0-9]+:"),
    compile("Freed:"),
    compile("Freed by task [0-9]+:"),
    // "backtrace:" of kmemleak (optionally with its crc), but not lockdep's "stack backtrace:".
    compile("[^k] backtrace(?: \\(crc [0-9a-fA-F]+\\))?:"),
    compile("Backtrace:"),
    compile("Uninit was stored to memory at"),
    // RISC-V prints its trap registers on a line of its own.
    compile("status: [0-9a-f]+ badaddr: [0-9a-f]+ cause: [0-9a-f]+"),
  };

  /** A literal every match of the marker with the same index contains, to search for first. */
  private static final String[] STACK_START_LITERAL = {
    "race:", "Allocated:", "Allocated by task ", "Freed:", "Freed by task ", " backtrace", "Backtrace:",
    "Uninit was stored to memory at", " badaddr: "
  };

  /**
   * The literals searched for to find the markers, one per group of markers: each marker's own
   * literal holds its group's ("Allocated:" and "Allocated by task " hold "Allocated"), so one
   * search finds the lines of every marker of the group. Six searches over a report instead of
   * nine: they were nearly all of the stack check's time. No group literal starts with a blank,
   * which the string search would stop at every word for.
   */
  private static final String[] MARKER_GROUP_LITERAL = {
    "race:", "Allocated", "Freed", "acktrace", "Uninit was stored to memory at", "badaddr: "
  };

  /** Per marker, its group in {@link #MARKER_GROUP_LITERAL}. */
  private static final int[] MARKER_GROUP = new int[STACK_START.length];

  static {
    for (int k = 0; k < STACK_START.length; k++) {
      MARKER_GROUP[k] = -1;
      for (int g = 0; g < MARKER_GROUP_LITERAL.length && MARKER_GROUP[k] < 0; g++) {
        if (STACK_START_LITERAL[k].contains(MARKER_GROUP_LITERAL[g])) {
          MARKER_GROUP[k] = g;
        }
      }
      if (MARKER_GROUP[k] < 0) {
        throw new AssertionError("no group literal in " + STACK_START_LITERAL[k]);
      }
    }
  }

  /**
   * Per marker, the start of its first match in {@code text}, or -1. A marker's match lies in a line
   * that holds its literal; the regex only runs on those lines.
   */
  static int[] firstMarkers(String text) {
    int[] first = new int[STACK_START.length];
    java.util.Arrays.fill(first, -1);
    int n = text.length();
    for (int g = 0; g < MARKER_GROUP_LITERAL.length; g++) {
      String literal = MARKER_GROUP_LITERAL[g];
      int open = 0;
      for (int k = 0; k < STACK_START.length; k++) {
        open += MARKER_GROUP[k] == g ? 1 : 0;
      }
      for (int at = text.indexOf(literal); at >= 0 && open > 0; ) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        int lineEnd = text.indexOf('\n', at);
        if (lineEnd < 0) {
          lineEnd = n;
        }
        for (int k = 0; k < STACK_START.length; k++) {
          if (MARKER_GROUP[k] == g
              && first[k] < 0
              && text.indexOf(STACK_START_LITERAL[k], lineStart, lineEnd) >= 0) {
            Matcher m = STACK_START[k].matcher(text).region(lineStart, lineEnd);
            if (m.find()) {
              first[k] = m.start();
              open--;
            }
          }
        }
        if (lineEnd == n) {
          break;
        }
        at = text.indexOf(literal, lineEnd + 1);
      }
    }
    return first;
  }

  /** Index of the RISC-V marker in {@link #STACK_START}: it needs no frames after it. */
  static final int RISCV_MARKER = STACK_START.length - 1;

  static Pattern marker(int i) {
    return STACK_START[i];
  }

  /** True when {@code line} starts a new stack (and so ends the current one). */
  static boolean isStackStart(String line) {
    return isStackStart(line, 0, line.length());
  }

  /**
   * {@link #isStackStart(String)} for the line {@code text[from, to)}, read in place: callers that
   * walk the lines of a report need not cut each one out to ask. The markers hold no anchors or
   * look-arounds, so a match inside the region is a match in the cut-out line and back.
   */
  static boolean isStackStart(String text, int from, int to) {
    if (text.indexOf("race:", from, to) < 0
        && text.indexOf("Allocated", from, to) < 0
        && text.indexOf("Freed", from, to) < 0
        && text.indexOf("acktrace", from, to) < 0
        && text.indexOf("Uninit was stored", from, to) < 0
        && text.indexOf("badaddr:", from, to) < 0) {
      return false;
    }
    // A marker's regex runs only on lines that hold its literal: most lines that pass the test
    // above hold one marker's literal at most, and a matcher per marker cost more than the rest.
    for (int k = 0; k < STACK_START.length; k++) {
      if (text.indexOf(STACK_START_LITERAL[k], from, to) >= 0
          && STACK_START[k].matcher(text).region(from, to).find()) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern FAULT_INJECTION =
      compile("^(?: " + PC + ")? should_fail(?:slab)?(?:\\.[a-z0-9.]+)?\\+0x");

  /** A fault-injection frame: the stack around it belongs to the injected failure, not the bug. */
  static boolean isFaultInjection(String line) {
    return line.indexOf("should_fail") >= 0 && FAULT_INJECTION.matcher(line).find();
  }

  /** {@link #isFaultInjection(String)} for the line {@code text[from, to)}, read in place. */
  static boolean isFaultInjection(String text, int from, int to) {
    return text.indexOf("should_fail", from, to) >= 0 && FAULT_INJECTION.matcher(text).region(from, to).find();
  }

  /**
   * Appends the functions {@code line} names as a frame line to {@code out} and returns how many:
   * optional spaces, up to two PC brackets each followed by a space, then a name directly followed
   * by "+" or "." (one frame); or the ARM32 "[&lt;pc&gt;] (name) from [&lt;pc&gt;] (caller+0x…)" (two frames).
   */
  static int frames(String line, List<String> out) {
    return frames(line, 0, line.length(), out);
  }

  /**
   * Same, for the line {@code s[from, n)}, read in place: the recipe walk asks this of most report
   * lines, and cutting each out first was a String and a copy per line.
   */
  static int frames(String s, int from, int n, List<String> out) {
    int i = from;
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    int start = i;
    for (int k = 0; k <= 2; k++) {
      int name = identifierEnd(s, i, n);
      if (name > i && name < n && (s.charAt(name) == '+' || s.charAt(name) == '.')) {
        out.add(s.substring(i, name));
        return 1;
      }
      if (k == 2) {
        break;
      }
      int pc = pcEnd(s, i, n);
      if (pc < 0 || pc >= n || s.charAt(pc) != ' ') {
        break;
      }
      i = pc + 1;
    }
    return armFrames(s, start, n, out);
  }

  /** "[&lt;pc&gt;] (name) from [&lt;pc&gt;] (caller+" in {@code s[i, n)} */
  private static int armFrames(String s, int i, int n, List<String> out) {
    int pc = pcEnd(s, i, n);
    if (pc < 0 || pc + 1 >= n || s.charAt(pc) != ' ' || s.charAt(pc + 1) != '(') {
      return 0;
    }
    int nameStart = pc + 2;
    int nameEnd = nameStart;
    while (nameEnd < n && (isIdentifier(s.charAt(nameEnd)) || s.charAt(nameEnd) == '.')) {
      nameEnd++;
    }
    if (nameEnd == nameStart || nameEnd + FROM.length() > n || !s.startsWith(FROM, nameEnd)) {
      return 0;
    }
    int pc2 = pcEnd(s, nameEnd + FROM.length(), n);
    if (pc2 < 0 || pc2 + 1 >= n || s.charAt(pc2) != ' ' || s.charAt(pc2 + 1) != '(') {
      return 0;
    }
    int callerStart = pc2 + 2;
    int callerEnd = identifierEnd(s, callerStart, n);
    if (callerEnd == callerStart
        || callerEnd >= n
        || (s.charAt(callerEnd) != '+' && s.charAt(callerEnd) != '.')) {
      return 0;
    }
    out.add(s.substring(nameStart, nameEnd));
    out.add(s.substring(callerStart, callerEnd));
    return 2;
  }

  private static final String FROM = ") from ";

  /** The end of a PC bracket starting at {@code i} in {@code s[.., n)}, or -1. */
  private static int pcEnd(String s, int i, int n) {
    if (i >= n || s.charAt(i) != '[') {
      return -1;
    }
    i++;
    if (i < n && s.charAt(i) == '<') {
      i++;
    }
    int end = hexBracketEnd(s, i, n);
    if (end < 0 && i + 2 <= n && s.startsWith("0x", i)) {
      end = hexBracketEnd(s, i + 2, n);
    }
    return end;
  }

  private static int hexBracketEnd(String s, int i, int n) {
    int start = i;
    while (i < n && isLowerHex(s.charAt(i))) {
      i++;
    }
    if (i == start) {
      return -1;
    }
    if (i < n && s.charAt(i) == '>') {
      i++;
    }
    return i < n && s.charAt(i) == ']' ? i + 1 : -1;
  }

  private static int identifierEnd(String s, int i, int n) {
    while (i < n && isIdentifier(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static boolean isIdentifier(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /** Whether {@code line} is a frame line at all. */
  static boolean isFrame(String line) {
    return frames(line, new java.util.ArrayList<>(2)) > 0;
  }

  /** The RIP-line function of {@code line}, "" when the line is a RIP line without one, else null. */
  static String rip(String line) {
    if (line.indexOf("IP") < 0 && line.indexOf("pc ") < 0 && line.indexOf("PC is at") < 0) {
      return null;
    }
    Matcher m = RIP.matcher(line);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? m.group(1) : "";
  }
}
