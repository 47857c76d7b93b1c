package org.crashdex.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A buffered byte writer for ASCII text and numbers, with no per-call allocation: the generator
 * writes a gibibyte through it and its memory use stays at one buffer.
 */
final class ByteSink implements AutoCloseable {
  private static final int BUFFER_BYTES = 1 << 20;

  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int used;
  private long flushed;

  ByteSink(OutputStream out) {
    this.out = out;
  }

  /** Bytes written so far, buffered or not. */
  long position() {
    return flushed + used;
  }

  void ascii(char c) {
    if (used == buffer.length) {
      flush();
    }
    buffer[used++] = (byte) c;
  }

  void ascii(String s) {
    ascii(s, 0, s.length());
  }

  void ascii(String s, int from, int to) {
    if (to - from > buffer.length - used) {
      flush();
    }
    if (to - from > buffer.length) {
      for (int k = from; k < to; k++) {
        ascii(s.charAt(k));
      }
      return;
    }
    for (int k = from; k < to; k++) {
      buffer[used++] = (byte) s.charAt(k);
    }
  }

  void newline() {
    ascii('\n');
  }

  void decimal(long value) {
    decimal(value, 0, ' ');
  }

  /** {@code value} right-aligned in {@code width} characters, padded with {@code pad}. */
  void decimal(long value, int width, char pad) {
    if (value < 0) {
      ascii('-');
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    for (int k = digits; k < width; k++) {
      ascii(pad);
    }
    if (buffer.length - used < digits) {
      flush();
    }
    for (int k = used + digits - 1; k >= used; k--) {
      buffer[k] = (byte) ('0' + value % 10);
      value /= 10;
    }
    used += digits;
  }

  void hex(int value) {
    int digits = Math.max(1, (35 - Integer.numberOfLeadingZeros(value)) / 4);
    for (int k = digits - 1; k >= 0; k--) {
      ascii("0123456789abcdef".charAt((value >>> (k * 4)) & 15));
    }
  }

  void flush() {
    try {
      out.write(buffer, 0, used);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    flushed += used;
    used = 0;
  }

  @Override
  public void close() throws IOException {
    flush();
    out.close();
  }
}
