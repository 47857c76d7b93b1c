package org.crashdex.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.crashdex.source.archive.Compression;
import org.crashdex.source.archive.TarFormat;

/**
 * Re-reads a record's bytes by the source name and offsets a {@link SourceWalker} gave it, for {@code
 * crashdex show}.
 *
 * <p>A plain file is mapped and the range copied out, nothing else read. A compressed file is decoded
 * from its start up to the range (offsets are offsets in the decoded bytes); an archive member, {@code
 * a.tar.zst!/dir/x.log}, or a nested one, {@code a.tar!/b.tar.gz!/c.log}, is reached by streaming
 * through the archive to it: the cost is reading the archive up to the member, the memory a decoder's
 * window. A name resolves to the file on disk first ({@code a.tar!} could be a directory's name), then
 * to the shortest existing file before a {@code "!/"} and members inside it.
 */
public final class SourceOpener {
  private SourceOpener() {}

  /** Bytes {@code [offset, offset + length)} of the source named {@code sourceName}. */
  public static byte[] read(String sourceName, long offset, long length) throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      throw new IOException("record too long to read into memory: " + length + " bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
    copy(sourceName, offset, length, out);
    return out.toByteArray();
  }

  /**
   * Writes bytes {@code [offset, offset + length)} of the source named {@code sourceName} to {@code
   * out}. Throws {@link NoSuchFileException} when the file or member does not exist, {@link
   * java.io.EOFException} when it is shorter than the range (it changed since it was indexed).
   */
  public static void copy(String sourceName, long offset, long length, OutputStream out) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length");
    }
    Path file = Path.of(sourceName);
    String[] members = new String[0];
    if (!Files.isRegularFile(file)) {
      String[] parts = sourceName.split("!/", -1);
      int k = 1;
      while (k < parts.length && !Files.isRegularFile(Path.of(String.join("!/", java.util.Arrays.copyOf(parts, k))))) {
        k++;
      }
      if (k == parts.length) {
        throw new NoSuchFileException(sourceName);
      }
      file = Path.of(String.join("!/", java.util.Arrays.copyOf(parts, k)));
      members = java.util.Arrays.copyOfRange(parts, k, parts.length);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (members.length == 0 && !compressed(channel)) {
        copyMapped(channel, sourceName, offset, length, out);
        return;
      }
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
      String hint = file.getFileName().toString();
      try {
        for (String member : members) {
          in = decode(in);
          TarArchiveInputStream tar = new TarArchiveInputStream(in);
          TarArchiveEntry entry;
          while ((entry = tar.getNextEntry()) != null && !(entry.isFile() && TarFormat.memberPath(entry.getName()).equals(member))) {}
          if (entry == null) {
            throw new NoSuchFileException(sourceName, null, "no member " + member + " in its archive");
          }
          in = new BufferedInputStream(tar, 1 << 16);
          hint = member;
        }
        in = decode(in);
        in.skipNBytes(offset);
        byte[] buffer = new byte[1 << 16];
        long left = length;
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new java.io.EOFException(sourceName + " is shorter than offset " + offset + " + length " + length);
          }
          out.write(buffer, 0, n);
          left -= n;
        }
      } finally {
        in.close();
      }
    }
  }

  /** Unwraps every compression layer of {@code in}. */
  private static InputStream decode(InputStream in) throws IOException {
    for (int layer = 0; layer <= ArchiveReader.MAX_NESTING; layer++) {
      InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
      buffered.mark(Compression.MAGIC_BYTES);
      byte[] head = buffered.readNBytes(Compression.MAGIC_BYTES);
      buffered.reset();
      Compression c = Compression.detect(head, head.length);
      if (c == null) {
        return buffered;
      }
      in = new BufferedInputStream(c.open(buffered), 1 << 16);
    }
    throw new IOException("compressed more than " + ArchiveReader.MAX_NESTING + " levels deep");
  }

  private static boolean compressed(FileChannel channel) throws IOException {
    java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(Compression.MAGIC_BYTES);
    while (head.hasRemaining() && channel.read(head, head.position()) > 0) {}
    return Compression.detect(head.array(), head.position()) != null;
  }

  private static void copyMapped(FileChannel channel, String name, long offset, long length, OutputStream out)
      throws IOException {
    long size = channel.size();
    if (offset + length > size) {
      throw new java.io.EOFException(name + " is shorter than offset " + offset + " + length " + length + " (" + size + " bytes)");
    }
    if (length == 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
      byte[] chunk = new byte[(int) Math.min(length, 1 << 16)];
      for (long at = 0; at < length; at += chunk.length) {
        int n = (int) Math.min(chunk.length, length - at);
        MemorySegment.copy(segment, java.lang.foreign.ValueLayout.JAVA_BYTE, at, chunk, 0, n);
        out.write(chunk, 0, n);
      }
    } catch (InternalError e) {
      throw new IOException(name + " shrank while being read");
    }
  }
}
