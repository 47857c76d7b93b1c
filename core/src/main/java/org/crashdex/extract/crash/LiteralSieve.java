package org.crashdex.extract.crash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of literals of four characters or more, searched for together: one pass over a text finds
 * where the first of them starts, where a search per literal would pass over the text once each.
 *
 * <p>A literal of five characters or more that starts at s holds, at the even position s or s + 1,
 * four characters that are its first four or its second to fifth: so only every other position of
 * the text needs a look. A literal of four characters ("BUG:") has one such key; for an odd start
 * it is found by the four characters one before it, any char and its first three (256 keys of it,
 * each as rare in a text as the literal's own). A bit set over a hash of the four characters there
 * (a Bloom filter of one hash, 2^16 bits for a few hundred keys) rejects nearly every position at
 * the cost of a multiply and a load; the rare hits are then compared for real.
 *
 * <pre>{@code
 * LiteralSieve sieve = new LiteralSieve(List.of("Kernel panic", "Call Trace:"));
 * int at = sieve.firstStart(text, bytes, from); // text.length() when neither occurs
 * }</pre>
 */
final class LiteralSieve {
  private final long[] keyBits = new long[1 << 10];
  /** The distinct four-character keys (packed low bytes), and per key the literals and their offsets. */
  private final int[] keys;
  private final String[][] literalsByKey;
  private final int[][] offsetsByKey;

  /**
   * The keys by their hash, for the positions the bit set lets through: 1 + the key's index in
   * {@link #keys}, 0 for an empty slot (open addressing, linear probing). Common words share a key
   * ("kern" of every "kernel/…" path), so true hits are frequent: walking all the keys for each one
   * was the search's main cost.
   */
  private final short[] keySlots = new short[1 << 16];

  /** @param literals texts of four characters or more (duplicates are kept once) */
  LiteralSieve(List<String> literals) {
    Map<Integer, List<String>> texts = new LinkedHashMap<>();
    Map<Integer, List<Integer>> offsets = new LinkedHashMap<>();
    for (String t : new java.util.LinkedHashSet<>(literals)) {
      if (t.length() < 4) {
        throw new IllegalArgumentException("shorter than four characters: " + t);
      }
      if (t.length() == 4) {
        // Its own key, and for an odd start the key one char before it: offset -1.
        addKey(pack(t, 0), t, 0, texts, offsets);
        int firstThree = pack(t, 0) >>> 8;
        for (int before = 0; before < 256; before++) {
          addKey(before << 24 | firstThree, t, -1, texts, offsets);
        }
        continue;
      }
      for (int offset = 0; offset < 2; offset++) {
        addKey(pack(t, offset), t, offset, texts, offsets);
      }
    }
    keys = new int[texts.size()];
    literalsByKey = new String[texts.size()][];
    offsetsByKey = new int[texts.size()][];
    int k = 0;
    for (var e : texts.entrySet()) {
      keys[k] = e.getKey();
      literalsByKey[k] = e.getValue().toArray(new String[0]);
      offsetsByKey[k++] = offsets.get(e.getKey()).stream().mapToInt(Integer::intValue).toArray();
    }
    for (int key = 0; key < keys.length; key++) {
      int slot = keyHash(keys[key]);
      while (keySlots[slot] != 0) {
        slot = (slot + 1) & (keySlots.length - 1);
      }
      keySlots[slot] = (short) (key + 1);
    }
  }

  /** Notes that literal {@code t} starts {@code offset} chars before where key {@code w} is read. */
  private void addKey(
      int w, String t, int offset, Map<Integer, List<String>> texts, Map<Integer, List<Integer>> offsets) {
    int bit = keyHash(w);
    keyBits[bit >>> 6] |= 1L << bit;
    texts.computeIfAbsent(w, k -> new ArrayList<>()).add(t);
    offsets.computeIfAbsent(w, k -> new ArrayList<>()).add(offset);
  }

  /** The index of key {@code w} in {@link #keys}, or -1. */
  private int keyIndex(int w) {
    for (int slot = keyHash(w); ; slot = (slot + 1) & (keySlots.length - 1)) {
      int k = keySlots[slot] - 1;
      if (k < 0 || keys[k] == w) {
        return k;
      }
    }
  }

  /** The low bytes of the four characters of {@code s} at {@code i}, packed. */
  private static int pack(String s, int i) {
    return (s.charAt(i) & 0xff) << 24 | (s.charAt(i + 1) & 0xff) << 16 | (s.charAt(i + 2) & 0xff) << 8
        | (s.charAt(i + 3) & 0xff);
  }

  /** 16 bits of a packed key. */
  private static int keyHash(int w) {
    return (w * 0x9E3779B1) >>> 16;
  }

  /**
   * Whether {@code line} contains one of the literals, reading its chars (only the low byte of
   * each: other chars fold onto Latin-1 ones, which costs a comparison at worst, never a miss).
   */
  boolean anyIn(String line) {
    int n = line.length();
    if (n < 4) {
      return false;
    }
    int w = (line.charAt(0) & 0xff) << 8 | (line.charAt(1) & 0xff);
    for (int i = 0; i + 3 < n; i += 2) {
      w = w << 16 | (line.charAt(i + 2) & 0xff) << 8 | (line.charAt(i + 3) & 0xff);
      int bit = keyHash(w);
      if ((keyBits[bit >>> 6] & (1L << bit)) != 0 && startNear(line, i, w, 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first position at or after {@code from} where one of the literals starts in {@code text}, or
   * the text's length; {@code bytes} holds the low byte of each char of the text (as the keys are
   * made), so the four key characters are read at once: one load per position instead of two
   * bounds-checked charAt.
   */
  int firstStart(String text, byte[] bytes, int from) {
    int n = text.length();
    int i = from;
    // Three positions per eight-byte load: the keys at i, i + 2 and i + 4 are its bytes 0-3, 2-5
    // and 4-7. Taken in order, the first hit is still the first start.
    for (; i + 7 < n; i += 6) {
      long q = (long) BIG_ENDIAN_LONG.get(bytes, i);
      int w = (int) (q >>> 32);
      int bit = keyHash(w);
      if ((keyBits[bit >>> 6] & (1L << bit)) != 0) {
        int at = startNear(text, i, w, from);
        if (at >= 0) {
          return at;
        }
      }
      w = (int) (q >>> 16);
      bit = keyHash(w);
      if ((keyBits[bit >>> 6] & (1L << bit)) != 0) {
        int at = startNear(text, i + 2, w, from);
        if (at >= 0) {
          return at;
        }
      }
      w = (int) q;
      bit = keyHash(w);
      if ((keyBits[bit >>> 6] & (1L << bit)) != 0) {
        int at = startNear(text, i + 4, w, from);
        if (at >= 0) {
          return at;
        }
      }
    }
    for (; i + 3 < n; i += 2) {
      int w = (int) BIG_ENDIAN_INT.get(bytes, i);
      int bit = keyHash(w);
      if ((keyBits[bit >>> 6] & (1L << bit)) != 0) {
        int at = startNear(text, i, w, from);
        if (at >= 0) {
          return at;
        }
      }
    }
    return n;
  }

  private static final VarHandle BIG_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * The first of {@code i - 1}, {@code i} (not below {@code from}) where a literal with key {@code
   * w} starts, or -1. Only the literals that really hold the key are compared.
   */
  private int startNear(String text, int i, int w, int from) {
    int k = keyIndex(w);
    if (k < 0) {
      return -1;
    }
    String[] texts = literalsByKey[k];
    int[] offsets = offsetsByKey[k];
    int best = -1;
    for (int j = 0; j < texts.length; j++) {
      int at = i - offsets[j];
      if (at >= from && (best < 0 || at < best) && text.startsWith(texts[j], at)) {
        best = at;
      }
    }
    return best;
  }
}
