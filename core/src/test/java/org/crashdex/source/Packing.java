package org.crashdex.source;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.crashdex.source.archive.Compression;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Builds compressed files and tarballs in memory for tests, with the same libraries crashdex reads them with. */
final class Packing {
  private Packing() {}

  interface Encoder {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  static Encoder encoder(Compression c) {
    return switch (c) {
      case GZIP -> GzipCompressorOutputStream::new;
      case XZ -> out -> new XZOutputStream(out, new LZMA2Options(1));
      case ZSTD -> ZstdOutputStream::new;
      case BZIP2 -> BZip2CompressorOutputStream::new;
    };
  }

  static byte[] compress(Compression c, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = encoder(c).wrap(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** A tarball of {@code members} (path to content), in the map's order. */
  static byte[] tar(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(m.getKey());
        e.setSize(m.getValue().length);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.write(m.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Streams a directory into a compressed tarball file, members named by their path below {@code dir}. */
  static void tarDirectory(Path dir, Compression c, Path target) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        OutputStream compressed = encoder(c).wrap(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed);
        Stream<Path> files = Files.walk(dir)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        TarArchiveEntry e = new TarArchiveEntry(f.toFile(), dir.relativize(f).toString());
        tar.putArchiveEntry(e);
        Files.copy(f, tar);
        tar.closeArchiveEntry();
      }
    }
  }

  static Map<String, byte[]> members(Object... pathsAndContents) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Object v = pathsAndContents[i + 1];
      m.put((String) pathsAndContents[i], v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v);
    }
    return m;
  }
}
