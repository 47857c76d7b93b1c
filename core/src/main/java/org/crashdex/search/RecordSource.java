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
import org.crashdex.source.archive.Compression;

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
    Path path = Path.of(hit.origin() != null ? hit.origin() : hit.source());
    if (hit.source().contains("!/") || compressed(path)) {
      // An archive member, or a compressed file whose offsets are offsets in its decoded bytes.
      readMember(hit, indexed, sink);
      return;
    }
    if (!Files.isRegularFile(path)) {
      throw new StaleException(hit.source() + ": no longer exists (indexed as " + path + "); run 'crashdex index --prune' to drop it");
    }
    try (MappedFile file = MappedFile.open(path)) {
      check(hit, indexed, FileFingerprint.of(file.segment(), Files.getLastModifiedTime(path).toMillis()));
      sink.accept(file.segment().asSlice(hit.offset(), hit.length()));
    }
  }

  private static void readMember(Hit hit, FileFingerprint indexed, BytesSink sink) throws IOException {
    String origin = hit.origin() != null ? hit.origin() : hit.source();
    String archive = origin.contains("!/") ? origin.substring(0, origin.indexOf("!/")) : origin;
    String member = hit.source().contains("!/") ? hit.source().substring(hit.source().indexOf("!/")) : null;
    boolean[] found = {false};
    IOException[] error = {null};
    try {
      SourceWalker.walk(
          List.of(Path.of(archive)),
          new SourceVisitor() {
            @Override
            public void source(Source source) throws Exception {
              boolean named = member == null ? !source.name().contains("!/") : source.name().endsWith(member);
              if (!found[0] && named && hit.offset() >= source.offset() && hit.offset() + hit.length() <= source.end()) {
                found[0] = true;
                if (source.whole()) {
                  check(hit, indexed, FileFingerprint.of(source.data(), source.modifiedMillis()));
                } // else a piece of a member too large for one buffer: the indexed fingerprint covers the whole
                sink.accept(source.slice(hit.offset(), hit.length()));
                throw new Found();
              }
            }

            @Override
            public void failed(String name, String message) {
              error[0] = new IOException(name + ": " + message);
            }
          });
    } catch (Found e) {
      return; // read: the rest of the archive need not be
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!found[0]) {
      throw error[0] != null ? error[0] : new StaleException(hit.source() + ": no longer in its archive");
    }
  }

  /** Ends the walk of an archive once the record is read. */
  private static final class Found extends RuntimeException {
    Found() {
      super(null, null, false, false);
    }
  }

  /** Whether a file is compressed (by its bytes, as {@link SourceWalker} decides). */
  private static boolean compressed(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    try (var in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(Compression.MAGIC_BYTES);
      return Compression.detect(head, head.length) != null;
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
