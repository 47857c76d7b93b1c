package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;

/**
 * The full text of one record as the index keeps it: its distinct words, each once, and the set of
 * its adjacent word pairs ({@link PhrasePairs}). Cut by {@link LogTokens}' rules in one pass over
 * the mapped bytes, with repeated lines left out.
 *
 * <p>Reusable and not thread-safe: {@link #read} a record, add {@link #words()} and {@link
 * #pairs()} to its document, and let the writer consume them before the next {@code read}.
 */
final class TextDigest {
  private final LogTokens tokens = new LogTokens(true);
  private final BytesRefBuilder decoded = new BytesRefBuilder();

  // The distinct words: their bytes one after the other in a pool.
  private byte[] pool = new byte[1 << 16];
  private int poolLength;
  private int[] wordStart = new int[1024];
  private int[] wordLength = new int[1024];
  private int words;

  // Open-addressing set of the words (slot -> word + 1), cleared by bumping the generation.
  private long[] slotHash = new long[1 << 12];
  private int[] slotWord = new int[1 << 12];
  private int[] slotGeneration = new int[1 << 12];
  private int generation = 1;

  // Every pair as it comes (sorted and made distinct at the end: cheaper than a second hash set).
  private long[] pairs = new long[4096];
  private int pairCount;
  private boolean partial;
  private byte[] encoded = new byte[256];
  private final int[] encodedLength = new int[1];
  private final BytesRef sketch = new BytesRef();

  private final Words stream = new Words();

  /** Digests the first {@code limit} bytes of {@code data}. */
  void read(MemorySegment data, long limit) {
    read(data, limit, null);
  }

  /** Digests the first {@code limit} bytes of {@code data}, handing each line to {@code lines} too. */
  void read(MemorySegment data, long limit, LogTokens.LineSink lines) {
    tokens.reset(data, limit, lines);
    poolLength = 0;
    words = 0;
    pairCount = 0;
    partial = false;
    if (++generation == 0) { // wrapped: an old slot could look current
      Arrays.fill(slotGeneration, 0);
      generation = 1;
    }
    long previous = 0;
    boolean first = true;
    while (tokens.next()) {
      byte[] t;
      int n;
      if (tokens.tokenHigh()) {
        // Decoded and encoded again, so invalid UTF-8 becomes U+FFFD exactly as in a query.
        decoded.copyChars(new String(tokens.token(), 0, tokens.tokenLength(), StandardCharsets.UTF_8));
        t = decoded.bytes();
        n = decoded.length();
      } else {
        t = tokens.token();
        n = tokens.tokenLength();
      }
      long h = !tokens.tokenHigh() && tokens.tokenHashed() ? tokens.tokenHash() : PhrasePairs.wordHash(t, 0, n);
      if (!first) {
        addPair(PhrasePairs.pair(previous, h));
      }
      first = false;
      previous = h;
      addWord(h, t, n);
    }
    int n = PhrasePairs.sortUnsignedDistinct(pairs, pairCount);
    if (partial || n > PhrasePairs.MAX_PAIRS) {
      n = 0; // the pairs kept would not tell a phrase that is absent: say so instead
      partial = true;
    }
    encoded = PhrasePairs.encode(pairs, n, partial, encoded, encodedLength);
    sketch.bytes = encoded;
    sketch.offset = 0;
    sketch.length = encodedLength[0];
  }

  /** Number of distinct words of the last record. */
  int wordCount() {
    return words;
  }

  /** The distinct words of the last record, as a token stream (no positions or offsets needed). */
  TokenStream words() {
    return stream;
  }

  /** The last record's encoded pair set: valid until the next {@link #read}. */
  BytesRef pairs() {
    return sketch;
  }

  private void addPair(long pair) {
    if (partial) {
      return;
    }
    if (pairCount == pairs.length) {
      if (pairCount >= 4 * PhrasePairs.MAX_PAIRS) {
        partial = true; // a pathological record: phrases in it match on their words alone
        return;
      }
      pairs = Arrays.copyOf(pairs, 2 * pairs.length);
    }
    pairs[pairCount++] = pair;
  }

  private void addWord(long h, byte[] t, int n) {
    int mask = slotHash.length - 1;
    for (int slot = (int) (h ^ (h >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      if (slotGeneration[slot] != generation) {
        slotGeneration[slot] = generation;
        slotHash[slot] = h;
        slotWord[slot] = words;
        append(t, n);
        if (2 * words > slotHash.length) {
          grow();
        }
        return;
      }
      if (slotHash[slot] == h && sameWord(slotWord[slot], t, n)) {
        return;
      }
    }
  }

  private boolean sameWord(int w, byte[] t, int n) {
    return wordLength[w] == n && Arrays.equals(pool, wordStart[w], wordStart[w] + n, t, 0, n);
  }

  private void append(byte[] t, int n) {
    if (words == wordStart.length) {
      wordStart = Arrays.copyOf(wordStart, 2 * words);
      wordLength = Arrays.copyOf(wordLength, 2 * words);
    }
    if (poolLength + n > pool.length) {
      pool = Arrays.copyOf(pool, Math.max(2 * pool.length, poolLength + n));
    }
    System.arraycopy(t, 0, pool, poolLength, n);
    wordStart[words] = poolLength;
    wordLength[words] = n;
    poolLength += n;
    words++;
  }

  /** Doubles the word set, moving the current record's words over. */
  private void grow() {
    int size = 2 * slotHash.length;
    long[] hashes = new long[size];
    int[] wordOf = new int[size], gens = new int[size];
    int mask = size - 1;
    for (int s = 0; s < slotHash.length; s++) {
      if (slotGeneration[s] == generation) {
        long h = slotHash[s];
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (gens[slot] == generation) {
          slot = (slot + 1) & mask;
        }
        gens[slot] = generation;
        hashes[slot] = h;
        wordOf[slot] = slotWord[s];
      }
    }
    slotHash = hashes;
    slotWord = wordOf;
    slotGeneration = gens;
  }

  /** Replays the distinct words to the indexer. */
  private final class Words extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final BytesRef view = new BytesRef();
    private int next;

    @Override
    public void reset() {
      clearAttributes(); // once per value: end() of the last one left the position increment at 0
      next = 0;
    }

    @Override
    public boolean incrementToken() {
      if (next == words) {
        return false;
      }
      view.bytes = pool;
      view.offset = wordStart[next];
      view.length = wordLength[next];
      next++;
      term.setBytesRef(view);
      return true;
    }
  }
}
