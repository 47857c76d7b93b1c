package org.crashdex.search;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.crashdex.index.FileFingerprint;
import org.crashdex.scan.MappedFile;
import org.crashdex.source.Source;
import org.crashdex.source.SourceVisitor;
import org.crashdex.source.SourceWalker;

/**
 * Reads a hit's original bytes back from its file: mapped, not copied, and only after checking that
 * the file is still the one that was indexed (same size, time and edge hash). A file that changed
 * since is reported, never silently misread: its offsets would point at other text.
 */
public final class RecordSource {
  private RecordSource() {}

  /** Receives the record's bytes, valid only during the call. */
  @FunctionalInterface
  public interface BytesSink {
    void accept(MemorySegment bytes) throws IOException;
  }

  /** Why a record could not be read back. */
  public static final class StaleException extends IOException {
    public StaleException(String message) {
      super(message);
    }
  }

  /**
   * Hands the bytes of {@code hit} to {@code sink}.
   *
   * @param indexed what the index recorded about the hit's file, or null if it recorded nothing
   * @throws StaleException the file is gone or changed since it was indexed
   */
  public static void read(Hit hit, FileFingerprint indexed, BytesSink sink) throws IOException {
    if (hit.source().contains("!/")) {
      readMember(hit, indexed, sink);
      return;
    }
    Path path = Path.of(hit.origin() != null ? hit.origin() : hit.source());
    if (!Files.isRegularFile(path)) {
      throw new StaleException(hit.source() + ": no longer exists (indexed as " + path + "); run 'crashdex index --prune' to drop it");
    }
    try (MappedFile file = MappedFile.open(path)) {
      check(hit, indexed, FileFingerprint.of(file.segment(), Files.getLastModifiedTime(path).toMillis()));
      sink.accept(file.segment().asSlice(hit.offset(), hit.length()));
    }
  }

  private static void readMember(Hit hit, FileFingerprint indexed, BytesSink sink) throws IOException {
    String archive = hit.origin().substring(0, hit.origin().indexOf("!/"));
    boolean[] found = {false};
    IOException[] error = {null};
    try {
      SourceWalker.walk(
          List.of(Path.of(archive)),
          new SourceVisitor() {
            @Override
            public void source(Source source) throws Exception {
              if (!found[0] && source.name().endsWith(hit.source().substring(hit.source().indexOf("!/")))) {
                found[0] = true;
                check(hit, indexed, FileFingerprint.of(source.data(), source.modifiedMillis()));
                sink.accept(source.data().asSlice(hit.offset(), hit.length()));
              }
            }

            @Override
            public void failed(String name, String message) {
              error[0] = new IOException(name + ": " + message);
            }
          });
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!found[0]) {
      throw error[0] != null ? error[0] : new StaleException(hit.source() + ": no longer in its archive");
    }
  }

  private static void check(Hit hit, FileFingerprint indexed, FileFingerprint now) throws StaleException {
    if (indexed != null && !indexed.equals(now)) {
      StringBuilder why = new StringBuilder(hit.source()).append(": changed since it was indexed (");
      if (indexed.size() != now.size()) {
        why.append("size ").append(indexed.size()).append(" -> ").append(now.size()).append(" bytes");
      } else if (indexed.modifiedMillis() != now.modifiedMillis()) {
        why.append("modified ").append(Instant.ofEpochMilli(indexed.modifiedMillis()))
            .append(" -> ").append(Instant.ofEpochMilli(now.modifiedMillis()));
      } else {
        why.append("same size and time, different content");
      }
      throw new StaleException(why.append("); run 'crashdex index' again").toString());
    }
    if (hit.offset() + hit.length() > now.size()) {
      throw new StaleException(hit.source() + ": shorter than the indexed record; run 'crashdex index' again");
    }
  }
}
