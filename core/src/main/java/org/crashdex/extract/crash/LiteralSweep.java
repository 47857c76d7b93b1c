package org.crashdex.extract.crash;

/**
 * Answers "does this line hold the literal?" for the lines of one text, asked in order, with one
 * forward search over the text instead of one search per line.
 *
 * <p>A search per line pays the call and set-up of {@code String.contains} on every line, and most
 * literals the report locator looks for ("Code disassembly", "Sending NMI from CPU" …) occur in no
 * line at all: here the text is searched once up to the next occurrence, and each line only
 * compares that position with its own bounds.
 *
 * <pre>{@code
 * LiteralSweep nmi = new LiteralSweep(text, "Sending NMI from CPU");
 * for (each line [from, to) of text, in order) { if (nmi.in(from, to)) { ... } }
 * }</pre>
 */
final class LiteralSweep {
  private final String text;
  private final String literal;
  /**
   * The literal without its leading blank (" [inline]" is searched as "[inline]"): a search keyed on
   * a blank stops at every word of the text.
   */
  private final String anchor;
  /** The first occurrence at or after the last {@code from} asked about; text.length() when none. */
  private int next = -1;

  LiteralSweep(String text, String literal) {
    this.text = text;
    this.literal = literal;
    this.anchor = literal.length() > 1 && literal.charAt(0) == ' ' ? literal.substring(1) : literal;
  }

  /**
   * Same, where the caller already searched the whole text: {@code first} is the literal's first
   * occurrence in it, or -1. A literal the text lacks then costs no search at all.
   */
  LiteralSweep(String text, String literal, int first) {
    this(text, literal);
    next = first < 0 ? text.length() : first;
  }

  /** The first occurrence at or after {@code from}, or the text's length. */
  private int find(int from) {
    int skip = literal.length() - anchor.length();
    for (int at = text.indexOf(anchor, from + skip); at >= 0; at = text.indexOf(anchor, at + 1)) {
      if (skip == 0 || text.charAt(at - 1) == ' ') {
        return at - skip;
      }
    }
    return text.length();
  }

  /**
   * Whether {@code text[from, to)} contains the literal. Calls must come with non-decreasing
   * {@code from}; {@code to} must not pass the end of the line that holds {@code from} when the
   * literal holds no line terminator (otherwise a match could span lines).
   */
  boolean in(int from, int to) {
    if (next < from) {
      next = find(from);
    }
    return next + literal.length() <= to;
  }
}
