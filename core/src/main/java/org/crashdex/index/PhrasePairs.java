package org.crashdex.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.util.BytesRef;

/**
 * What lets a phrase be searched in the full text without positions: each record carries the set of
 * its <em>word pairs</em>, hashes of every two words that follow each other in its text, and a
 * phrase matches a record that holds all of the phrase's words (the postings) and all of its
 * adjacent pairs (this set).
 *
 * <h2>Why not positions</h2>
 *
 * Positions cost an entry per word occurrence, and a log repeats its words: the full text of the
 * shared corpus has 6.0 M word occurrences but 2.8 M distinct words per record. Indexing each
 * distinct word of a record once, without positions, and a compact set of pair hashes instead costs
 * less CPU and less space, and answers the phrases people type.
 *
 * <h2>Exactness</h2>
 *
 * A two-word phrase matches exactly the records where the two words follow each other (up to a
 * 32-bit hash collision among one record's pairs, about one chance in four million per query and
 * record of a thousand pairs). A longer phrase matches where each of its adjacent pairs occurs,
 * which is a superset of where the whole phrase occurs: "a b c" also matches a record with "a b"
 * in one place and "b c" in another. Words are adjacent as the tokenizer emits them: across line
 * ends, over dropped addresses and hex runs, and not into a line left out as a repeat.
 *
 * <h2>Encoding</h2>
 *
 * A binary doc value: one flag byte ({@link #COMPLETE}, or {@link #PARTIAL} when the record had more
 * than {@link #MAX_PAIRS} distinct pairs and the rest were not kept: any phrase then matches on its
 * words alone), then the pair hashes sorted as unsigned ints, delta-coded as variable-length ints.
 */
public final class PhrasePairs {
  private PhrasePairs() {}

  /** Most distinct pairs kept per record. */
  public static final int MAX_PAIRS = 1 << 20;

  static final byte COMPLETE = 1, PARTIAL = 2;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A 64-bit hash of a term's bytes (the UTF-8 bytes the index holds). */
  public static long wordHash(byte[] b, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset, end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = mix(h ^ (long) LONGS.get(b, i));
    }
    long tail = 0;
    for (int k = end - 1; k >= i; k--) {
      tail = (tail << 8) | (b[k] & 0xFF);
    }
    return mix(h ^ tail);
  }

  /** The pair hash of word {@code first} followed by word {@code second} (their {@link #wordHash}es). */
  public static int pair(long first, long second) {
    long h = mix(first * 0xC2B2AE3D27D4EB4FL + second);
    return (int) (h >>> 32);
  }

  /** The sorted, distinct pair hashes of a phrase of terms (two or more). */
  public static int[] pairsOf(List<BytesRef> terms) {
    int[] pairs = new int[Math.max(0, terms.size() - 1)];
    for (int i = 0; i + 1 < terms.size(); i++) {
      BytesRef a = terms.get(i), b = terms.get(i + 1);
      pairs[i] = pair(wordHash(a.bytes, a.offset, a.length), wordHash(b.bytes, b.offset, b.length));
    }
    return Arrays.copyOf(pairs, sortUnsignedDistinct(pairs, pairs.length));
  }

  /**
   * True when the encoded set {@code sketch} holds every pair of {@code pairs} (sorted unsigned, as
   * {@link #pairsOf} gives them), or was cut short ({@link #PARTIAL}).
   */
  public static boolean containsAll(BytesRef sketch, int[] pairs) {
    byte[] b = sketch.bytes;
    int at = sketch.offset, end = sketch.offset + sketch.length;
    if (sketch.length == 0) {
      return pairs.length == 0;
    }
    if (b[at++] == PARTIAL) {
      return true;
    }
    int want = 0;
    long value = 0;
    while (want < pairs.length && at < end) {
      // One delta: seven bits per byte, low group first.
      long delta = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[at++];
        delta |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          break;
        }
      }
      value += delta;
      long target = Integer.toUnsignedLong(pairs[want]);
      if (target < value) {
        return false; // both sorted: the wanted pair was passed over
      }
      if (target == value) {
        want++;
      }
    }
    return want == pairs.length;
  }

  /** Sorts {@code v[0, n)} as unsigned ints and drops repeats, in place; returns how many remain. */
  static int sortUnsignedDistinct(int[] v, int n) {
    // Flipping the sign bit maps unsigned order onto signed order.
    for (int i = 0; i < n; i++) {
      v[i] ^= Integer.MIN_VALUE;
    }
    Arrays.sort(v, 0, n);
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (d == 0 || v[i] != v[d - 1]) {
        v[d++] = v[i];
      }
    }
    for (int i = 0; i < d; i++) {
      v[i] ^= Integer.MIN_VALUE;
    }
    return d;
  }

  /**
   * Encodes {@code pairs[0, n)}, distinct and sorted as unsigned ints, into {@code out} (grown as
   * needed, returned).
   */
  static byte[] encode(int[] pairs, int n, boolean partial, byte[] out, int[] length) {
    int need = 1 + 5 * n;
    if (out.length < need) {
      out = new byte[Math.max(need, out.length * 2)];
    }
    int at = 0;
    out[at++] = partial ? PARTIAL : COMPLETE;
    long previous = 0;
    for (int i = 0; i < n; i++) {
      long value = Integer.toUnsignedLong(pairs[i]);
      long delta = value - previous;
      previous = value;
      while (delta >= 0x80) {
        out[at++] = (byte) (delta | 0x80);
        delta >>>= 7;
      }
      out[at++] = (byte) delta;
    }
    length[0] = at;
    return out;
  }

  private static long mix(long h) {
    h *= 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }
}
