package org.crashdex.scan;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped read-only into memory as one {@link MemorySegment}, whatever its size (the 2 GiB
 * limit of {@code MappedByteBuffer} does not apply). Closing the file unmaps it: segments obtained
 * from it must not be used afterwards.
 */
public final class MappedFile implements AutoCloseable {
  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;

  private MappedFile(Path path, Arena arena, MemorySegment segment) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
  }

  /**
   * Maps {@code path}. The arena is shared so that the segment may be read by several threads (the
   * indexer hands records of one file to workers).
   */
  public static MappedFile open(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      Arena arena = Arena.ofShared();
      try {
        // Mapping zero bytes is an error on some platforms; an empty file is an empty segment.
        MemorySegment seg =
            size == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        return new MappedFile(path, arena, seg);
      } catch (IOException | RuntimeException e) {
        arena.close();
        throw e;
      }
    }
  }

  public Path path() {
    return path;
  }

  /** The whole file. */
  public MemorySegment segment() {
    return segment;
  }

  public long size() {
    return segment.byteSize();
  }

  @Override
  public void close() {
    arena.close();
  }
}
