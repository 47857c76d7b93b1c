package org.crashdex.index;

import java.util.Collection;
import org.apache.lucene.util.BytesRef;

/**
 * A list of hex hashes packed into one doc value: each as its number of hex digits (one byte) and
 * then its digits, two to a byte. A bisection tests a few dozen commits that are all terms of {@link
 * IndexSchema#COMMIT} already; keeping them again as terms of their own field made the index hold
 * one more term per commit, where the list costs 21 bytes per commit and is read only for records a
 * {@code tested:} query found in {@code commit:}.
 */
public final class HashList {
  /** Longest hash kept, in hex digits (a SHA-256). */
  static final int MAX_DIGITS = 64;

  private HashList() {}

  /**
   * The packed list of {@code hashes} (hex digits in any case); values that are not hex hashes of 1
   * to 64 digits are left out.
   */
  public static BytesRef encode(Collection<String> hashes) {
    byte[] out = new byte[hashes.size() * (1 + MAX_DIGITS / 2)];
    int n = 0;
    for (String h : hashes) {
      int digits = h.length();
      if (digits == 0 || digits > MAX_DIGITS || !isHex(h)) {
        continue;
      }
      out[n++] = (byte) digits;
      for (int i = 0; i < digits; i += 2) {
        int hi = Character.digit(h.charAt(i), 16);
        int lo = i + 1 < digits ? Character.digit(h.charAt(i + 1), 16) : 0;
        out[n++] = (byte) (hi << 4 | lo);
      }
    }
    return new BytesRef(out, 0, n);
  }

  /** Whether {@code list} holds a hash that starts with the hex digits {@code prefix} (any case). */
  public static boolean containsPrefix(BytesRef list, String prefix) {
    int want = prefix.length();
    int at = list.offset, end = list.offset + list.length;
    while (at < end) {
      int digits = list.bytes[at] & 0xFF;
      int packed = (digits + 1) >>> 1;
      if (digits >= want && startsWith(list.bytes, at + 1, prefix)) {
        return true;
      }
      at += 1 + packed;
    }
    return false;
  }

  private static boolean startsWith(byte[] packed, int from, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      int b = packed[from + (i >>> 1)] & 0xFF;
      int nibble = (i & 1) == 0 ? b >>> 4 : b & 0x0F;
      if (nibble != Character.digit(prefix.charAt(i), 16)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }
}
