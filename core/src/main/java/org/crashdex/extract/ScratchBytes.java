package org.crashdex.extract;

/**
 * A byte buffer per thread, reused from record to record: a parser copies a record's bytes into it
 * instead of allocating an array per record. Each user has an instance of its own, since one parser
 * may still read its buffer while it calls another (the bisection parser calls the crash parser).
 */
public final class ScratchBytes {
  /** A buffer grown past this for an outsized record is used once and not kept. */
  private static final int MAX_KEPT = 4 << 20;

  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[64 << 10]);

  /** This thread's buffer, at least {@code n} bytes long. */
  public byte[] get(int n) {
    byte[] scratch = buffers.get();
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, Math.min(scratch.length * 2, Integer.MAX_VALUE - 16))];
      if (scratch.length <= MAX_KEPT) {
        buffers.set(scratch);
      }
    }
    return scratch;
  }
}
