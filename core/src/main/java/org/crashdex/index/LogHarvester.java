package org.crashdex.index;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gathers searchable facts straight from a record's raw lines, whatever the parsers made of it: the
 * functions of every frame-shaped line, every 40-digit commit hash, every signature hash.
 *
 * <p>The parsers give the precise fields (which commit is the culprit, which frames belong to the
 * crash the title names). The harvester is the safety net under {@code func:}, {@code commit:} and
 * {@code sig:}: a log in a format generation no parser knows yet still answers for the hashes and
 * functions it plainly contains.
 *
 * <h2>Line shapes</h2>
 *
 * <ul>
 *   <li>{@code name+0xOFF/0xSIZE} anywhere in a line (x86 and arm64 traces, RIP and pc lines);
 *   <li>{@code (name) from} (arm32 traces);
 *   <li>a line ending in {@code [inline]}: its first word (symbolised inline frames);
 *   <li>a run of exactly 40 hex digits: a commit, unless the line says "signature";
 *   <li>a run of 16 or more hex digits on a line that says "signature": a signature.
 * </ul>
 *
 * Names with a compiler suffix ({@code foo.isra.0}, {@code foo.cold}) are kept as printed and also as
 * the bare name, since traces print one and people search the other.
 */
final class LogHarvester implements LogTokens.LineSink {
  /** Longest line looked at; the rest of a longer line is passed over. */
  private static final int MAX_LINE = LogTokens.SINK_LINE;
  /** At most this many values per kind and record: bounds memory on pathological input. */
  static final int MAX_VALUES = 4096;

  private static final byte[] CLASS = new byte[256];
  private static final byte SYMBOL = 1, HEX = 2;

  static {
    for (int c = 'a'; c <= 'z'; c++) {
      CLASS[c] = SYMBOL;
      CLASS[c - 32] = SYMBOL;
    }
    for (int c = '0'; c <= '9'; c++) {
      CLASS[c] = SYMBOL | HEX;
    }
    for (int c = 'a'; c <= 'f'; c++) {
      CLASS[c] = SYMBOL | HEX;
      CLASS[c - 32] = SYMBOL | HEX;
    }
    CLASS['_'] = SYMBOL;
    CLASS['.'] = SYMBOL;
    CLASS['$'] = SYMBOL;
  }

  final Set<String> functions = new LinkedHashSet<>();
  final Set<String> commits = new LinkedHashSet<>();
  final Set<String> signatures = new LinkedHashSet<>();

  /** The line being looked at is {@code line[from, to)}. */
  private byte[] line;
  private int from;

  /** Forgets what earlier records gave. */
  void reset() {
    functions.clear();
    commits.clear();
    signatures.clear();
  }

  /**
   * One line, {@code bytes[start, end)} without its line feed (a carriage return before it is allowed).
   * Only its first {@value #MAX_LINE} bytes are looked at. The shapes looked for start at a '+' or
   * ')' or are symbol runs of 16 bytes or more, so the line is first mapped 64 bytes at a time into
   * bit sets of symbol bytes and of those two marks (a few vector compares per 64 bytes); then only
   * the marks, and the starts of long runs (a few shifts per 64 bytes), are visited.
   */
  @Override
  public void line(byte[] bytes, int start, int end) {
    end = Math.min(end, start + MAX_LINE);
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    this.line = bytes;
    this.from = start;
    final int n = end;
    final int length = n - start;
    final long[] symbols = this.symbols, marks = this.marks;
    int words = mapLine(bytes, start, length);
    // The '+' and ')' marks: "name+0x…", "(name) from ".
    for (int mark = nextSetBit(marks, words, 0); mark < length; mark = nextSetBit(marks, words, mark + 1)) {
      int at = start + mark;
      if (line[at] == '+') {
        if (at + 3 < n && line[at + 1] == '0' && line[at + 2] == 'x' && isHex(line[at + 3])) {
          symbolBefore(at);
        }
      } else if (at + 6 < n && line[at + 1] == ' ' && line[at + 2] == 'f' && line[at + 3] == 'r'
          && line[at + 4] == 'o' && line[at + 5] == 'm' && line[at + 6] == ' ') {
        int f = symbolStart(at);
        if (f > start && line[f - 1] == '(') {
          addFunction(f, at);
        }
      }
    }
    // Symbol runs of 16 bytes or more, the only ones that can be hashes: most lines have none.
    if (markLongRuns(words)) {
      int signatureLine = -1; // not looked for yet
      for (int s = nextSetBit(longRuns, words, 0); s < length; ) {
        int e = nextClearBit(symbols, words, s); // s starts a run: no long-run bit lies just before it
        if (allHex(start + s, start + e)) {
          if (signatureLine < 0) {
            signatureLine = contains(n, "signature") ? 1 : 0;
          }
          if (signatureLine == 1) {
            add(signatures, ascii(start + s, start + e).toLowerCase(java.util.Locale.ROOT));
          } else if (e - s == 40) {
            add(commits, ascii(start + s, start + e).toLowerCase(java.util.Locale.ROOT));
          }
        }
        s = e >= length ? length : nextSetBit(longRuns, words, e);
      }
    }
    if (endsWith(n, "[inline]")) {
      inlineFrame(n);
    }
  }

