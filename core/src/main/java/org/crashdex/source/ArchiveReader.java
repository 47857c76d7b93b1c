package org.crashdex.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.crashdex.source.archive.Compression;
import org.crashdex.source.archive.TarFormat;

/**
 * Reads one compressed file or tarball as a stream, whatever the nesting ({@code a.tar!/b.tar.gz!/c.log}),
 * and hands each text member to the visitor through the {@link PieceReader}: no temporary file, no copy
 * of the archive, memory bounded by the piece buffer and the decoders' windows.
 *
 * <h2>Damage</h2>
 *
 * Every stream of the nest is a {@link GuardedInputStream} layer. Damage inside a member (its own
 * {@code .gz} is corrupt) fails that member and the tarball goes on with the next; damage of the
 * tarball or of anything below it (the outer {@code .tar.gz} is truncated) fails the member being read
 * and ends the tarball, with one line naming both. Members read before the damage stay good.
 */
final class ArchiveReader {
  /** Decoders and tarballs nested deeper than this are refused (a decompression bomb, not a log archive). */
  static final int MAX_NESTING = 16;

  private final PieceReader pieces;
  private final SourceVisitor visitor;

  /** The member whose bytes are being read, for naming it when damage is found; null between members. */
  private String reading;

  /*
   * syz-manager crash directories packed in a tarball. A tarball lists files in whatever order tar
   * found them, and even sorted, tag0 comes after log0: the metadata of a crash directory may follow
   * its logs. So the logs and reports of crash directories are deferred in a first pass that collects
   * every description and tag, and delivered with them by a second pass over the same file, which
   * reads nothing but up to the last deferred member. Only tarballs holding crash directories are read
   * twice. A crash directory is one whose description was seen first, or whose name is a SHA-1 (as
   * syz-manager names them); a log0 in another directory whose description comes later is read as an
   * ordinary file.
   */
  private final Map<String, String> descriptions = new HashMap<>();
  private final Map<String, String> tags = new HashMap<>();
  private final Set<String> deferred = new LinkedHashSet<>();
  private boolean replay;
  private int remaining;

  ArchiveReader(PieceReader pieces, SourceVisitor visitor) {
    this.pieces = pieces;
    this.visitor = visitor;
  }

  /**
   * Reads the file {@code name} from {@code file} (positioned at its start). Reports everything,
   * failures included, to the visitor; returns normally unless the visitor throws.
   */
  void readFile(InputStream file, String name, long modifiedMillis, WorkdirCrash crash) {
    descriptions.clear();
    tags.clear();
    deferred.clear();
    replay = false;
    walk(file, name, modifiedMillis, crash);
  }

  /** Whether the last {@link #readFile} deferred crash-directory members to a {@link #replay}. */
  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /** The second pass over the file of the last {@link #readFile}: only its deferred members. */
  void replay(InputStream file, String name, long modifiedMillis, WorkdirCrash crash) {
    replay = true;
    remaining = deferred.size();
    walk(file, name, modifiedMillis, crash);
    replay = false;
    deferred.clear();
  }

  private void walk(InputStream file, String name, long modifiedMillis, WorkdirCrash crash) {
    reading = null;
    try {
      read(new GuardedInputStream(file, 0, "data (read error)"), name, name, modifiedMillis, crash, 0);
    } catch (InputDamage d) {
      String where = reading == null ? name : reading;
      visitor.failed(where, d.getMessage() + (where.equals(name) ? "" : "; the rest of " + name + " was not read"));
    } catch (IOException e) {
      visitor.failed(reading == null ? name : reading, SourceWalker.describe(e));
    }
  }

  /**
   * Reads one stream: decodes it if compressed, walks it if a tarball, else hands it over as a text
   * input. {@code in} is a layer of number {@code layer}; {@code hint} is the name its suffixes speak
   * for ({@code x.tar} for the decoded bytes of {@code x.tar.gz}).
   */
  private void read(InputStream in, String name, String hint, long modifiedMillis, WorkdirCrash crash, int layer)
      throws IOException {
    if (layer > MAX_NESTING) {
      throw new InputDamage(layer, "compressed or archived more than " + MAX_NESTING + " levels deep");
    }
    // The head is read off and put back in front: no buffer per member (a tarball of small logs has
    // tens of thousands). Decoders and tarballs, one per stream, get a read-ahead buffer.
    byte[] head = in.readNBytes(TarFormat.HEADER_BYTES);
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
    Compression compression = Compression.detect(head, head.length);
    if (compression != null) {
      int decoded = layer + 1;
      InputStream decoder;
      try {
        decoder = compression.open(new BufferedInputStream(whole, 1 << 16));
      } catch (IOException e) {
        throw InputDamage.of(decoded, compression.label() + " data", e);
      }
      try (decoder) {
        read(new GuardedInputStream(decoder, decoded, compression.label() + " data"), name,
            compression.innerName(hint), modifiedMillis, crash, decoded);
      }
    } else if (TarFormat.detect(head, head.length, TarFormat.byName(hint))) {
      readTar(new BufferedInputStream(whole, 1 << 16), name, layer + 1);
    } else if (Compression.byName(hint) != null && head.length > 0 && SourceWalker.looksBinary(MemorySegment.ofArray(head))) {
      throw new InputDamage(layer, "not " + Compression.byName(hint).label() + " data, though named so");
    } else {
      readText(whole, name, modifiedMillis, crash);
    }
  }

