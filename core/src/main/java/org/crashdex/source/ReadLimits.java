package org.crashdex.source;

/**
 * How a {@link SourceWalker} reads what it cannot map.
 *
 * @param wholeBytes the largest input (decompressed member, or file being read rather than mapped)
 *     handed over in one piece; larger ones stream through a buffer of this size in pieces cut at
 *     record starts. This bounds the walker's memory: one off-heap buffer that grows to at most this
 *     many bytes. A single record longer than this is cut in two.
 * @param settleMillis a plain file last modified longer ago than this is mapped (zero copy); a
 *     younger one may still be written to and is read instead (see {@link SourceWalker})
 */
public record ReadLimits(long wholeBytes, long settleMillis) {
  /** 256 MiB pieces; files untouched for a minute are mapped. */
  public static final ReadLimits DEFAULT = new ReadLimits(256L << 20, 60_000);

  public ReadLimits {
    if (wholeBytes < 4096) {
      throw new IllegalArgumentException("wholeBytes must be at least 4096: " + wholeBytes);
    }
  }
}