  /** Bytes per word of {@link #symbols} and {@link #marks}: the tokeniser's blocks. */
  private static final int BLOCK = LogTokens.BLOCK;
  private static final VectorSpecies<Byte> LANES = LogTokens.LANES;
  /** Bit k: byte k of the line is a symbol byte (letter, digit, '_', '.', '$'). */
  private final long[] symbols = new long[MAX_LINE / BLOCK];
  /** Bit k: byte k of the line is '+' or ')'. */
  private final long[] marks = new long[MAX_LINE / BLOCK];
  /** Bit k: bytes k to k + 15 of the line are all symbol bytes. */
  private final long[] longRuns = new long[MAX_LINE / BLOCK];
  /** Shortest symbol run that can be a hash (a signature abbreviated to 16 digits). */
  private static final int LONG_RUN = 16;
  /** The last block of a line that ends too near its array's end for a whole-block read. */
  private final byte[] spare = new byte[BLOCK];

  /** Fills {@link #symbols} and {@link #marks} for {@code bytes[start, start + length)}; returns the words used. */
  private int mapLine(byte[] bytes, int start, int length) {
    int words = (length + BLOCK - 1) / BLOCK;
    for (int w = 0; w < words; w++) {
      int at = start + w * BLOCK;
      byte[] src = bytes;
      if (at + BLOCK > bytes.length) {
        int rest = Math.min(BLOCK, bytes.length - at);
        java.util.Arrays.fill(spare, (byte) 0);
        System.arraycopy(bytes, at, spare, 0, rest);
        src = spare;
        at = 0;
      }
      long sym = 0, mark = 0;
      for (int k = 0; k < BLOCK; k += LANES.length()) {
        ByteVector v = ByteVector.fromArray(LANES, src, at + k);
        VectorMask<Byte> m = v.or((byte) 0x20).sub((byte) 'a').compare(VectorOperators.ULT, (byte) 26)
            .or(v.sub((byte) '0').compare(VectorOperators.ULT, (byte) 10))
            .or(v.eq((byte) '_'))
            .or(v.eq((byte) '.'))
            .or(v.eq((byte) '$'));
        sym |= m.toLong() << k;
        mark |= v.eq((byte) '+').or(v.eq((byte) ')')).toLong() << k;
      }
      int live = length - w * BLOCK;
      if (live < BLOCK) {
        long keep = (1L << live) - 1;
        sym &= keep;
        mark &= keep;
      }
      symbols[w] = sym;
      marks[w] = mark;
    }
    return words;
  }

  /**
   * Fills {@link #longRuns} from {@link #symbols}: a bit stays set where the next fifteen bits are
   * set too, the next word's low bits standing in past a word's end. False when no bit is set.
   */
  private boolean markLongRuns(int words) {
    long any = 0;
    for (int w = 0; w < words; w++) {
      long lo = symbols[w];
      long hi = w + 1 < words ? symbols[w + 1] : 0;
      long x = lo;
      for (int k = 1; k < LONG_RUN && x != 0; k++) {
        x &= (lo >>> k) | (hi << (64 - k));
      }
      longRuns[w] = x;
      any |= x;
    }
    return any != 0;
  }

