package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What tells an unchanged file from a changed one without reading it all: its size, its modification
 * time, and hashes of its first and last KiB (which catch a file rewritten within one timestamp tick,
 * and a log truncated and refilled to the same length).
 *
 * @param size bytes
 * @param modifiedMillis modification time, epoch milliseconds
 * @param headHash hash of the first {@value #EDGE} bytes
 * @param tailHash hash of the last {@value #EDGE} bytes (of the last piece, for an input read in pieces)
 */
public record FileFingerprint(long size, long modifiedMillis, long headHash, long tailHash) {
  /** Bytes hashed at each end. */
  static final int EDGE = 1024;

  /** The fingerprint of {@code data}, a whole file's bytes, modified at {@code modifiedMillis}. */
  public static FileFingerprint of(MemorySegment data, long modifiedMillis) {
    return new FileFingerprint(data.byteSize(), modifiedMillis, head(data), tail(data));
  }

  /** Hash of the first KiB of {@code data}. */
  static long head(MemorySegment data) {
    return hash(data, 0, Math.min(EDGE, data.byteSize()));
  }

  /** Hash of the last KiB of {@code data}. */
  static long tail(MemorySegment data) {
    long size = data.byteSize();
    return hash(data, Math.max(0, size - EDGE), size);
  }

  /** Same input as far as its first piece tells: the time and the head (for inputs read in pieces). */
  boolean sameStart(FileFingerprint other) {
    return other != null && modifiedMillis == other.modifiedMillis && headHash == other.headHash;
  }

  /** Eight bytes per step (the walker hashes both ends of every file it meets, in its own thread). */
  private static long hash(MemorySegment data, long from, long to) {
    long h = 0xCBF29CE484222325L ^ (to - from);
    long i = from;
    for (; i + 8 <= to; i += 8) {
      h = mix(h, data.get(WORD, i));
    }
    for (; i < to; i++) {
      h = mix(h, data.get(ValueLayout.JAVA_BYTE, i) & 0xFF);
    }
    return h ^ (h >>> 29);
  }

  private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

  private static long mix(long h, long word) {
    h = (h ^ word) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 32);
  }
}
