package org.crashdex.scan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Splits a mapped log into records: crash reports and bisection logs, as half-open byte ranges.
 *
 * <h2>Record rules</h2>
 *
 * <ul>
 *   <li>A <b>bisection</b> starts at a line beginning "bisecting cause commit starting from" or
 *       "bisecting fixing commit since", or at the "&lt;host&gt; starts bisection" line just before
 *       it, and runs to the next bisection start or the end of the data. Crash reports inside it
 *       belong to it.
 *   <li>A <b>crash</b> starts at an oops line ({@link OopsHeader}) outside a bisection and runs to the
 *       next record start, through a "---[ end Kernel panic" line (the machine is dead after it), or
 *       until it is {@link #MAX_CRASH_RECORD_BYTES} long, whichever comes first. An oops line that
 *       {@linkplain OopsHeader#continuesReport continues a report} ("Kernel panic - not syncing" after
 *       a WARNING) stays in the crash before it. A header line followed by "** replaying previous
 *       printk message **" is a replay, not a new crash.
 * </ul>
 *
 * <h2>Hot path</h2>
 *
 * The loop in {@link #run} reads two blocks of {@link #SPECIES} lanes (64 with AVX-512) per turn
 * and builds, per block, a newline mask and a trigger mask. Every oops header contains a five-byte
 * window that identifies it: a header word and its colon ("BUG:", "INFO:", "rror:" of "divide
 * error:"…), "rnel" before ' ' or '.' ("kernel BUG", "Kernel panic", "the kernel."), "dle k"
 * ("handle kernel"), "kmall" ("kmalloc-") or "ral p" ("general protection fault"); so does a
 * bisection start, "\nbise" ("bisecting" at the start of a line). A trigger is the last byte of
 * such a window: five loads of the block shifted by -4 … 0 bytes, each looked up in a 64-entry
 * byte-class table ({@link TriggerTables}, one {@code selectFrom} = vpermb each) and ANDed, so a
 * bit survives only where all five bytes fit one pattern. Ordinary console output (kobject:,
 * object:, audit:, mode:, parent:, kernel_t) gives almost no triggers: on the benchmark archive
 * about one pair of blocks in 100 has one, mostly "error:", which shares its last five bytes with
 * "divide error:".
 *
 * <p>A pair of blocks with no trigger and no pending work ({@link #fastUntil}: an open candidate
 * line, a crash record near its size cap) is plain: only the line start moves, without a branch
 * (half the blocks hold a newline, a branch on that would mispredict). Any other pair goes out of
 * line to {@link #block}, which walks its lines: each trigger is checked in a few instructions
 * ({@link ColonWords}: a perfect hash on the 4 bytes before the colon, then up to 8; {@link
 * #kernelMayOpenOops}; {@link #gpf}; {@link #mayStartBisection}), and only a line that passes is
 * decoded and matched against the full header list. Triggers after the first yes on a line are
 * skipped. No per-line allocation, no per-line String.
 *
 * <p>The narrowing is exact: every header contains a window that the vector filter passes and the
 * scalar check accepts, so every line that holds a header (in its first {@link #HEADER_WINDOW}
 * bytes) is matched. One exception is kept on purpose: "general protection fault" counts only on a
 * line that also has a colon of a certain shape ({@link #colonAllowsGpf}), which its window merely
 * notes for the end of the line. A header added to {@link OopsHeader} needs such a window: a row in
 * {@link ColonWords} or a pattern in {@link TriggerTables} and its check.
 */
public final class RecordScanner {

  /**
   * Longest crash record. Console output after a crash that never panics (a WARNING without
   * panic_on_warn) is ordinary kernel chatter, not part of the report; reports themselves stay far
   * below this (hung-task dumps with all locks held are tens of KiB).
   */
  public static final long MAX_CRASH_RECORD_BYTES = 1L << 20;

  /**
   * How much of a candidate oops line is decoded for the full header match, around the byte that
   * triggered it. Bounds the work on pathological lines (a 100 MB line of hex) while a real header
   * line, usually under 200 bytes, is always seen whole.
   */
  static final int HEADER_WINDOW = 64 * 1024;

  static final VectorSpecies<Byte> SPECIES =
      ByteVector.SPECIES_PREFERRED.length() <= 64 ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;

  /**
   * The trigger filter's byte-class tables ({@link TriggerTables}): lane {@code b & (lanes - 1)} of
   * each holds the pattern bits that byte {@code b} allows at one distance from the anchor byte.
   */
  private static final TriggerTables TABLES = new TriggerTables();

  private static final ValueLayout.OfLong LONG_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final long BISECTIN = le8("bisectin");
  private static final long KERNEL = le8("kernel\0\0");
  private static final long KMALLOC = le8("kmalloc-");
  private static final long HANDLE = le8("\0handle ");
  private static final long GENERAL = le8("general ");
  private static final long PROTECTI = le8("protecti");
  private static final long ON_FAULT = le8("on fault");
  private static final byte[] CAUSE_START = ascii("bisecting cause commit starting from");
  private static final byte[] FIX_START = ascii("bisecting fixing commit since");
  private static final byte[] STARTS_BISECTION = ascii(" starts bisection ");
  private static final byte[] REPLAY = ascii("** replaying previous printk message **");
  private static final byte[] END_KERNEL_PANIC = ascii("---[ end Kernel panic");

  private final MemorySegment data;
  private final long size;
  private final RecordSink sink;

  private long recordStart = -1;
  private RecordKind recordKind;
  // Scan position: the open line's start and whether a trigger on it said yes. The hot loop keeps
  // lineStart in a local and stores it before going out of line (block, scalar, endLine).
  private long lineStart;
  private boolean candidate;
  /** Whether "general protection fault" is on the open line ({@link #gpfOnLine}). */
  private boolean gpfOnLine;

  private RecordScanner(MemorySegment data, RecordSink sink) {
    this.data = data;
    this.size = data.byteSize();
    this.sink = sink;
  }

  /** Scans {@code data} and reports every record to {@code sink}, in order. */
  public static void scan(MemorySegment data, RecordSink sink) {
    new RecordScanner(data, sink).run();
  }

  /** Convenience form of {@link #scan(MemorySegment, RecordSink)} that collects the records. */
  public static List<RecordSpan> scan(MemorySegment data) {
    List<RecordSpan> out = new ArrayList<>();
    scan(data, (offset, length, kind) -> out.add(new RecordSpan(offset, length, kind)));
    return out;
  }

  private void run() {
    final MemorySegment data = this.data;
    final int lanes = SPECIES.length();
    // The first bytes go a byte at a time: kernelMayOpenOops answers "maybe" for any 'k' in the
    // first 8, and the vector loop reads from four bytes before each block. The
    // head also runs up to a 64-byte boundary of the address, so that the main load of each block
    // does not split a cache line.
    long head = Math.min(size, 8 + ((-(data.address() + 8)) & 63));
    scalar(0, head);
    long i = head;
    final long vectorLimit = size - lanes; // blocks [i, i + lanes) with i <= vectorLimit
    long lineStart = this.lineStart;
    long fastUntil = fastUntil();
    // Hot loop: two blocks per turn.
    for (; i + lanes <= vectorLimit; i += 2 * lanes) {
      long second = i + lanes;
      ByteVector v0 = ByteVector.fromMemorySegment(SPECIES, data, i, ByteOrder.nativeOrder());
      ByteVector v1 = ByteVector.fromMemorySegment(SPECIES, data, second, ByteOrder.nativeOrder());
      long newlines0 = v0.eq((byte) '\n').toLong();
      long newlines1 = v1.eq((byte) '\n').toLong();
      long triggers0 = triggers(data, i, v0);
      long triggers1 = triggers(data, second, v1);
      if ((triggers0 | triggers1) == 0 && second < fastUntil) {
        // Plain blocks: no line in them can open or end a record, so only the line start moves.
        // Branch-free (a block holds a newline about half the time: a branch would mispredict).
        long afterNewline0 = i + 64 - Long.numberOfLeadingZeros(newlines0);
        long afterNewline1 = second + 64 - Long.numberOfLeadingZeros(newlines1);
        lineStart = newlines0 == 0 ? lineStart : afterNewline0;
        lineStart = newlines1 == 0 ? lineStart : afterNewline1;
        continue;
      }
      this.lineStart = lineStart;
      block(i, newlines0, triggers0);
      block(second, newlines1, triggers1);
      lineStart = this.lineStart;
      fastUntil = fastUntil();
    }
    this.lineStart = lineStart;
    if (i <= vectorLimit) {
      ByteVector v = ByteVector.fromMemorySegment(SPECIES, data, i, ByteOrder.nativeOrder());
      block(i, v.eq((byte) '\n').toLong(), triggers(data, i, v));
      i += lanes;
    }
    // The scalar loop below checks each 'k' itself, from i on; a 'k' of the last six bytes before
    // i may have its window's last byte ("kmall", "kernel ") in the tail.
    for (long q = Math.max(i - 6, this.lineStart); q < i && !candidate && i > head; q++) {
      candidate = (data.get(ValueLayout.JAVA_BYTE, q) | 0x20) == 'k' && kernelMayOpenOops(q);
    }
    scalar(i, size);
    if (this.lineStart < size) {
      endLine(this.lineStart, size, this.candidate);
    }
    closeRecord(size);
  }

  /**
   * The trigger mask of the block at {@code i} (its first {@link #SPECIES} bytes in {@code v}):
   * bytes p whose window p - 4 … p fits a pattern of {@link TriggerTables}.
   */
  private static long triggers(MemorySegment data, long i, ByteVector v) {
    TriggerTables t = TABLES;
    ByteVector before1 = ByteVector.fromMemorySegment(SPECIES, data, i - 1, ByteOrder.nativeOrder());
    ByteVector before2 = ByteVector.fromMemorySegment(SPECIES, data, i - 2, ByteOrder.nativeOrder());
    ByteVector before3 = ByteVector.fromMemorySegment(SPECIES, data, i - 3, ByteOrder.nativeOrder());
    ByteVector before4 = ByteVector.fromMemorySegment(SPECIES, data, i - 4, ByteOrder.nativeOrder());
    return v.selectFrom(t.anchor)
        .and(before1.selectFrom(t.before1))
        .and(before2.selectFrom(t.before2))
        .and(before3.selectFrom(t.before3))
        .and(before4.selectFrom(t.before4))
        .compare(VectorOperators.NE, (byte) 0)
        .toLong();
  }

  /**
   * Out of line: the lines of a block that is not plain, one by one, and its triggers (block
   * offsets from {@code i}) for the lines they fall on.
   */
  private void block(long i, long newlines, long triggers) {
    while (newlines != 0) {
      int nl = Long.numberOfTrailingZeros(newlines);
      newlines &= newlines - 1;
      long before = triggers & ((1L << nl) - 1);
      if (!candidate && before != 0) {
        candidate = anyTrigger(i, before);
      }
      triggers &= -2L << nl; // only triggers after this newline are left
      long p = i + nl;
      // Most lines need nothing from endLine: no candidate (or bisection start), no crash to cap.
      if (candidate
          || gpfOnLine
          || (recordKind == RecordKind.CRASH && p - recordStart >= MAX_CRASH_RECORD_BYTES)) {
        endLine(lineStart, p, candidate);
      }
      lineStart = p + 1;
      candidate = false;
    }
    if (!candidate && triggers != 0) {
      candidate = anyTrigger(i, triggers);
    }
  }

  /**
   * The first block offset at which the vector loop must look at every line again: at once when the
   * open line (from {@link #lineStart}) is a candidate or holds "general protection fault"; else
   * where the open crash record reaches its size cap.
   */
  private long fastUntil() {
    if (candidate || gpfOnLine) {
      return Long.MIN_VALUE;
    }
    return recordKind == RecordKind.CRASH ? recordStart + MAX_CRASH_RECORD_BYTES - SPECIES.length() : Long.MAX_VALUE;
  }

  /**
   * True when one of the trigger bits (block offsets from {@code base}) may open an oops. The last
   * byte of the window names the pattern: ':' a colon word, ' ' or '.' "kernel" six bytes before,
   * 'k' "handle kernel", 'l' "kmalloc-" four bytes before, 'p' "general protection fault" ({@link
   * #gpf}), 'e' a line starting "bise" (other bytes only alias those in the 64-entry tables). Stops
   * at the first yes, as nothing later on the line can change the answer.
   */
  private boolean anyTrigger(long base, long triggers) {
    while (triggers != 0) {
      long p = base + Long.numberOfTrailingZeros(triggers);
      triggers &= triggers - 1;
      boolean yes =
          switch (data.get(ValueLayout.JAVA_BYTE, p)) {
            case ':' -> colonMayOpenOops(p);
            case ' ', '.' -> (data.get(ValueLayout.JAVA_BYTE, p - 6) | 0x20) == 'k' && kernelMayOpenOops(p - 6);
            case 'k', 'K' -> kernelMayOpenOops(p);
            case 'l' -> kernelMayOpenOops(p - 4);
            case 'p' -> gpf(p);
            case 'e' -> mayStartBisection(p);
            default -> false;
          };
      if (yes) {
        return true;
      }
    }
    return false;
  }

  /** Bytes {@code [from, to)} one at a time: the same decisions as the vector loop. */
  private void scalar(long from, long to) {
    for (long i = from; i < to; i++) {
      byte b = data.get(ValueLayout.JAVA_BYTE, i);
      if (b == '\n') {
        endLine(lineStart, i, candidate);
        lineStart = i + 1;
        candidate = false;
      } else if (!candidate && b == ':') {
        candidate = colonMayOpenOops(i);
      } else if (!candidate && (b | 0x20) == 'k') {
        candidate = kernelMayOpenOops(i);
      } else if (!candidate && b == 'p') {
        candidate = gpf(i);
      } else if (!candidate && b == 'e' && i - 3 == lineStart) {
        candidate = mayStartBisection(i);
      }
    }
  }

  // ---- trigger checks: a few instructions each ----

  /**
   * Whether the ':' at {@code p} may end an oops header word. The 4 bytes that end with it pick the
   * header through {@link ColonWords}, one multiply and one table probe instead of a switch; the up
   * to 8 bytes that end with the colon then decide ("mode:" is not " opcode:", "KASAN:" not
   * "UBSAN:").
   */
  private boolean colonMayOpenOops(long p) {
    if (p < 3) {
      return true; // too close to the start for the fast check: let the exact match decide
    }
    int suffix = data.get(INT_LE, p - 3);
    int slot = ColonWords.slot(suffix);
    if (ColonWords.SUFFIX[slot] != suffix) {
      return false;
    }
    if (p < 7) {
      return true;
    }
    long word = data.get(LONG_LE, p - 7) & ColonWords.MASK[slot];
    for (long accepted : ColonWords.WORDS[slot]) {
      if (word == accepted) {
        return true;
      }
    }
    return false;
  }

  /**
   * The colon-terminated header words, keyed by their last 4 bytes (little-endian int) in a
   * perfect hash table: {@code SUFFIX[slot(w)] == w} for exactly the listed suffixes. {@code
   * WORDS[slot]} lists the words with that suffix as the up to 8 bytes ending with the colon,
   * masked by {@code MASK[slot]} (the words of a slot have one length). {@link TriggerTables}
   * derives its colon patterns from the same words.
   */
  static final class ColonWords {
    /**
     * Per colon group of {@link TriggerTables}, per suffix, the header words (or their last 8
     * bytes) that end with it. A group lets every mix of its words' bytes through, so the groups
     * were chosen by a search over the colon words of the benchmark archive for none to make a
     * common word: "segment:" and " opcode:" in one group would pass "mode:", for instance.
     */
    static final String[][][] GROUPS = {
      {
        {"int3:"},
        {"panic:"},
        {"segment:"}, // stack segment:
        {"d fault:", "n fault:"}, // Unhandled fault:, general protection fault:
        {"UBSAN:"},
      },
      {{"BUG:"}, {"VFS:"}},
      {
        {"INFO:"},
        {"PANIC:"}, // PANIC: double fault
        {"_kernel:"}, // rust_kernel:
        {"e error:", "l error:", "e_error:"}, // divide/Internal/fatal error:, divide_error:
        {"SYZFAIL:"},
        {"YZFATAL:"}, // SYZFATAL:
      },
      {
        {"trusty:"},
        {"WARNING:"},
        {" opcode:"}, // invalid opcode:
        {"tdevice:"}, // unregister_netdevice:
        {"nt trap:"}, // Alignment trap:
      },
    };
    static final String[][] TABLE =
        java.util.Arrays.stream(GROUPS).flatMap(java.util.Arrays::stream).toArray(String[][]::new);
    static final int BITS = 6;
    static final int MULTIPLIER;
    static final int[] SUFFIX = new int[1 << BITS];
    static final long[] MASK = new long[1 << BITS];
    static final long[][] WORDS = new long[1 << BITS][];
    /** The row of {@link #TABLE} in each used slot. */
    static final String[][] ROW = new String[1 << BITS][];

    static {
      int multiplier = 0x9E3779B1;
      search:
      while (true) {
        boolean[] used = new boolean[1 << BITS];
        for (String[] row : TABLE) {
          int slot = (suffix(row[0]) * multiplier) >>> (32 - BITS);
          if (used[slot]) {
            multiplier += 2;
            continue search;
          }
          used[slot] = true;
        }
        break;
      }
      MULTIPLIER = multiplier;
      for (String[] row : TABLE) {
        int slot = slot(suffix(row[0]));
        int length = row[0].length();
        SUFFIX[slot] = suffix(row[0]);
        MASK[slot] = -1L << (8 * (8 - length));
        WORDS[slot] = new long[row.length];
        ROW[slot] = row;
        for (int k = 0; k < row.length; k++) {
          if (row[k].length() != length || suffix(row[k]) != SUFFIX[slot]) {
            throw new AssertionError("one suffix and length per row: " + String.join(", ", row));
          }
          WORDS[slot][k] = le8("\0".repeat(8 - length) + row[k]);
        }
      }
    }

    static int slot(int suffix) {
      return (suffix * MULTIPLIER) >>> (32 - BITS);
    }

    /** The last 4 bytes of {@code word}, little-endian. */
    private static int suffix(String word) {
      return (int) (le8(word.substring(word.length() - 4) + "\0\0\0\0"));
    }

    private ColonWords() {}
  }

  /** "kernel BUG", "Kernel panic", "Kernel BUG", "Booting the kernel.", "handle kernel", "kmalloc-" at {@code p}. */
  private boolean kernelMayOpenOops(long p) {
    if (p + 8 > size || p < 8) {
      return true;
    }
    long w = data.get(LONG_LE, p);
    if (((w | 0x20) & 0xFFFF_FFFF_FFFFL) == KERNEL) {
      int next = (int) (w >>> 48);
      return next == (' ' | 'B' << 8)
          || next == (' ' | 'p' << 8)
          || (next & 0xFF) == '.'
          || (data.get(LONG_LE, p - 8) & ~0xFFL) == HANDLE;
    }
    return w == KMALLOC;
  }

  /**
   * Whether the line whose fourth byte, 'e', is at {@code p} starts with "bisectin": a candidate,
   * so that {@link #endLine} checks it for a bisection start (and the full match then finds nothing
   * on other "bisecting" lines).
   */
  private boolean mayStartBisection(long p) {
    return p + 5 > size || data.get(LONG_LE, p - 3) == BISECTIN;
  }

  /**
   * Notes "general protection fault" with the 'p' at {@code p} (or maybe, near the ends of the data)
   * for {@link #endLine}. Always false: the header alone does not make its line an oops line, see
   * {@link #colonAllowsGpf}.
   */
  private boolean gpf(long p) {
    gpfOnLine |=
        p < 8
            || p + 16 > size
            || (data.get(LONG_LE, p - 8) == GENERAL
                && data.get(LONG_LE, p) == PROTECTI
                && data.get(LONG_LE, p + 8) == ON_FAULT);
    return false;
  }

  /**
   * Whether the ':' at {@code p} lets "general protection fault" on its line count: a colon ending
   * with the 4 bytes of a {@link ColonWords} suffix (whatever the 8 say: "mode:", "parent:",
   * "KASAN:"), or followed by the oops-line tail " 0000 [#1]" (the modern "general protection fault,
   * probably for non-canonical address …: 0000 [#1]"). This is the rule of the earlier scanner, whose
   * triggers were these colons; it keeps lines that merely name the crash, "TITLE: general
   * protection fault in foo" in a report file or a title column in a table, from opening records.
   */
  private boolean colonAllowsGpf(long p) {
    return p < 3
        || ColonWords.SUFFIX[ColonWords.slot(data.get(INT_LE, p - 3))] == data.get(INT_LE, p - 3)
        || (p + 9 <= size && (data.get(INT_LE, p + 5) >>> 8) == (' ' | '[' << 8 | '#' << 16));
  }

  /** Whether a colon on the line {@code [start, end)} {@linkplain #colonAllowsGpf allows} its GPF. */
  private boolean gpfAllowed(long start, long end) {
    // The colons are found in a copy, and checked outside that loop: as one loop of segment reads,
    // this rarely run method was compiled with the check's reads hoisted before the loop (a profile
    // predicate), which lines near a file's edges broke, and it was deoptimized and compiled again
    // some twenty times per 100 MB.
    if (colons == null) {
      colons = new byte[256];
    }
    for (long from = start; from < end; from += colons.length) {
      int n = (int) Math.min(colons.length, end - from);
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, from, colons, 0, n);
      for (int i = indexOf(colons, (byte) ':', 0, n); i >= 0; i = indexOf(colons, (byte) ':', i + 1, n)) {
        if (colonAllowsGpf(from + i)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** Scratch of {@link #gpfAllowed}. */
  private byte[] colons;

  // ---- per line ----

  private void endLine(long start, long end, boolean candidate) {
    if (gpfOnLine) {
      gpfOnLine = false;
      candidate = candidate || gpfAllowed(start, end);
    }
    if (end - start >= FIX_START.length
        && data.get(LONG_LE, start) == BISECTIN
        && (startsWith(start, end, CAUSE_START) || startsWith(start, end, FIX_START))) {
      startBisection(start);
    } else if (recordKind != RecordKind.BISECTION && candidate) {
      oopsCandidate(start, end);
    }
    if (recordKind == RecordKind.CRASH) {
      long length = end - recordStart;
      // An "---[ end Kernel panic" line is always a candidate: kernelMayOpenOops accepts "Kernel p".
      if (length >= MAX_CRASH_RECORD_BYTES
          || (candidate
              && end - start >= END_KERNEL_PANIC.length
              && startsWithAfterPrefix(start, end, END_KERNEL_PANIC))) {
        closeRecord(Math.min(end + 1, size));
      }
    }
  }

  private void startBisection(long lineStart) {
    long start = lineStart;
    long previousLineStart = previousLineStart(lineStart);
    if (previousLineStart >= 0
        && previousLineStart >= Math.max(recordStart, 0)
        && indexOf(previousLineStart, lineStart, STARTS_BISECTION) >= 0) {
      start = previousLineStart;
    }
    closeRecord(start);
    recordStart = start;
    recordKind = RecordKind.BISECTION;
  }

  /** Start of the line before the one at {@code lineStart}, or -1 for the first line. */
  private long previousLineStart(long lineStart) {
    if (lineStart == 0) {
      return -1;
    }
    long p = lineStart - 2; // lineStart - 1 is the previous line's '\n'
    while (p >= 0 && data.get(ValueLayout.JAVA_BYTE, p) != '\n') {
      p--;
    }
    return p + 1;
  }

  /** Out of line: decode the candidate line and match the whole header list. */
  private void oopsCandidate(long start, long end) {
    long windowEnd = Math.min(end, start + HEADER_WINDOW);
    String line = decode(start, windowEnd);
    OopsHeader header = OopsHeader.find(line);
    if (header == null || nextLineIsReplay(end)) {
      return;
    }
    if (recordKind == RecordKind.CRASH && OopsHeader.continuesReport(line)) {
      return;
    }
    closeRecord(start);
    recordStart = start;
    recordKind = RecordKind.CRASH;
  }

  private boolean nextLineIsReplay(long end) {
    if (end >= size) {
      return false;
    }
    long from = end + 1;
    long limit = Math.min(size, from + 512);
    long nl = from;
    while (nl < limit && data.get(ValueLayout.JAVA_BYTE, nl) != '\n') {
      nl++;
    }
    return indexOf(from, nl, REPLAY) >= 0;
  }

  private void closeRecord(long end) {
    if (recordKind != null && end > recordStart) {
      sink.record(recordStart, end - recordStart, recordKind);
    }
    recordKind = null;
    recordStart = -1;
  }

  // ---- byte helpers (slow path only) ----

  private boolean startsWith(long start, long end, byte[] prefix) {
    if (end - start < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (data.get(ValueLayout.JAVA_BYTE, start + k) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /** True when the line, after an optional "[  12.345678]" / "[ T12]" prefix, starts with {@code s}. */
  private boolean startsWithAfterPrefix(long start, long end, byte[] s) {
    if (data.get(ValueLayout.JAVA_BYTE, start) != '-' && data.get(ValueLayout.JAVA_BYTE, start) != '[') {
      return false;
    }
    long at = indexOf(start, Math.min(end, start + 64), s);
    return at >= 0;
  }

  private long indexOf(long from, long to, byte[] needle) {
    long last = to - needle.length;
    outer:
    for (long p = from; p <= last; p++) {
      for (int k = 0; k < needle.length; k++) {
        if (data.get(ValueLayout.JAVA_BYTE, p + k) != needle[k]) {
          continue outer;
        }
      }
      return p;
    }
    return -1;
  }

  private String decode(long start, long end) {
    byte[] bytes = data.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /**
   * Byte-class tables of the trigger filter. A byte at position p is a trigger when the bytes at p,
   * p - 1, p - 2, p - 3 and p - 4 have a pattern bit in common, each looked up in its own table
   * (one {@code selectFrom}, vpermb, each). Bits 0–3 are the colon groups of {@link
   * ColonWords#GROUPS}: p is ':' and the four bytes before it end a word of the group (any byte at p
   * - 4 for "BUG:" and "VFS:").
   * Bits 4–7 are the other windows: "rnel" then ' ' or '.'; "dle k" and "kmall" (one bit, as no mix
   * of the two is common); "ral p"; "\nbise". Tables are
   * indexed by the low bits of the byte (6 with AVX-512): aliases only add triggers.
   */
  static final class TriggerTables {
    static final int COLON_GROUPS = ColonWords.GROUPS.length; // 4: bits 4–7 are the other windows

    final ByteVector anchor;
    final ByteVector before1;
    final ByteVector before2;
    final ByteVector before3;
    final ByteVector before4;

    TriggerTables() {
      int n = SPECIES.length();
      byte[][] t = new byte[5][n]; // t[d]: the byte at p - d
      for (int g = 0; g < COLON_GROUPS; g++) {
        for (String[] row : ColonWords.GROUPS[g]) {
          for (String word : row) {
            window(t, word, 1 << g);
          }
        }
      }
      window(t, "rnel ", 1 << 4);
      window(t, "rnel.", 1 << 4);
      window(t, "dle k", 1 << 5);
      window(t, "dle K", 1 << 5);
      window(t, "kmall", 1 << 5);
      window(t, "ral p", 1 << 6);
      window(t, "\nbise", 1 << 7);
      anchor = ByteVector.fromArray(SPECIES, t[0], 0);
      before1 = ByteVector.fromArray(SPECIES, t[1], 0);
      before2 = ByteVector.fromArray(SPECIES, t[2], 0);
      before3 = ByteVector.fromArray(SPECIES, t[3], 0);
      before4 = ByteVector.fromArray(SPECIES, t[4], 0);
    }

    /** Lets the last 5 bytes of {@code word} (any byte where it is shorter) through under {@code bit}. */
    private static void window(byte[][] t, String word, int bit) {
      for (int d = 0; d < 5; d++) {
        int at = word.length() - 1 - d;
        if (at >= 0) {
          t[d][word.charAt(at) & (t[d].length - 1)] |= (byte) bit;
        } else {
          for (int b = 0; b < t[d].length; b++) {
            t[d][b] |= (byte) bit;
          }
        }
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static long le8(String s) {
    long v = 0;
    for (int k = 7; k >= 0; k--) {
      v = v << 8 | (s.charAt(k) & 0xFF);
    }
    return v;
  }
}
