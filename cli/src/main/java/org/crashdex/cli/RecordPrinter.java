package org.crashdex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.scan.RecordKind;
import org.crashdex.source.WorkdirCrash;

/** Prints records found by {@code scan}: a readable line each, or JSON Lines. */
abstract sealed class RecordPrinter {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final PrintWriter out;

  private RecordPrinter(PrintWriter out) {
    this.out = out;
  }

  static RecordPrinter text(PrintWriter out) {
    return new Text(out);
  }

  static RecordPrinter json(PrintWriter out) {
    return new Json(out);
  }

  abstract void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields);

  /**
   * Prints a record of a source that may belong to a syz-manager crash directory ({@code crash} non
   * null); {@code modifiedMillis} is the source file's time.
   */
  void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields, WorkdirCrash crash, long modifiedMillis) {
    print(source, offset, length, kind, fields);
  }

  /** The JSON object of one record: location first, then every extracted field. */
  static ObjectNode toJson(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
    return toJson(source, offset, length, kind, fields, null, 0);
  }

  /**
   * The JSON object of one record, with a {@code workdir} object for a record of a syz-manager crash
   * directory's log or report: {@code crashId}, {@code description}, {@code titleDiffers} (the
   * record's recomputed title is not the description), {@code tag} (null without a tag file), {@code
   * occurrence} (N of logN), {@code file} ("log" or "report") and {@code time} (the file's time, ISO
   * 8601 UTC).
   */
  static ObjectNode toJson(
      String source, long offset, long length, RecordKind kind, ExtractedRecord fields, WorkdirCrash crash, long modifiedMillis) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("source", source);
    node.put("offset", offset);
    node.put("length", length);
    node.put("kind", kind.label());
    if (fields.crash() != null) {
      node.setAll((ObjectNode) MAPPER.valueToTree(fields.crash()));
    } else {
      node.put("title", fields.title());
      node.putArray("frames");
    }
    if (fields.bisection() != null) {
      ObjectNode b = MAPPER.valueToTree(fields.bisection());
      b.remove("crash");
      node.set("bisection", b);
    }
    if (crash != null) {
      ObjectNode w = node.putObject("workdir");
      w.put("crashId", crash.crashId());
      w.put("description", crash.description());
      w.put("titleDiffers", crash.titleDiffers(fields.title()));
      w.put("tag", crash.tag());
      w.put("occurrence", crash.occurrence());
      w.put("file", crash.file());
      w.put("time", modifiedMillis > 0 ? Instant.ofEpochMilli(modifiedMillis).toString() : null);
    }
    return node;
  }

  private static final class Json extends RecordPrinter {
    Json(PrintWriter out) {
      super(out);
    }

    @Override
    void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
      out.println(toJson(source, offset, length, kind, fields).toString());
    }

    @Override
    void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields, WorkdirCrash crash, long modifiedMillis) {
      out.println(toJson(source, offset, length, kind, fields, crash, modifiedMillis).toString());
    }
  }

  private static final class Text extends RecordPrinter {
    Text(PrintWriter out) {
      super(out);
    }

    @Override
    void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields, WorkdirCrash crash, long modifiedMillis) {
      StringBuilder line = line(source, offset, length, kind, fields);
      if (crash != null && crash.titleDiffers(fields.title())) {
        line.append("\t[crash directory says: ").append(crash.description()).append(']');
      }
      out.println(line);
    }

    @Override
    void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
      out.println(line(source, offset, length, kind, fields));
    }

    private static StringBuilder line(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
      String title = fields.title();
      StringBuilder line = new StringBuilder();
      line.append(source).append(':').append(offset).append('\t').append(kind.label()).append('\t')
          .append(Sizes.bytes(length)).append('\t').append(title == null ? "(no crash report)" : title);
      var b = fields.bisection();
      if (b != null) {
        if (b.culprit() != null) {
          line.append("\t[culprit ").append(b.culprit(), 0, Math.min(12, b.culprit().length())).append(']');
        } else if (b.result() != null) {
          line.append("\t[").append(b.result()).append(']');
        }
      }
      return line;
    }
  }
}
