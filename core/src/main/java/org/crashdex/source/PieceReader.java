package org.crashdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.crashdex.scan.RecordScanner;

/**
 * Reads an input that cannot be mapped (a decompressed member, a file that may still change) into one
 * reusable off-heap buffer and hands it to the visitor as {@link Source} pieces.
 *
 * <p>The buffer grows by doubling up to {@link ReadLimits#wholeBytes()}, and is kept for the next
 * input: a tarball of a million small logs allocates once. An input that fits is handed over whole,
 * after it was read to its end, so a truncated member is never half-delivered. A larger one is handed
 * over in pieces: when the buffer is full it is scanned for the start of the last record, everything
 * before that start is one piece, and the rest (the record that may continue, or the last two lines
 * when no record is open: a bisection's "starts bisection" line looks one line ahead) moves to the
 * front of the buffer to be completed by the next read. Pieces thus start at record starts and a scan
 * of each finds the records of a scan of the whole. Only a record longer than the buffer is cut.
 */
final class PieceReader implements AutoCloseable {

  /** Where bytes come from; returns the number read into {@code into} (at least 1), or -1 at the end. */
  interface Input {
    long read(MemorySegment into) throws IOException;
  }

  enum Outcome {
    DELIVERED,
    EMPTY,
    BINARY,
    /** The first bytes said the input is an archive; nothing was delivered. */
    ARCHIVE
  }

  private static final long INITIAL = 1 << 20;

  private final long cap;
  private final byte[] transfer = new byte[1 << 16];
  private Arena arena;
  private MemorySegment buffer;

  PieceReader(long cap) {
    this.cap = cap;
  }

  /** Reads {@code in} to its end, handing pieces to {@code visitor}; input errors propagate. */
  Outcome read(String name, long modifiedMillis, WorkdirCrash crash, Input in, SourceVisitor visitor)
      throws IOException {
    return read(name, modifiedMillis, crash, in, visitor, null);
  }

  /**
   * Same, first asking {@code archive} (when not null) whether the input's first bytes (the first
   * buffer's worth) are an archive's, in which case nothing is delivered.
   */
  Outcome read(
      String name, long modifiedMillis, WorkdirCrash crash, Input in, SourceVisitor visitor,
      java.util.function.Predicate<MemorySegment> archive)
      throws IOException {
    ensureCapacity(Math.min(cap, INITIAL), 0);
    long filled = 0;
    long base = 0;
    boolean end = false;
    while (true) {
      while (!end) {
        if (filled == buffer.byteSize()) {
          if (buffer.byteSize() >= cap) {
            break;
          }
          ensureCapacity(Math.min(cap, buffer.byteSize() * 2), filled);
        }
        long n = in.read(buffer.asSlice(filled));
        if (n < 0) {
          end = true;
        } else {
          filled += n;
        }
      }
      MemorySegment data = buffer.asSlice(0, filled);
      if (base == 0) {
        if (filled == 0) {
          return Outcome.EMPTY;
        }
        if (archive != null && archive.test(data)) {
          return Outcome.ARCHIVE;
        }
        if (SourceWalker.looksBinary(data)) {
          return Outcome.BINARY;
        }
      }
      if (end) {
        deliver(visitor, new Source(name, data, modifiedMillis, base, true, crash, false));
        return Outcome.DELIVERED;
      }
      long cut = cutPoint(data);
      deliver(visitor, new Source(name, data.asSlice(0, cut), modifiedMillis, base, false, crash, false));
      MemorySegment.copy(buffer, cut, buffer, 0, filled - cut);
      filled -= cut;
      base += cut;
    }
  }

  /** Where to end a piece of a full buffer: the start of the last record, or of the last complete line. */
  static long cutPoint(MemorySegment data) {
    long size = data.byteSize();
    long[] lastStart = {-1};
    RecordScanner.scan(data, (offset, length, kind) -> lastStart[0] = offset);
    long lastNewline = lastIndexOf(data, size, (byte) '\n');
    long keepLines = lastNewline < 0 ? 0 : lastIndexOf(data, lastNewline, (byte) '\n') + 1;
    long cut = lastStart[0] < 0 ? keepLines : Math.min(lastStart[0], keepLines);
    if (cut == 0) {
      // One record (or line) fills the whole buffer: cut it at its last line end, or anywhere.
      cut = lastNewline >= 0 ? lastNewline + 1 : size;
    }
    return cut;
  }

  private static long lastIndexOf(MemorySegment data, long before, byte b) {
    for (long i = before - 1; i >= 0; i--) {
      if (data.get(ValueLayout.JAVA_BYTE, i) == b) {
        return i;
      }
    }
    return -1;
  }

  private static void deliver(SourceVisitor visitor, Source source) {
    try {
      visitor.source(source);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new VisitorAbort(e);
    }
  }

  private void ensureCapacity(long capacity, long keep) {
    if (buffer != null && buffer.byteSize() >= capacity) {
      return;
    }
    // A shared arena: the visitor may hand slices to worker threads during its call.
    Arena next = Arena.ofShared();
    MemorySegment grown = next.allocate(capacity, 64);
    if (keep > 0) {
      MemorySegment.copy(buffer, 0, grown, 0, keep);
    }
    if (arena != null) {
      arena.close();
    }
    arena = next;
    buffer = grown;
  }

  /** Reads a stream through a small heap buffer (decoders only speak byte arrays). */
  Input of(InputStream in) {
    return into -> {
      int n = in.read(transfer, 0, (int) Math.min(transfer.length, into.byteSize()));
      if (n > 0) {
        MemorySegment.copy(transfer, 0, into, ValueLayout.JAVA_BYTE, 0, n);
      }
      return n;
    };
  }

  /**
   * Reads {@code length} bytes of a file straight into the buffer, as a snapshot: the file ending
   * earlier means it shrank while being read.
   */
  static Input of(FileChannel channel, long length) {
    long[] position = {0};
    return into -> {
      long remaining = length - position[0];
      if (remaining == 0) {
        return -1;
      }
      ByteBuffer bb = into.asSlice(0, Math.min(Math.min(remaining, into.byteSize()), 1 << 30)).asByteBuffer();
      int n = channel.read(bb, position[0]);
      if (n < 0) {
        throw new InputDamage(0, "shrank while being read (" + length + " bytes when opened, " + position[0] + " now)");
      }
      position[0] += n;
      return n;
    };
  }

  @Override
  public void close() {
    if (arena != null) {
      arena.close();
      arena = null;
      buffer = null;
    }
  }
}
