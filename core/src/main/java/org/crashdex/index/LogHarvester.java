package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

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

  private final byte[] chunk = new byte[1 << 15];
  private final byte[] carry = new byte[MAX_LINE];
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
   * Harvests the first {@code limit} bytes of {@code data}, replacing what an earlier call found. (The
   * indexer feeds lines through {@link #line} from the full-text pass instead.)
   */
  void harvest(MemorySegment data, long limit) {
    reset();
    limit = Math.min(limit, data.byteSize());
    final byte[] chunk = this.chunk;
    int n = 0; // bytes of a line begun in an earlier chunk, in carry
    for (long at = 0; at < limit; ) {
      int c = (int) Math.min(chunk.length, limit - at);
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, chunk, 0, c);
      at += c;
      int start = 0;
      while (start < c) {
        int nl = start;
        while (nl < c && chunk[nl] != '\n') {
          nl++;
        }
        if (nl == c) { // the line goes on in the next chunk
          int take = Math.min(nl - start, MAX_LINE - n);
          System.arraycopy(chunk, start, carry, n, take);
          n += take;
          break;
        }
        if (n > 0) {
          int take = Math.min(nl - start, MAX_LINE - n);
          System.arraycopy(chunk, start, carry, n, take);
          line(carry, 0, n + take);
          n = 0;
        } else {
          line(chunk, start, nl);
        }
        start = nl + 1;
      }
    }
    if (n > 0) {
      line(carry, 0, n);
    }
  }

  /**
   * One line, {@code bytes[start, end)} without its line feed (a carriage return before it is allowed).
   * Only its first {@value #MAX_LINE} bytes are looked at. Walks it a symbol run at a time: the shapes
   * looked for start at a run's first byte (a hex run), or just past a run ({@code +0x}, {@code ) from}),
   * so the bytes inside a run cost one table look-up each.
   */
  @Override
  public void line(byte[] bytes, int start, int end) {
    end = Math.min(end, start + MAX_LINE);
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    this.line = bytes;
    this.from = start;
    final byte[] line = bytes;
    final int n = end;
    int signatureLine = -1; // not looked for yet: most lines hold no long hex run
    int i = start;
    while (i < n) {
      byte b = line[i];
      if ((CLASS[b & 0xFF] & SYMBOL) == 0) {
        if (b == '+' && i + 3 < n && line[i + 1] == '0' && line[i + 2] == 'x' && isHex(line[i + 3])) {
          symbolBefore(i);
        } else if (b == ')' && i + 6 < n && line[i + 1] == ' ' && line[i + 2] == 'f' && line[i + 3] == 'r'
            && line[i + 4] == 'o' && line[i + 5] == 'm' && line[i + 6] == ' ') {
          int s = symbolStart(i);
          if (s > start && line[s - 1] == '(') {
            addFunction(s, i);
          }
        }
        i++;
        continue;
      }
      // A symbol run starts at i.
      int j = i;
      if (isHex(b)) {
        while (j < n && isHex(line[j])) {
          j++;
        }
        if (j == n || (CLASS[line[j] & 0xFF] == 0)) {
          int run = j - i;
          if (run >= 16) {
            if (signatureLine < 0) {
              signatureLine = contains(n, "signature") ? 1 : 0;
            }
            if (signatureLine == 1) {
              add(signatures, ascii(i, j).toLowerCase(java.util.Locale.ROOT));
            } else if (run == 40) {
              add(commits, ascii(i, j).toLowerCase(java.util.Locale.ROOT));
            }
          }
        }
      }
      while (j < n && (CLASS[line[j] & 0xFF] & SYMBOL) != 0) {
        j++;
      }
      i = j;
    }
    if (endsWith(n, "[inline]")) {
      inlineFrame(n);
    }
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