  /** The first set bit at or after {@code i} in {@code bits[0, words)}, or {@code words * 64}. */
  private static int nextSetBit(long[] bits, int words, int i) {
    int w = i >>> 6;
    if (w >= words) {
      return words << 6;
    }
    long word = bits[w] & (-1L << i);
    while (word == 0) {
      if (++w == words) {
        return words << 6;
      }
      word = bits[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  /** The first clear bit at or after {@code i} in {@code bits[0, words)}, or {@code words * 64}. */
  private static int nextClearBit(long[] bits, int words, int i) {
    int w = i >>> 6;
    if (w >= words) {
      return words << 6;
    }
    long word = ~bits[w] & (-1L << i);
    while (word == 0) {
      if (++w == words) {
        return words << 6;
      }
      word = ~bits[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  private boolean allHex(int s, int e) {
    for (int k = s; k < e; k++) {
      if (!isHex(line[k])) {
        return false;
      }
    }
    return true;
  }

  private void symbolBefore(int plus) {
    int s = symbolStart(plus);
    if (s < plus) {
      addFunction(s, plus);
    }
  }

  private int symbolStart(int end) {
    int j = end;
    while (j > from && (CLASS[line[j - 1] & 0xFF] & SYMBOL) != 0) {
      j--;
    }
    // A symbol starts with a letter or '_' (".LC0" and "0x…" are not functions).
    while (j < end && !(line[j] == '_' || ((line[j] | 0x20) >= 'a' && (line[j] | 0x20) <= 'z'))) {
      j++;
    }
    return j;
  }

  private void inlineFrame(int n) {
    int p = from;
    // Console prefixes "[  12.34][ T1]", indentation, a questionable frame's "? ".
    while (p < n) {
      if (line[p] == '[') {
        int q = p;
        while (q < n && line[q] != ']') {
          q++;
        }
        if (q >= n) {
          return;
        }
        p = q + 1;
      } else if (line[p] == ' ' || line[p] == '\t' || line[p] == '?') {
        p++;
      } else {
        break;
      }
    }
    int e = p;
    while (e < n && (CLASS[line[e] & 0xFF] & SYMBOL) != 0) {
      e++;
    }
    if (e < n && line[e] == ' ' && e > p) {
      addFunction(p, e);
    }
  }

  private void addFunction(int start, int end) {
    if (end - start > 200 || !(line[start] == '_' || ((line[start] | 0x20) >= 'a' && (line[start] | 0x20) <= 'z'))) {
      return;
    }
    String name = ascii(start, end);
    add(functions, name);
    int dot = name.indexOf('.');
    if (dot > 0) {
      add(functions, name.substring(0, dot));
    }
  }

  private static void add(Set<String> set, String value) {
    if (set.size() < MAX_VALUES) {
      set.add(value);
    }
  }

  private String ascii(int start, int end) {
    return new String(line, start, end - start, StandardCharsets.ISO_8859_1);
  }

  private static boolean isHex(byte b) {
    return (CLASS[b & 0xFF] & HEX) != 0;
  }

  /** Whether the line, up to {@code n}, contains {@code s}. */
  private boolean contains(int n, String s) {
    final byte first = (byte) s.charAt(0);
    final long firsts = 0x0101010101010101L * (first & 0xFF);
    int last = n - s.length(); // the last place s could start
    int i = from;
    // Eight bytes a step to the next byte equal to s's first: the lines asked about are long (they
    // hold a hex run of 16 or more) and rarely hold that byte.
    while (i <= last) {
      if (i + 8 <= n) {
        long w = (long) LONGS.get(line, i) ^ firsts;
        long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
        if (zero == 0) {
          i += 8;
          continue;
        }
        i += Long.numberOfTrailingZeros(zero) >>> 3;
      } else if (line[i] != first) {
        i++;
        continue;
      }
      if (i > last) {
        return false;
      }
      int k = 1;
      while (k < s.length() && line[i + k] == s.charAt(k)) {
        k++;
      }
      if (k == s.length()) {
        return true;
      }
      i++;
    }
    return false;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private boolean endsWith(int n, String s) {
    if (n - from < s.length()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (line[n - s.length() + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
