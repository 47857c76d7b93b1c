package org.crashdex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.scan.RecordKind;

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

  /** The JSON object of one record: location first, then every extracted field. */
  static ObjectNode toJson(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
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
  }

  private static final class Text extends RecordPrinter {
    Text(PrintWriter out) {
      super(out);
    }

    @Override
    void print(String source, long offset, long length, RecordKind kind, ExtractedRecord fields) {
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
      out.println(line);
    }
  }
}
