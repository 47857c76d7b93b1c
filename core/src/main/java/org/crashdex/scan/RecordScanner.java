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
 * and builds, per block, a newline mask and a trigger mask. Every oops header either ends a word
 * with ':' ("BUG:", "INFO:", "error:"…), has the oops-line tail ": 0000 [#1]" (modern "general
 * protection fault, probably for …: 0000 [#1]"), or contains "kernel"/"kmalloc-" ("Unable to handle
 * kernel", "kernel BUG", "Kernel panic", "BUG kmalloc-"). A trigger is a byte whose neighbours
 * agree: five loads of the block shifted by -3, -2, -1, 0 and +4 bytes, each looked up in a
 * 64-entry byte-class table ({@link TriggerTables}, one {@code selectFrom} = vpermb each) and
 * ANDed, so a bit survives only where all five bytes fit one pattern: ':' after the last three
 * bytes of a header word ({@link ColonWords}), "ker" with ' ' or '.' four bytes after the 'r' or a
 * space before the 'k', or "kma". A ':' with '#' 8 bytes on (a sixth load) is a trigger too.
 * Ordinary console output (kobject:, object:, audit:, kernel_t) gives almost no triggers: about one
 * block in 20 on the benchmark archive has one, mostly "mode:", "error:" and "parent:", which
 * share their last four bytes with a header word.
 *
 * <p>A pair of blocks with no trigger, no line starting with 'b' (maybe "bisecting", found from
 * the newline mask shifted by one) and no pending work ({@link #fastUntil}: an open candidate
 * line, a line starting with 'b', a crash record near its size cap) is plain: only the line start
 * moves, without a branch (half the blocks hold a newline, a branch on that would mispredict).
 * Any other pair goes out of line to {@link #block}, which walks its lines: each trigger is checked
 * in a few instructions ({@link ColonWords}: a perfect hash on the 4 bytes before the colon, then
 * the 8; {@link #kernelMayOpenOops}), and only a line that passes is decoded and matched against
 * the full header list. Triggers after the first yes on a line are skipped. No per-line allocation,
 * no per-line String.
 *
 * <p>The narrowing is exact: the vector filter passes every ':' and 'k' for which the scalar checks
 * could answer yes, so the records are those of checking every ':' and 'k'. Every header except
 * "general protection fault" contains a trigger that passes the narrow checks; a line whose only
 * trigger is a colon that the 4-byte check passes and the 8-byte check rejects ("parent:") is
 * searched for "general protection fault" before it is given up. A header added to {@link
 * OopsHeader} must contain such a trigger (and {@link TriggerTables} a pattern for it), or join that
 * search.
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
  private static final byte[] GPF = OopsHeader.GENERAL_PROTECTION_FAULT.bytes();
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
  /** Set by {@link #onlyGpf()} for the current line, cleared at its end. */
  private boolean mayHoldOnlyGpf;

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
    // first 8, and the vector loop reads from three bytes before each block to eight past it. The
    // head also runs up to a 64-byte boundary of the address, so that the main load of each block
    // does not split a cache line.
    long head = Math.min(size, 8 + ((-(data.address() + 8)) & 63));
    scalar(0, head);
    long i = head;
    final long vectorLimit = size - lanes - 8; // blocks [i, i + lanes) with i <= vectorLimit
    long lineStart = this.lineStart;
    long fastUntil = fastUntil();
    // Whether byte i starts a line: the top bit of the previous block's newline mask.
    long lineStartCarry = i > 0 && i <= vectorLimit && data.get(ValueLayout.JAVA_BYTE, i - 1) == '\n' ? 1 : 0;
    // Hot loop: two blocks per turn.
    for (; i + lanes <= vectorLimit; i += 2 * lanes) {
      long second = i + lanes;
      ByteVector v0 = ByteVector.fromMemorySegment(SPECIES, data, i, ByteOrder.nativeOrder());
      ByteVector v1 = ByteVector.fromMemorySegment(SPECIES, data, second, ByteOrder.nativeOrder());
      long newlines0 = v0.eq((byte) '\n').toLong();
      long newlines1 = v1.eq((byte) '\n').toLong();
      long triggers0 = triggers(data, i, v0);
      long triggers1 = triggers(data, second, v1);
      // Lines that start in these blocks with 'b' (maybe "bisecting").
      long bStarts =
          v0.eq((byte) 'b').toLong() & (newlines0 << 1 | lineStartCarry)
              | v1.eq((byte) 'b').toLong() & (newlines1 << 1 | newlines0 >>> (lanes - 1));
      lineStartCarry = newlines1 >>> (lanes - 1);
      if ((triggers0 | triggers1 | bStarts) == 0 && second < fastUntil) {
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
    // A "ker"/"kma" whose anchor byte falls after the last block is the tail's: the scalar loop
    // below checks the 'k's from i on, these two come before it.
    for (long q = Math.max(i - 2, this.lineStart); q < i && !candidate && i > head; q++) {
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
   * bytes p whose neighbours p - 3 … p + 4 agree on a pattern bit of {@link TriggerTables}, and
   * colons with '#' 8 bytes on ("…: 0000 [#1]").
   */
  private static long triggers(MemorySegment data, long i, ByteVector v) {
    TriggerTables t = TABLES;
    ByteVector before1 = ByteVector.fromMemorySegment(SPECIES, data, i - 1, ByteOrder.nativeOrder());
    ByteVector before2 = ByteVector.fromMemorySegment(SPECIES, data, i - 2, ByteOrder.nativeOrder());
    ByteVector before3 = ByteVector.fromMemorySegment(SPECIES, data, i - 3, ByteOrder.nativeOrder());
    ByteVector after4 = ByteVector.fromMemorySegment(SPECIES, data, i + 4, ByteOrder.nativeOrder());
    ByteVector after8 = ByteVector.fromMemorySegment(SPECIES, data, i + 8, ByteOrder.nativeOrder());
    ByteVector patterns =
        v.selectFrom(t.anchor)
            .and(before1.selectFrom(t.before1))
            .and(before2.selectFrom(t.before2))
            .and(before3.selectFrom(t.before3))
            .and(after4.selectFrom(t.after4));
    return patterns.compare(VectorOperators.NE, (byte) 0)
        .or(v.eq((byte) ':').and(after8.eq((byte) '#')))
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
      // Most lines need nothing from endLine: no candidate, no bisection start, no crash to cap.
      if (candidate
          || mayHoldOnlyGpf
          || (recordKind == RecordKind.CRASH && p - recordStart >= MAX_CRASH_RECORD_BYTES)
          || (p - lineStart >= FIX_START.length && data.get(LONG_LE, lineStart) == BISECTIN)) {
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
   * open line (from {@link #lineStart}) is a candidate, may hold "general protection fault" or
   * starts with 'b'; else where the open crash record reaches its size cap.
   */
  private long fastUntil() {
    if (candidate || mayHoldOnlyGpf || (lineStart < size && data.get(ValueLayout.JAVA_BYTE, lineStart) == 'b')) {
      return Long.MIN_VALUE;
    }
    return recordKind == RecordKind.CRASH ? recordStart + MAX_CRASH_RECORD_BYTES - SPECIES.length() : Long.MAX_VALUE;
  }

  /**
   * True when one of the trigger bits (block offsets from {@code base}) may open an oops: a ':'
   * anchors a colon word, any other byte the 'r' of "ker" or the 'a' of "kma" two bytes after a
   * 'k'. Stops at the first yes, as nothing later on the line can change the answer.
   */
  private boolean anyTrigger(long base, long triggers) {
    while (triggers != 0) {
      long p = base + Long.numberOfTrailingZeros(triggers);
      triggers &= triggers - 1;
      if (data.get(ValueLayout.JAVA_BYTE, p) == ':'
          ? colonMayOpenOops(p)
          : (data.get(ValueLayout.JAVA_BYTE, p - 2) | 0x20) == 'k' && kernelMayOpenOops(p - 2)) {
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
      }
    }
  }

  // ---- trigger checks: a few instructions each, called for every ':' and 'k' ----

  /**
   * Whether the ':' at {@code p} may end an oops header word. The 4 bytes that end with it pick the
   * header through {@link ColonWords}, one multiply and one table probe instead of a switch; where
   * common words share those 4 bytes with a header ("parent:", "mode:", "vmalloc error:", "KASAN:"),
   * the 8 bytes ending with the colon decide. A colon rejected by those 8 bytes only would have been
   * a candidate under the 4-byte check, so it flags the line for the one header that has no
   * trigger of its own, "general protection fault" ({@link #onlyGpf}).
   */
  private boolean colonMayOpenOops(long p) {
    if (p < 3) {
      return true; // too close to the start for the fast check: let the exact match decide
    }
    int suffix = data.get(INT_LE, p - 3);
    int slot = ColonWords.slot(suffix);
    if (ColonWords.SUFFIX[slot] == suffix) {
      if (p < 7) {
        return true;
      }
      long word = data.get(LONG_LE, p - 7) & ColonWords.MASK[slot];
      long[] accepted = ColonWords.WORDS[slot];
      for (long a : accepted) {
        if (word == a) {
          return true;
        }
      }
      return onlyGpf();
    }
    // "…: 0000 [#1]": the oops line of a modern general protection fault names an address before
    // its colon, so only the tail identifies it.
    return p + 9 <= size && (data.get(INT_LE, p + 5) >>> 8) == (' ' | '[' << 8 | '#' << 16);
  }

  /**
   * A colon that only the 4-byte check would have let through: no header but "general protection
   * fault" (the one header with no trigger byte of its own) can make this line an oops line, and
   * {@link #endLine} looks for that text before the full match. Always false.
   */
  private boolean onlyGpf() {
    mayHoldOnlyGpf = true;
    return false;
  }

  /**
   * The colon-terminated header words, keyed by their last 4 bytes (little-endian int) in a
   * perfect hash table: {@code SUFFIX[slot(w)] == w} for exactly the listed suffixes. {@code
   * WORDS[slot]} lists the accepted values of the 8 bytes ending with the colon, masked by {@code
   * MASK[slot]} (mask 0 with word 0: the 4 bytes suffice).
   */
  static final class ColonWords {
    private static final String[][] TABLE = {
      // suffix, then the accepted 8-byte endings ("" when the suffix is enough)
      {"BUG:", ""},
      {"NFO:", ""}, // INFO:
      {"NIC:", ""}, // PANIC: double fault
      {"nt3:", ""}, // int3:
      {"VFS:", ""},
      {"sty:", ""}, // trusty:
      {"nic:", ""}, // panic:
      {"ING:", "WARNING:"},
      {"ent:", "segment:"}, // stack segment:
      {"ult:", "d fault:", "n fault:"}, // Unhandled fault:, general protection fault:
      {"nel:", "_kernel:"}, // rust_kernel:
      {"ror:", "e error:", "l error:", "e_error:"}, // divide/Internal/fatal error:, divide_error:
      {"ode:", " opcode:"}, // invalid opcode:
      {"ice:", "tdevice:"}, // unregister_netdevice:
      {"SAN:", "UBSAN:"}, // UBSAN:, not KASAN:
      {"rap:", "nt trap:"}, // Alignment trap:
      {"AIL:", "SYZFAIL:"},
      {"TAL:", "YZFATAL:"}, // SYZFATAL:
    };
    static final int BITS = 6;
    static final int MULTIPLIER;
    static final int[] SUFFIX = new int[1 << BITS];
    static final long[] MASK = new long[1 << BITS];
    static final long[][] WORDS = new long[1 << BITS][];

    static {
      int multiplier = 0x9E3779B1;
      search:
      while (true) {
        boolean[] used = new boolean[1 << BITS];
        for (String[] row : TABLE) {
          int slot = (le4(row[0]) * multiplier) >>> (32 - BITS);
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
        int slot = slot(le4(row[0]));
        SUFFIX[slot] = le4(row[0]);
        if (row[1].isEmpty()) {
          MASK[slot] = 0;
          WORDS[slot] = new long[] {0};
        } else {
          int length = row[1].length();
          MASK[slot] = length == 8 ? -1L : -1L << (8 * (8 - length));
          WORDS[slot] = new long[row.length - 1];
          for (int k = 1; k < row.length; k++) {
            String padded = "\0".repeat(8 - row[k].length()) + row[k];
            WORDS[slot][k - 1] = le8(padded);
          }
        }
      }
    }

    static int slot(int suffix) {
      return (suffix * MULTIPLIER) >>> (32 - BITS);
    }

    private static int le4(String s) {
      return (int) le8(s + "\0\0\0\0");
    }

    private ColonWords() {}
  }

  /** "kernel BUG", "Kernel panic", "Kernel BUG", "Booting the kernel.", "handle kernel", "kmalloc-". */
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

  // ---- per line ----

  private void endLine(long start, long end, boolean candidate) {
    boolean onlyGpf = mayHoldOnlyGpf;
    mayHoldOnlyGpf = false;
    if (end - start >= FIX_START.length
        && data.get(LONG_LE, start) == BISECTIN
        && (startsWith(start, end, CAUSE_START) || startsWith(start, end, FIX_START))) {
      startBisection(start);
    } else if (recordKind != RecordKind.BISECTION
        && (candidate || (onlyGpf && contains(start, Math.min(end, start + HEADER_WINDOW), GPF)))) {
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

  /**
   * Whether {@code needle} occurs in {@code [from, to)}: a vector pass over pairs of its first two
   * bytes, then a byte compare at each pair. Used on the lines a cheap trigger could not decide, so
   * it must cost little more than reading the line.
   */
  private boolean contains(long from, long to, byte[] needle) {
    long last = to - needle.length; // last possible start
    int lanes = SPECIES.length();
    byte first = needle[0];
    byte second = needle[1];
    long p = from;
    for (; p <= last && p + lanes + 1 <= size; p += lanes) {
      ByteVector v = ByteVector.fromMemorySegment(SPECIES, data, p, ByteOrder.nativeOrder());
      ByteVector next = ByteVector.fromMemorySegment(SPECIES, data, p + 1, ByteOrder.nativeOrder());
      long starts = v.eq(first).and(next.eq(second)).toLong();
      if (last - p < lanes - 1) {
        starts &= (2L << (last - p)) - 1;
      }
      for (; starts != 0; starts &= starts - 1) {
        if (startsWith(p + Long.numberOfTrailingZeros(starts), to, needle)) {
          return true;
        }
      }
    }
    for (; p <= last; p++) {
      if (data.get(ValueLayout.JAVA_BYTE, p) == first && startsWith(p, to, needle)) {
        return true;
      }
    }
    return false;
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
   * p - 1, p - 2, p - 3 and p + 4 have a pattern bit in common, each looked up in its own table
   * (one {@code selectFrom}, vpermb, each). Bits 0–4 are colon groups: p is ':' and the three bytes
   * before it end a {@link ColonWords} suffix of the group (table {@link #colonSuffixGroups}); p + 4
   * allows every group. Bits 5–7 are the 'k' patterns that {@link #kernelMayOpenOops} may accept,
   * anchored at the third letter: "ker" with ' ' or '.' at p + 4 ("kernel BUG", "Kernel panic",
   * "the kernel."), "ker" with ' ' before the 'k' ("handle kernel"), and "kma" ("kmalloc-").
   * Tables are indexed by the low bits of the byte (6 with AVX-512): aliases only add triggers.
   */
  static final class TriggerTables {
    static final int COLON_GROUPS = 5;
    static final int COLON = (1 << COLON_GROUPS) - 1;
    static final int KER_SPACE_AFTER = 1 << 5;
    static final int KER_SPACE_BEFORE = 1 << 6;
    static final int KMA = 1 << 7;
    static final int KER = KER_SPACE_AFTER | KER_SPACE_BEFORE;

    final ByteVector anchor;
    final ByteVector before1;
    final ByteVector before2;
    final ByteVector before3;
    final ByteVector after4;

    TriggerTables() {
      int n = SPECIES.length();
      byte[][] t = new byte[5][n]; // anchor, before1, before2, before3, after4
      set(t[0], ':', COLON);
      byte[] groups = colonSuffixGroups();
      for (int slot = 0; slot < ColonWords.SUFFIX.length; slot++) {
        int suffix = ColonWords.SUFFIX[slot];
        if (suffix != 0) {
          for (int distance = 1; distance <= 3; distance++) {
            set(t[distance], (suffix >>> (8 * (3 - distance))) & 0xFF, groups[slot]);
          }
        }
      }
      set(t[0], 'r', KER);
      set(t[1], 'e', KER);
      set(t[0], 'a', KMA);
      set(t[1], 'm', KMA);
      set(t[2], 'k', KER | KMA);
      set(t[2], 'K', KER | KMA);
      for (int b = 0; b < 256; b++) {
        set(t[3], b, KER_SPACE_AFTER | KMA);
        set(t[4], b, COLON | KER_SPACE_BEFORE | KMA);
      }
      set(t[3], ' ', KER_SPACE_BEFORE);
      set(t[4], ' ', KER_SPACE_AFTER);
      set(t[4], '.', KER_SPACE_AFTER);
      anchor = ByteVector.fromArray(SPECIES, t[0], 0);
      before1 = ByteVector.fromArray(SPECIES, t[1], 0);
      before2 = ByteVector.fromArray(SPECIES, t[2], 0);
      before3 = ByteVector.fromArray(SPECIES, t[3], 0);
      after4 = ByteVector.fromArray(SPECIES, t[4], 0);
    }

    private static void set(byte[] table, int b, int bits) {
      table[b & (table.length - 1)] |= (byte) bits;
    }
  }

  /**
   * The group bit of each {@link ColonWords} slot, one of {@link TriggerTables#COLON_GROUPS}.
   * Suffixes with the same byte before the colon share a group, which costs nothing ("BUG:" and
   * "ING:" only admit "UG:" and "NG:"); those bytes are dealt out to the groups in turn. With
   * three bytes looked up, few false triples survive ("object:", the commonest colon word in
   * console output, has 't' of "ent:" and 'c' of "nic:"/"ice:" but no 'e' of "ice:" before them).
   */
  private static byte[] colonSuffixGroups() {
    byte[] groups = new byte[ColonWords.SUFFIX.length];
    int[] groupOfByte = new int[256];
    java.util.Arrays.fill(groupOfByte, -1);
    int next = 0;
    for (int slot = 0; slot < groups.length; slot++) {
      int suffix = ColonWords.SUFFIX[slot];
      if (suffix == 0) {
        continue;
      }
      int beforeColon = (suffix >>> 16) & 0xFF;
      if (groupOfByte[beforeColon] < 0) {
        groupOfByte[beforeColon] = next++ % TriggerTables.COLON_GROUPS;
      }
      groups[slot] = (byte) (1 << groupOfByte[beforeColon]);
    }
    return groups;
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