  private void readText(InputStream in, String name, long modifiedMillis, WorkdirCrash crash) throws IOException {
    reading = name;
    PieceReader.Outcome outcome = pieces.read(name, modifiedMillis, crash, pieces.of(in), visitor);
    reading = null;
    switch (outcome) {
      case EMPTY -> visitor.skipped(name, "empty");
      case BINARY -> visitor.skipped(name, "binary, not a text log");
      case DELIVERED -> SourceWalker.finished(visitor, name);
    }
  }

  private String metadata(InputStream entryStream, String member) throws IOException {
    reading = member;
    String line = CrashDirectory.firstLine(entryStream.readNBytes(CrashDirectory.MAX_META_BYTES));
    reading = null;
    return line;
  }

  /** In a replay: whether a deferred member lies inside {@code member} (a nested tarball). */
  private boolean leadsToDeferred(String member) {
    String prefix = member + "!/";
    for (String d : deferred) {
      if (d.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private void readTar(InputStream in, String name, int tarLayer) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    InputStream entryStream = new GuardedInputStream(tar, tarLayer, "tar archive");
    String previous = null;
    while (!(replay && remaining == 0)) {
      TarArchiveEntry entry;
      try {
        entry = tar.getNextEntry();
      } catch (IOException e) {
        throw InputDamage.of(tarLayer, "tar archive" + (previous == null ? "" : " after " + previous), e);
      }
      if (entry == null) {
        return;
      }
      String path = TarFormat.memberPath(entry.getName());
      String member = name + "!/" + path;
      previous = path;
      if (entry.isDirectory() || path.isEmpty()) {
        continue;
      }
      boolean wanted = replay && deferred.contains(member);
      if (replay && !wanted && !leadsToDeferred(member)) {
        continue; // handled by the first pass
      }
      if (!entry.isFile()) {
        visitor.skipped(member, entry.isSymbolicLink() || entry.isLink() ? "link inside an archive, not followed" : "special file inside an archive");
        continue;
      }
      int slash = path.lastIndexOf('/');
      String dir = name + "!/" + (slash < 0 ? "" : path.substring(0, slash));
      String dirName = dir.substring(dir.lastIndexOf('/') + 1);
      CrashDirectory.Entry role = CrashDirectory.classify(path.substring(slash + 1));
      boolean crashDirectory = descriptions.containsKey(dir) || CrashDirectory.looksLikeCrashId(dirName);
      WorkdirCrash crash = null;
      if (wanted) {
        remaining--;
        String description = descriptions.get(dir);
        if (description != null) {
          crash = CrashDirectory.of(dirName, description, tags.get(dir + "/" + role.occurrence()), role);
        }
      } else if (!replay) {
        switch (role.role()) {
          case TAG -> {
            if (!crashDirectory) {
              break;
            }
            tags.put(dir + "/" + role.occurrence(), metadata(entryStream, member));
            visitor.skipped(member, role.skipReason());
            continue;
          }
          case DESCRIPTION -> {
            descriptions.put(dir, metadata(entryStream, member));
            visitor.skipped(member, role.skipReason());
            continue;
          }
          case SKIPPED, VMCORE -> {
            if (crashDirectory) {
              visitor.skipped(member, role.skipReason());
              continue;
            }
          }
          case LOG, REPORT -> {
            if (crashDirectory) {
              deferred.add(member);
              continue;
            }
          }
          default -> {}
        }
      }
      try {
        long modified = entry.getLastModifiedTime() == null ? 0 : entry.getLastModifiedTime().toMillis();
        read(entryStream, member, path, modified, crash, tarLayer);
      } catch (InputDamage d) {
        if (d.layer <= tarLayer) {
          throw d; // this tarball, or what it is read from, is broken: nothing more can be read
        }
        visitor.failed(reading == null ? member : reading, d.getMessage());
        reading = null;
      }
    }
  }
}
