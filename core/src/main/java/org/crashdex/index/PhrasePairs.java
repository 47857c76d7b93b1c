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
 * less CPU, and answers the phrases people type.
 *
 * <h2>Exactness</h2>
 *
 * A two-word phrase matches the records where the two words follow each other, and wrongly matches
 * a record that holds both words apart with a probability of 2<sup>-{@value #BITS}</sup> (one in
 * 65 536, see the encoding). A longer phrase matches where each of its adjacent pairs occurs, which is
 * a superset of where the whole phrase occurs: "a b c" also matches a record with "a b" in one place
 * and "b c" in another. Words are adjacent as the tokenizer emits them: across line ends, over dropped
 * addresses and hex runs, and not into a line left out as a repeat.
 *
 * <h2>Encoding: a Golomb-coded set</h2>
 *
 * A record's {@code n} distinct pair hashes (64 bits each) are mapped onto {@code [0, n·2^BITS)}
 * (the high half of hash × range, which keeps their order), sorted, and the gaps between them written
 * as Rice codes: the gap's high part in unary, its low {@value #BITS} bits as they are. A gap averages
 * 2<sup>BITS</sup>, so a pair costs about {@value #BITS} + 2 bits, whatever the record's size (a
 * sorted list of 32-bit hashes cost 3.5 to 4 bytes a pair). A query maps its pairs the same way with
 * the record's {@code n} and merges them with the decoded gaps.
 *
 * <p>The value starts with a flag byte ({@link #COMPLETE}, or {@link #PARTIAL} when the record had
 * more than {@link #MAX_PAIRS} distinct pairs and none were kept: any phrase then matches on its words
 * alone) and {@code n} as a variable-length int.
 */
public final class PhrasePairs {
  private PhrasePairs() {}

  /** Most distinct pairs kept per record. */
  public static final int MAX_PAIRS = 1 << 20;

  /** Low bits of each gap written as they are; also the false-positive rate, 2^-BITS. */
  static final int BITS = 16;

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
  public static long pair(long first, long second) {
    long h = mix(first * 0xC2B2AE3D27D4EB4FL + second);
    return h ^ (h >>> 32) * 0x165667B19E3779F9L;
  }

  /** The distinct pair hashes of a phrase of terms (two or more), sorted as unsigned longs. */
  public static long[] pairsOf(List<BytesRef> terms) {
    long[] pairs = new long[Math.max(0, terms.size() - 1)];
    for (int i = 0; i + 1 < terms.size(); i++) {
      BytesRef a = terms.get(i), b = terms.get(i + 1);
      pairs[i] = pair(wordHash(a.bytes, a.offset, a.length), wordHash(b.bytes, b.offset, b.length));
    }
    return Arrays.copyOf(pairs, sortUnsignedDistinct(pairs, pairs.length));
  }

  /**
   * True when the encoded set {@code sketch} holds every pair of {@code pairs} (from {@link
   * #pairsOf}), or was cut short ({@link #PARTIAL}).
   */
  public static boolean containsAll(BytesRef sketch, long[] pairs) {
    if (sketch.length == 0) {
      return pairs.length == 0;
    }
    byte[] b = sketch.bytes;
    int at = sketch.offset, end = sketch.offset + sketch.length;
    if (b[at++] == PARTIAL) {
      return true;
    }
    long n = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[at++];
      n |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        break;
      }
    }
    if (n == 0) {
      return pairs.length == 0;
    }
    // The wanted values, in the record's range: the mapping keeps the pairs' (unsigned) order.
    long range = n << BITS;
    long[] want = new long[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      want[i] = Math.unsignedMultiplyHigh(pairs[i], range);
    }
    BitReader in = new BitReader(b, at, end);
    long value = 0;
    int w = 0;
    for (long i = 0; i < n && w < want.length; i++) {
      value += in.gap();
      if (want[w] < value) {
        return false; // both in order: the wanted value was passed over
      }
      while (w < want.length && want[w] == value) {
        w++;
      }
    }
    return w == want.length;
  }

  /** Sorts {@code v[0, n)} as unsigned longs and drops repeats, in place; returns how many remain. */
  static int sortUnsignedDistinct(long[] v, int n) {
    // Flipping the sign bit maps unsigned order onto signed order.
    for (int i = 0; i < n; i++) {
      v[i] ^= Long.MIN_VALUE;
    }
    Arrays.sort(v, 0, n);
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (d == 0 || v[i] != v[d - 1]) {
        v[d++] = v[i];
      }
    }
    for (int i = 0; i < d; i++) {
      v[i] ^= Long.MIN_VALUE;
    }
    return d;
  }

  /**
   * Encodes {@code pairs[0, n)}, distinct and sorted as unsigned longs, into {@code out} (grown as
   * needed, returned); the encoded length goes to {@code length[0]}.
   */
  static byte[] encode(long[] pairs, int n, boolean partial, byte[] out, int[] length) {
    // Flag, n, then per pair BITS bits and the unary part's stop bit; the unary ones sum to at most n
    // (the last value is under n·2^BITS): BITS + 2 bits a pair, and a byte of slack per 8 pairs.
    int need = 1 + 5 + (int) (((long) n * (BITS + 3) + 7) / 8) + 16;
    if (out.length < need) {
      out = new byte[Math.max(need, out.length * 2)];
    }
    int at = 0;
    out[at++] = partial ? PARTIAL : COMPLETE;
    for (long v = n; ; v >>>= 7) {
      if (v < 0x80) {
        out[at++] = (byte) v;
        break;
      }
      out[at++] = (byte) (v | 0x80);
    }
    long range = (long) n << BITS;
    BitWriter bits = new BitWriter(out, at);
    long previous = 0;
    for (int i = 0; i < n; i++) {
      long value = Math.unsignedMultiplyHigh(pairs[i], range);
      if (i > 0 && value == previous) {
        bits.gap(0); // two pairs on one value: a repeat the query side also finds
      } else {
        bits.gap(value - previous);
      }
      previous = value;
    }
    length[0] = bits.finish();
    return out;
  }

  private static long mix(long h) {
    h *= 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** Rice codes into bytes: a gap's high part as that many one bits and a zero, then its low BITS bits. */
  private static final class BitWriter {
    private final byte[] out;
    private int at;
    private long acc;
    private int count;

    BitWriter(byte[] out, int at) {
      this.out = out;
      this.at = at;
    }

    void gap(long gap) {
      long high = gap >>> BITS;
      while (high >= 32) { // rare: a long gap
        put(0xFFFFFFFFL, 32);
        high -= 32;
      }
      put((1L << high) - 1, (int) high + 1); // `high` ones, then a zero
      put(gap & ((1L << BITS) - 1), BITS);
    }

    private void put(long value, int n) {
      acc |= value << count;
      count += n;
      while (count >= 8) {
        out[at++] = (byte) acc;
        acc >>>= 8;
        count -= 8;
      }
    }

    int finish() {
      if (count > 0) {
        out[at++] = (byte) acc;
      }
      return at;
    }
  }

  /** Reads what {@link BitWriter} wrote. */
  private static final class BitReader {
    private final byte[] in;
    private int at;
    private final int end;
    private long acc;
    private int count;

    BitReader(byte[] in, int at, int end) {
      this.in = in;
      this.at = at;
      this.end = end;
    }

    long gap() {
      long high = 0;
      while (true) {
        refill();
        long ones = Long.numberOfTrailingZeros(~acc);
        if (ones < count) {
          high += ones;
          int used = (int) ones + 1;
          acc = used == 64 ? 0 : acc >>> used; // a shift by 64 would be a shift by 0
          count -= used;
          break;
        }
        high += count;
        acc = 0;
        count = 0;
        if (at >= end) {
          return Long.MAX_VALUE >>> 1; // damaged input: end the walk
        }
      }
      refill();
      if (count < BITS) {
        return Long.MAX_VALUE >>> 1; // damaged input: end the walk
      }
      long low = acc & ((1L << BITS) - 1);
      acc >>>= BITS;
      count -= BITS;
      return (high << BITS) | low;
    }

    private void refill() {
      while (count <= 56 && at < end) {
        acc |= (long) (in[at++] & 0xFF) << count;
        count += 8;
      }
    }
  }
}
