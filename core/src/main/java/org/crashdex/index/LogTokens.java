package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The tokenising engine shared by {@link TextDigest} and {@link LogTokenStream} (index side,
 * straight from mapped bytes) and {@link LogTokenizer} (query side): both sides must cut text the
 * same way or words and phrases would not match.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>A token is a run of ASCII letters, digits and '_' (non-ASCII bytes belong to tokens too, and are
 *       decoded as UTF-8). Everything else separates: so {@code __x64_sys_getsockopt+0xb5/0x150}
 *       yields {@code __x64_sys_getsockopt}, and {@code use-after-free} yields use, after, free.
 *   <li>Tokens are lower-cased (ASCII).
 *   <li>Dropped: tokens starting with {@code 0x}; hex runs of 8 or more characters that hold a digit,
 *       and of 12 or more that do not ({@code ffffffffffffffff}): addresses, hashes (which have their
 *       own fields), register values; tokens longer than {@value #MAX_TOKEN} bytes.
 *   <li>Skipped lines: {@code Code:} byte dumps, and register dump lines (a short register name, a
 *       colon, a hex value of 4 or more digits: {@code RAX: ffff888…}, {@code x29: …}); {@code RIP},
 *       {@code EIP}, {@code pc} and {@code lr} lines are kept since they name a function.
 *   <li>Console prefixes at line start ({@code [  772.92][ T5120]}) are skipped: every line has
 *       distinct timestamps, which would fill the terms dictionary with numbers nobody searches.
 *   <li>With {@linkplain #LogTokens(boolean) line de-duplication} (the index side), a line whose
 *       kept tokens equal those of an earlier line of the same record, numbers aside, is skipped:
 *       bisection logs print {@code run #0: OK} to {@code run #19: OK} and the same verdict title
 *       dozens of times, console logs print the same message with another address or pid, and a
 *       record matches a word whether it holds it once or forty times. Only tokens made of digits
 *       alone count as numbers: {@code sha256} and {@code sha512}, {@code loop0} and {@code loop1}
 *       stay apart.
 * </ul>
 *
 * <p>Input is copied from the segment a chunk at a time into a reusable buffer, so tokenising a
 * record of any size takes constant memory. On the index side a new line is cut 64 bytes at a
 * time: vector compares give a bit per token byte and per line feed, and the line is walked a
 * token at a time ({@link #repeated}); the query side walks bytes ({@link #next()}).
 */
final class LogTokens {
  /** Longest kept token, in bytes. */
  static final int MAX_TOKEN = 255;

  private static final int CHUNK = 1 << 15;
  /** Bytes a line-start check may look at. */
  private static final int LOOKAHEAD = 128;

  // Byte classes.
  private static final byte SEP = 0, WORD = 1, HEX_LETTER = 2, DIGIT = 3;
  private static final byte[] CLASS = new byte[256];

  static {
    for (int c = 'a'; c <= 'z'; c++) {
      CLASS[c] = c <= 'f' ? HEX_LETTER : WORD;
      CLASS[c - 32] = c <= 'f' ? HEX_LETTER : WORD;
    }
    for (int c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
    CLASS['_'] = WORD;
    for (int c = 0x80; c < 0x100; c++) {
      CLASS[c] = WORD;
    }
  }

  /** Bytes the buffer holds; past them, a block's worth of slack that whole-word and block reads may touch. */
  private static final int CAPACITY = CHUNK + LogTokens.SINK_LINE;

  private final byte[] buf = new byte[CAPACITY + 64];
  /** The last token; eight spare bytes, since a line's tokens are copied a word at a time. */
  private final byte[] token = new byte[MAX_TOKEN + 8];
  private MemorySegment data = MemorySegment.NULL;
  private long limit;
  /** Next offset of {@link #data} to copy into the buffer. */
  private long next;
  /** Offset of {@code buf[0]} in the data. */
  private long base;
  private int pos;
  private int len;
  private boolean lineStart;
  private long tokenStart;
  private long tokenEnd;
  private int tokenLength;
  private boolean tokenHigh;
  private boolean tokenHashed;
  private long tokenHash;

  /** Lines up to this long are de-duplicated; longer ones are always tokenised. */
  private static final int DEDUP_LINE = 2048;
  /** Distinct lines remembered per record; beyond, lines are tokenised without checking. */
  private static final int DEDUP_CAPACITY = 1 << 13;
  /** Keys of the lines seen in this input; a slot is in use when its generation is the input's. */
  private final long[] seenLines;
  private final int[] seenGeneration;
  private int generation = 1;
  private int seenCount;
  /**
   * The kept tokens of the current line as {@link #repeated} found them, pairs of (buffer position,
   * length): served by {@link #next()} from here, so a new line's bytes are cut once, not twice.
   */
  private int[] lineTokens = new int[64];
  private long[] lineHashes = new long[32];
  private int lineTokenCount;
  private int lineTokenNext;
  /** Buffer position of the end of the line whose tokens {@link #lineTokens} holds. */
  private int lineEnd;

  LogTokens() {
    this(false);
  }

  /** @param dedupLines skip lines already seen in this input (numbers aside); index side only */
  LogTokens(boolean dedupLines) {
    this.seenLines = dedupLines ? new long[DEDUP_CAPACITY * 2] : null;
    this.seenGeneration = dedupLines ? new int[DEDUP_CAPACITY * 2] : null;
  }

  /** Receives every line of the input, as the tokeniser comes to it. */
  interface LineSink {
    /** The line {@code bytes[from, to)}, without its line feed; only its first {@value #SINK_LINE} bytes. */
    void line(byte[] bytes, int from, int to);
  }

  /** Longest line start handed to a {@link LineSink}. */
  static final int SINK_LINE = 4096;

  private LineSink lines;

  /** Starts over on the first {@code limit} bytes of {@code data}. */
  void reset(MemorySegment data, long limit) {
    reset(data, limit, null);
  }

  /**
   * Starts over on the first {@code limit} bytes of {@code data}, handing every line to {@code lines}
   * (or none, when null) while tokenising: whoever else reads a record line by line reads it here,
   * from this buffer, instead of copying and splitting it once more.
   */
  void reset(MemorySegment data, long limit, LineSink lines) {
    this.lines = lines;
    this.data = data;
    this.limit = Math.min(limit, data.byteSize());
    next = 0;
    base = 0;
    pos = 0;
    len = 0;
    lineStart = true;
    lineTokenCount = 0;
    lineTokenNext = 0;
    if (seenLines != null && seenCount > 0) {
      seenCount = 0;
      if (++generation == 0) { // wrapped: every slot's generation could look current
        java.util.Arrays.fill(seenGeneration, 0);
        generation = 1;
      }
    }
  }

  /** Hands the line at {@link #pos} (its first {@value #SINK_LINE} bytes) to {@link #lines}. */
  private void sinkLine() {
    int avail = fill(SINK_LINE);
    int end = pos + Math.min(avail, SINK_LINE);
    int e = pos;
    // Eight bytes a step: the lowest byte of a word that equals '\n' sets the lowest flag (flags
    // above it may be false, below it never are). 3% of the full-text pass against a byte loop.
    for (; e + 8 <= end; e += 8) {
      long w = (long) LONGS.get(buf, e) ^ NEWLINES;
      long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
      if (zero != 0) {
        lines.line(buf, pos, e + (Long.numberOfTrailingZeros(zero) >>> 3));
        return;
      }
    }
    while (e < end && buf[e] != '\n') {
      e++;
    }
    lines.line(buf, pos, e);
  }

  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  /** Offset of the last token's first byte. */
  long tokenStart() {
    return tokenStart;
  }

  /** Offset just past the last token's last byte. */
  long tokenEnd() {
    return tokenEnd;
  }

  /** Offset just past the input. */
  long end() {
    return limit;
  }

  /** Ensures {@code n} bytes are buffered from {@link #pos} unless the input ends first; returns how many are. */
  private int fill(int n) {
    int avail = len - pos;
    if (avail >= n || next >= limit) {
      return avail;
    }
    System.arraycopy(buf, pos, buf, 0, avail);
    base += pos;
    pos = 0;
    len = avail;
    int want = (int) Math.min(CAPACITY - len, limit - next);
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, next, buf, len, want);
    next += want;
    len += want;
    return len;
  }

  /** Writes the next kept token into {@code term}; false at the end of the input. */
  boolean next(CharTermAttribute term) {
    if (!next()) {
      return false;
    }
    int n = tokenLength;
    if (tokenHigh) {
      term.setEmpty().append(new String(token, 0, n, StandardCharsets.UTF_8));
    } else {
      char[] chars = term.resizeBuffer(n);
      for (int i = 0; i < n; i++) {
        chars[i] = (char) token[i];
      }
      term.setLength(n);
    }
    return true;
  }

  /**
   * Moves to the next kept token: its bytes, lower-cased, are {@link #token()}{@code [0, }{@link
   * #tokenLength()}{@code )}. False at the end of the input.
   */
  boolean next() {
    final byte[] buf = this.buf;
    while (true) {
      if (lineTokenNext < lineTokenCount) {
        return nextOfLine();
      }
      if (pos >= len && fill(1) == 0) {
        return false;
      }
      if (lineStart) {
        lineStart = false;
        if (lines != null) {
          sinkLine();
        }
        if (skipLinePrefix()) {
          continue;
        }
        if (lineTokenNext < lineTokenCount) {
          continue;
        }
        if (pos >= len) {
          continue;
        }
      }
      int b = buf[pos] & 0xFF;
      if (CLASS[b] == SEP) {
        pos++;
        if (b == '\n') {
          lineStart = true;
        }
        continue;
      }
      // A token: copy it lower-cased, classify as we go.
      tokenStart = base + pos;
      int n = 0;
      boolean overflow = false, allHex = true, digit = false, high = false;
      while (true) {
        if (pos >= len && fill(1) == 0) {
          break;
        }
        b = buf[pos] & 0xFF;
        byte c = CLASS[b];
        if (c == SEP) {
          break;
        }
        pos++;
        if (c == DIGIT) {
          digit = true;
        } else if (c == WORD) {
          allHex = false;
          high |= b >= 0x80;
        }
        if (n < MAX_TOKEN) {
          token[n++] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        } else {
          overflow = true;
        }
      }
      tokenEnd = base + pos;
      if (overflow || drop(token, n, allHex, digit)) {
        continue;
      }
      tokenLength = n;
      tokenHigh = high;
      tokenHashed = false;
      return true;
    }
  }

  /** The next token of {@link #lineTokens}; past the line's last one, moves to the line's end. */
  private boolean nextOfLine() {
    int t = lineTokenNext++;
    int from = lineTokens[2 * t], n = lineTokens[2 * t + 1];
    // Eight bytes a step, lower-cased in a register; the hash is the one repeated() took.
    long highBits = 0;
    for (int k = 0; k < n; k += 8) {
      long w = lowerAscii((long) LONGS.get(buf, from + k));
      if (k + 8 > n) {
        w &= -1L >>> (8 * (8 - (n - k)));
      }
      highBits |= w;
      LONGS.set(token, k, w);
    }
    tokenHash = lineHashes[t];
    tokenHashed = true;
    tokenStart = base + from;
    tokenEnd = base + from + n;
    tokenLength = n;
    tokenHigh = (highBits & HIGH_BITS) != 0;
    pos = from + n;
    if (lineTokenNext == lineTokenCount) {
      lineTokenCount = 0;
      lineTokenNext = 0;
      pos = lineEnd;
    }
    return true;
  }

  /** The last token's bytes (lower-case ASCII; other bytes as they came), valid until the next call. */
  byte[] token() {
    return token;
  }

  int tokenLength() {
    return tokenLength;
  }

  /** Whether {@link #tokenHash()} holds the last token's word hash (tokens of de-duplicated lines). */
  boolean tokenHashed() {
    return tokenHashed;
  }

  /** {@link PhrasePairs#wordHash} of the last token's bytes, when {@link #tokenHashed()}. */
  long tokenHash() {
    return tokenHash;
  }

  /** Whether the last token holds bytes beyond ASCII (UTF-8, possibly invalid). */
  boolean tokenHigh() {
    return tokenHigh;
  }

  /** {@code t[from, from + n)}, lower-cased, is a token to leave out. */
  private static boolean drop(byte[] t, int from, int n, boolean allHex, boolean digit) {
    if (n >= 2 && t[from] == '0' && (t[from + 1] | 0x20) == 'x') {
      return true;
    }
    return allHex && n >= 8 && (digit || n >= 12);
  }

  private static boolean drop(byte[] t, int n, boolean allHex, boolean digit) {
    return drop(t, 0, n, allHex, digit);
  }

  /**
   * At a line start: skips console prefixes, then the whole line if it is a {@code Code:} or
   * register dump line. True when the line was skipped.
   */
  private boolean skipLinePrefix() {
    int avail = fill(LOOKAHEAD);
    int end = pos + avail;
    int p = pos;
    // Up to two bracketed prefixes: "[  772.920727]" and "[ T5120]" / "[    C1]".
    for (int k = 0; k < 2 && p < end && buf[p] == '['; k++) {
      int q = p + 1;
      while (q < end && q - p < 24 && isPrefixByte(buf[q])) {
        q++;
      }
      if (q < end && buf[q] == ']') {
        p = q + 1;
      } else {
        break;
      }
    }
    pos = p;
    while (p < end && (buf[p] == ' ' || buf[p] == '\t')) {
      p++;
    }
    if (startsWith(p, end, "Code: ") || isRegisterLine(p, end) || (seenLines != null && repeated())) {
      skipLine();
      return true;
    }
    return false;
  }

  /**
   * True when the line at {@link #pos} holds the same kept tokens as an earlier line of this input,
   * tokens of digits alone counting as equal; remembers the line otherwise, with its kept tokens
   * and their word hashes for {@link #next()}. Cuts the line by the rules of {@link #next()},
   * without copying it.
   */
  private boolean repeated() {
    lineTokenCount = 0;
    lineTokenNext = 0;
    if (seenCount >= DEDUP_CAPACITY) {
      return false;
    }
    int avail = fill(DEDUP_LINE);
    int end = pos + Math.min(avail, DEDUP_LINE);
    final byte[] buf = this.buf;
    kept = 0;
    long h = 0x9E3779B97F4A7C15L;
    int stop = end; // the line feed, or end
    int open = -1; // start of a token that ran to the end of the last block
    // A block of 64 bytes at a time: one bit per byte for token bytes and for line feeds, found by
    // a few vector compares; then a turn per token, not per byte. Per-byte class lookups and the
    // branch at every token's end were a tenth of all indexing time.
    blocks:
    for (int b = pos; b < end; b += BLOCK) {
      long word = blockBits(buf, b);
      long live = end - b >= BLOCK ? -1L : (1L << (end - b)) - 1;
      long feeds = blockFeeds & live;
      if (feeds != 0) {
        int at = Long.numberOfTrailingZeros(feeds);
        live = (1L << at) - 1;
        stop = b + at;
      }
      word &= live;
      if (open >= 0) {
        long notWord = ~word;
        if (notWord == 0) {
          continue; // the token goes on into the next block
        }
        int e = Long.numberOfTrailingZeros(notWord);
        h = keep(h, open, b + e);
        open = -1;
        word &= -1L << e;
      }
      while (word != 0) {
        int s = Long.numberOfTrailingZeros(word);
        long rest = ~word & (-1L << s);
        if (rest == 0) {
          open = b + s;
          continue blocks;
        }
        int e = Long.numberOfTrailingZeros(rest);
        h = keep(h, b + s, b + e);
        word &= -1L << e;
      }
      if (stop < end) {
        break;
      }
    }
    if (open >= 0) {
      h = keep(h, open, stop);
    }
    if (stop == end && end - pos == DEDUP_LINE) {
      return false; // too long to tell cheaply
    }
    h ^= h >>> 31;
    int mask = seenLines.length - 1;
    for (int slot = (int) (h ^ (h >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      if (seenGeneration[slot] != generation) {
        seenGeneration[slot] = generation;
        seenLines[slot] = h;
        seenCount++;
        lineTokenCount = kept; // a new line: next() serves its tokens from the list
        lineEnd = stop;
        return false;
      }
      if (seenLines[slot] == h) {
        return true;
      }
    }
  }

  /** Kept tokens of the line {@link #repeated} is cutting. */
  private int kept;

  /** What a token of digits alone adds to a line's key: every number is alike. */
  private static final long NUMBER = 0x5DEECE66DL;

  /**
   * Adds the token {@code buf[from, to)} to the line's list and to its key {@code h}, unless {@link
   * #drop}'s rules (tested here on the raw bytes) leave it out; returns the key. Reads the token a word at a time: lower-cased, it is hashed as
   * {@link PhrasePairs#wordHash} does, and classified by bit tests (within a token, a byte below
   * 0x40 is a digit; a byte is a hex digit when it is a digit or, OR 0x20, in 'a'..'f').
   */
  private long keep(long h, int from, int to) {
    int n = to - from;
    if (n > MAX_TOKEN) {
      return h;
    }
    final byte[] buf = this.buf;
    long first = (long) LONGS.get(buf, from);
    if (n >= 2 && ((first & 0xFFFF) | 0x2000) == 0x7830) {
      return h; // "0x…"
    }
    long hash = 0x9E3779B97F4A7C15L ^ n;
    long letters = 0, digits = 0, notHex = 0;
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      long w = (long) LONGS.get(buf, from + k);
      letters |= w | (w << 1);
      digits |= ~w & ~(w << 1);
      notHex |= ((w | 0x2020202020202020L) & 0x7F7F7F7F7F7F7F7FL) + 0x1919191919191919L | w;
      hash = mix(hash, lowerAscii(w));
    }
    long last = 0;
    if (k < n) {
      long keepBytes = -1L >>> (8 * (8 - (n - k)));
      long w = (long) LONGS.get(buf, from + k) & keepBytes;
      long high = keepBytes & HIGH_BITS;
      letters |= w | (w << 1);
      digits |= ~w & ~(w << 1) & high;
      notHex |= ((w | 0x2020202020202020L) & 0x7F7F7F7F7F7F7F7FL) + 0x1919191919191919L | w;
      last = lowerAscii(w);
    }
    hash = mix(hash, last);
    boolean letter = (letters & HIGH_BITS) != 0;
    if (n >= 8 && (notHex & HIGH_BITS) == 0 && ((digits & HIGH_BITS) != 0 || n >= 12)) {
      return h; // an address, hash or register value
    }
    if (2 * kept + 2 > lineTokens.length) {
      lineTokens = java.util.Arrays.copyOf(lineTokens, 2 * lineTokens.length);
      lineHashes = java.util.Arrays.copyOf(lineHashes, lineTokens.length / 2);
    }
    lineTokens[2 * kept] = from;
    lineTokens[2 * kept + 1] = n;
    lineHashes[kept] = hash;
    kept++;
    return mix(h, letter ? hash : NUMBER);
  }

  private static final long HIGH_BITS = 0x8080808080808080L;
  /** Bytes per block of {@link #blockBits}: one bit each in a long. */
  static final int BLOCK = 64;
  /** At most 64 lanes, so that a block's lane masks fill a long. */
  static final VectorSpecies<Byte> LANES =
      ByteVector.SPECIES_PREFERRED.length() <= BLOCK ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;
  /** The line feeds of the last {@link #blockBits} block. */
  private long blockFeeds;

  /**
   * Bit k set when {@code buf[at + k]} is a token byte (ASCII letter or digit, '_', or beyond
   * ASCII), for the 64 bytes from {@code at}; their line feeds go to {@link #blockFeeds}.
   */
  private long blockBits(byte[] buf, int at) {
    long token = 0, feeds = 0;
    for (int k = 0; k < BLOCK; k += LANES.length()) {
      ByteVector v = ByteVector.fromArray(LANES, buf, at + k);
      VectorMask<Byte> m = v.lt((byte) 0)
          .or(v.sub((byte) '0').compare(VectorOperators.ULT, (byte) 10))
          .or(v.or((byte) 0x20).sub((byte) 'a').compare(VectorOperators.ULT, (byte) 26))
          .or(v.eq((byte) '_'));
      token |= m.toLong() << k;
      feeds |= v.eq((byte) '\n').toLong() << k;
    }
    blockFeeds = feeds;
    return token;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static long mix(long h, long word) {
    h = (h ^ word) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** Each byte 'A'..'Z' of {@code w} made lower case, the others unchanged (SWAR). */
  static long lowerAscii(long w) {
    long low7 = w & 0x7F7F7F7F7F7F7F7FL;
    long aboveZ = low7 + 0x2525252525252525L; // high bit set where the byte's low 7 bits > 'Z'
    long atLeastA = low7 + 0x3F3F3F3F3F3F3F3FL; // high bit set where >= 'A'
    long upper = (atLeastA & ~aboveZ) & ~w & 0x8080808080808080L;
    return w | (upper >>> 2);
  }

  private static boolean isPrefixByte(byte b) {
    return b == ' ' || b == '.' || b == 'T' || b == 'C' || (b >= '0' && b <= '9');
  }

  private boolean startsWith(int p, int end, String s) {
    if (end - p < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[p + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** "RAX: ffff…", "R10: 0000…", "x29: …", "RSP: 0018:ffff…", "CS:  0010 DS: 0000": not RIP/EIP/pc/lr. */
  private boolean isRegisterLine(int p, int end) {
    int w = p;
    while (w < end && w - p < 7 && isAlnum(buf[w])) {
      w++;
    }
    int word = w - p;
    if (word == 0 || word > 6) {
      return false;
    }
    while (w < end && buf[w] == ' ') {
      w++;
    }
    // The colon first: most lines fail there, before the named-pointer test.
    if (w >= end || buf[w] != ':' || isNamedPointer(p, word)) {
      return false;
    }
    w++;
    while (w < end && buf[w] == ' ') {
      w++;
    }
    int h = w;
    while (h < end && CLASS[buf[h] & 0xFF] >= HEX_LETTER) {
      h++;
    }
    if (h - w < 4) {
      return false;
    }
    return h >= end || buf[h] == ' ' || buf[h] == ':' || buf[h] == '\n' || buf[h] == '\r';
  }

  /** Instruction pointer and link register lines carry a function name: keep them. */
  private boolean isNamedPointer(int p, int word) {
    int a = buf[p] | 0x20, b = word > 1 ? buf[p + 1] | 0x20 : 0, c = word > 2 ? buf[p + 2] | 0x20 : 0;
    return (word == 3 && (a == 'r' || a == 'e') && b == 'i' && c == 'p')
        || (word == 2 && ((a == 'i' && b == 'p') || (a == 'p' && b == 'c') || (a == 'l' && b == 'r')));
  }

  private static boolean isAlnum(byte b) {
    return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
  }

  private void skipLine() {
    while (true) {
      for (int i = pos; i < len; i++) {
        if (buf[i] == '\n') {
          pos = i + 1;
          lineStart = true;
          return;
        }
      }
      pos = len;
      if (fill(1) == 0) {
        return;
      }
    }
  }
}
