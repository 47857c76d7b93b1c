package org.crashdex.source;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crashdex.scan.RecordSpan;

/** A visitor that writes down everything a walk reports, copying the bytes it is handed. */
class Recorder implements SourceVisitor {
  record Piece(String name, long offset, boolean last, WorkdirCrash crash, long modifiedMillis, byte[] bytes) {}

  final List<Piece> pieces = new ArrayList<>();
  final List<String> finished = new ArrayList<>();
  final Map<String, String> skipped = new LinkedHashMap<>();
  final Map<String, String> failed = new LinkedHashMap<>();
  /** Records found in pieces, by source name, with offsets in the whole source. */
  final Map<String, List<RecordSpan>> records = new LinkedHashMap<>();

  static Recorder walk(ReadLimits limits, Path... roots) throws Exception {
    Recorder r = new Recorder();
    SourceWalker.walk(List.of(roots), r, limits);
    return r;
  }

  static Recorder walk(Path... roots) throws Exception {
    return walk(ReadLimits.DEFAULT, roots);
  }

  @Override
  public void source(Source source) {
    pieces.add(new Piece(source.name(), source.offset(), source.last(), source.crash(), source.modifiedMillis(),
        source.data().toArray(ValueLayout.JAVA_BYTE)));
    List<RecordSpan> list = records.computeIfAbsent(source.name(), k -> new ArrayList<>());
    source.scan((offset, length, kind) -> list.add(new RecordSpan(offset, length, kind)));
  }

  @Override
  public void finished(String name) {
    finished.add(name);
  }

  @Override
  public void skipped(String name, String reason) {
    skipped.put(name, reason);
  }

  @Override
  public void failed(String name, String message) {
    failed.put(name, message);
  }

  /** The whole content handed over for {@code name}, pieces joined. */
  String text(String name) {
    StringBuilder sb = new StringBuilder();
    for (Piece p : pieces) {
      if (p.name().equals(name)) {
        if (p.offset() != sb.length()) {
          throw new AssertionError("piece of " + name + " at " + p.offset() + " after " + sb.length() + " bytes");
        }
        sb.append(new String(p.bytes(), StandardCharsets.ISO_8859_1));
      }
    }
    return sb.toString();
  }

  List<String> names() {
    return pieces.stream().map(Piece::name).distinct().toList();
  }
}
