package org.crashdex.extract.crash;

import org.crashdex.extract.ConsoleLine;

/**
 * The lines of one log text, as offsets into it: what {@link CrashReportParser#splitLines} and
 * {@link ConsoleLine#parse} give, without a String and a ConsoleLine per line.
 *
 * <p>The parser walks a report's lines several times (locating it, reading frames, files and the
 * task line); over one String and a few int arrays those walks stay in a few cache lines, where a
 * list of ConsoleLines sent each of them through three objects per line. Line {@code i} is {@code
 * text[start(i), end(i))}, split on '\n' as Go's split does (a final empty piece after a trailing
 * '\n' is a line). Console prefixes are read only for the lines asked for ({@link #readPrefixes}).
 */
final class LogLines {
  final String text;
  /** The number of lines. */
  final int count;
  /** Where each line starts; one more entry, one past the end of the text (where a '\n' would be). */
  private final int[] starts;
  /** The first line whose prefix was read, and per line from there {@link ConsoleLine#prefix}. */
  private int first;
  private long[] prefixes = new long[0];

  private LogLines(String text, int[] starts, int count) {
    this.text = text;
    this.starts = starts;
    this.count = count;
  }

  static LogLines of(String text) {
    int[] starts = new int[Math.max(16, text.length() / 32)];
    int count = 0;
    int i = 0;
    while (true) {
      if (count + 1 >= starts.length) {
        starts = java.util.Arrays.copyOf(starts, starts.length * 2);
      }
      starts[count++] = i;
      int end = text.indexOf('\n', i);
      if (end < 0) {
        starts[count] = text.length() + 1;
        return new LogLines(text, starts, count);
      }
      i = end + 1;
    }
  }

  /** Where line {@code i} starts. */
  int start(int i) {
    return starts[i];
  }

  /** Where line {@code i} ends, before its '\n' (a '\r' before it is part of the line). */
  int end(int i) {
    return starts[i + 1] - 1;
  }

  /** Where line {@code i} ends without a trailing '\r' ({@link ConsoleLine#parse} drops one). */
  int contentEnd(int i) {
    int end = starts[i + 1] - 1;
    return end > starts[i] && text.charAt(end - 1) == '\r' ? end - 1 : end;
  }

  /** Reads the console prefixes of lines {@code [from, to)}; the methods below answer for those only. */
  void readPrefixes(int from, int to) {
    first = from;
    prefixes = new long[to - from];
    questionable = new boolean[to - from];
    // " ? " is searched for once over the text (LiteralSweep): most lines hold none.
    LiteralSweep unsure = new LiteralSweep(text, " ? ");
    // So is a login prompt, which nearly no line holds; the prefix reader then skips its search.
    LiteralSweep login = new LiteralSweep(text, ConsoleLine.LOGIN);
    for (int i = from; i < to; i++) {
      int end = contentEnd(i);
      long prefix = ConsoleLine.prefix(text, starts[i], end, login.in(starts[i], end));
      prefixes[i - from] = prefix;
      if (ConsoleLine.contextStart(prefix) != ConsoleLine.NO_CONTEXT) {
        int textStart = ConsoleLine.textStart(prefix);
        questionable[i - from] =
            (unsure.in(textStart, end) && text.indexOf("<EOI>", textStart, end) < 0)
                || (end - textStart >= UNRELIABLE.length() && text.startsWith(UNRELIABLE, end - UNRELIABLE.length()));
      }
    }
  }

  private static final String UNRELIABLE = " (unreliable)";

  /** Per line from {@link #first}, {@link ConsoleLine#questionable}. */
  private boolean[] questionable = new boolean[0];

  /** Where the text of line {@code i} starts, after its console prefix. */
  int textStart(int i) {
    return ConsoleLine.textStart(prefixes[i - first]);
  }

  /** {@link ConsoleLine#contextStart} of line {@code i}. */
  private int contextStart(int i) {
    return ConsoleLine.contextStart(prefixes[i - first]);
  }

  boolean hasContext(int i) {
    return contextStart(i) != ConsoleLine.NO_CONTEXT;
  }

  /** Whether lines {@code i} and {@code j} have equal contexts ({@link ConsoleLine#context}). */
  boolean sameContext(int i, int j) {
    int a = contextStart(i);
    int b = contextStart(j);
    if (a < 0 || b < 0) {
      return a == b;
    }
    int aEnd = ConsoleLine.contextEnd(text, prefixes[i - first], contentEnd(i));
    int bEnd = ConsoleLine.contextEnd(text, prefixes[j - first], contentEnd(j));
    return aEnd - a == bEnd - b && text.regionMatches(a, text, b, aEnd - a);
  }

  /** Whether line {@code i} has a caller id ("T81", "C1"). */
  boolean callerId(int i) {
    return contextStart(i) >= 0;
  }

  /** Whether line {@code i} has a CPU's caller id ("C1"). */
  boolean cpuContext(int i) {
    int c = contextStart(i);
    return c >= 0 && text.charAt(c) == 'C';
  }

  /** {@link ConsoleLine#questionable} of line {@code i}. */
  boolean questionable(int i) {
    return questionable[i - first];
  }
}
