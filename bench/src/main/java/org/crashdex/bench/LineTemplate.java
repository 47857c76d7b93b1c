package org.crashdex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a sample log, cut into literal text and the values that vary between copies of it:
 * commit hashes, kernel signatures, addresses, pids, function names. Parsing happens once; rendering
 * a copy only appends parts, so the generator writes a gibibyte in seconds.
 *
 * <p>Values that must agree inside one record (the culprit commit in "testing commit", "first bad
 * commit" and the kernel version; the function in a title and in its frames; a task's pid in the
 * header and in the CPU line) are <em>keyed</em>: rendered through a {@link Variation} that maps each
 * original value to one fresh value per record.
 */
final class LineTemplate {

  /** What a part of a line is. */
  enum Kind {
    LITERAL,
    /** 40 hex digits: a commit. Keyed by its first 12 digits, so abbreviations agree. */
    COMMIT,
    /** 12 hex digits after "-g" in a kernel version: an abbreviated commit. */
    COMMIT_ABBREV,
    /** 64 hex digits: a kernel signature. Keyed. */
    SIGNATURE,
    /** 16 hex digits: an address or register value. The first 6 digits are kept (ffff88…, 000000…). */
    ADDRESS,
    /** "+0x1e4/0x290": a frame's offset and size. */
    FRAME_OFFSET,
    /** A line number after "file.c:". */
    SOURCE_LINE,
    /** A pid or task id. Keyed. */
    PID,
    /** A kernel function name seen in a stack frame. Keyed. */
    FUNCTION
  }

  record Part(Kind kind, String text) {}

  private static final Pattern TOKEN =
      Pattern.compile(
          "(?<sig>\\b[0-9a-f]{64}\\b)"
              + "|(?<commit>\\b[0-9a-f]{40}\\b)"
              + "|(?<abbrev>(?<=-g)[0-9a-f]{12}\\b)"
              + "|(?<addr>\\b[0-9a-f]{16}\\b)"
              + "|(?<offset>\\+0x[0-9a-f]+/0x[0-9a-f]+)"
              + "|(?<line>(?<=\\.[chS]:)[0-9]+)"
              + "|(?<pid>(?<=PID: |task |id=|\\.[0-9]/|executor[0-9]{3}/)[0-9]{3,5}\\b)"
              + "|(?<word>[A-Za-z_][A-Za-z0-9_]*)");

  private final Part[] parts;

  private LineTemplate(Part[] parts) {
    this.parts = parts;
  }

  /**
   * Cuts {@code line} into parts; words in {@code functions} become {@link Kind#FUNCTION} parts, all
   * other words stay literal.
   */
  static LineTemplate parse(String line, Set<String> functions) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    Matcher m = TOKEN.matcher(line);
    int last = 0;
    while (m.find()) {
      literal.append(line, last, m.start());
      last = m.end();
      Kind kind;
      if (m.group("sig") != null) {
        kind = Kind.SIGNATURE;
      } else if (m.group("commit") != null) {
        kind = Kind.COMMIT;
      } else if (m.group("abbrev") != null) {
        kind = Kind.COMMIT_ABBREV;
      } else if (m.group("addr") != null) {
        kind = Kind.ADDRESS;
      } else if (m.group("offset") != null) {
        kind = Kind.FRAME_OFFSET;
      } else if (m.group("line") != null) {
        kind = Kind.SOURCE_LINE;
      } else if (m.group("pid") != null) {
        kind = Kind.PID;
      } else if (functions.contains(m.group())) {
        kind = Kind.FUNCTION;
      } else {
        kind = Kind.LITERAL;
      }
      if (kind == Kind.LITERAL) {
        literal.append(m.group());
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(new Part(Kind.LITERAL, literal.toString()));
        literal.setLength(0);
      }
      parts.add(new Part(kind, m.group()));
    }
    literal.append(line, last, line.length());
    if (!literal.isEmpty()) {
      parts.add(new Part(Kind.LITERAL, literal.toString()));
    }
    return new LineTemplate(parts.toArray(new Part[0]));
  }

  /** Appends one copy of the line (without the newline) to {@code out}. */
  void render(ByteSink out, Variation v) {
    for (Part p : parts) {
      switch (p.kind) {
        case LITERAL -> out.ascii(p.text);
        case COMMIT -> out.ascii(v.commit(p.text.substring(0, 12)));
        case COMMIT_ABBREV -> out.ascii(v.commit(p.text), 0, 12);
        case SIGNATURE -> out.ascii(v.signature(p.text));
        case ADDRESS -> {
          out.ascii(p.text, 0, 6);
          v.hex(out, 10);
        }
        case FRAME_OFFSET -> v.frameOffset(out);
        case SOURCE_LINE -> out.decimal(v.sourceLine());
        case PID -> out.decimal(v.pid(p.text));
        case FUNCTION -> out.ascii(v.function(p.text));
      }
    }
  }
}
