package org.crashdex.scan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.ByteVector;
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
 * The loop reads {@link #SPECIES} lanes at a time and builds one bit mask of "event" bytes: '\n', ':'
 * and 'k'/'K'. Every oops header either ends a word with ':' ("BUG:", "INFO:", "error:"…), has the
 * oops-line tail ": 0000 [#1]" (modern "general protection fault, probably for …: 0000 [#1]"), or
 * contains "kernel"/"kmalloc-" ("Unable to handle kernel", "kernel BUG", "Kernel panic", "BUG
 * kmalloc-"). Each ':' or 'k' is checked in a few instructions against those shapes (one int or long
 * load and a switch); only a line that passes is decoded and matched against the full header list, out
 * of line. Each '\n' ends a line: one long load at the line start tells whether it may start a
 * bisection. No per-line allocation, no per-line String.
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

  private static final ValueLayout.OfLong LONG_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final long BISECTIN = le8("bisectin");
  private static final long KERNEL = le8("kernel\0\0");
  private static final long KMALLOC = le8("kmalloc-");
  private static final long HANDLE = le8("\0handle ");
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
  private long previousLineStart = -1;

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
    long lineStart = 0;
    boolean candidate = false;
    long i = 0;
    final long vectorEnd = size - (size % lanes);

    hot:
    for (; i < vectorEnd; i += lanes) {
      ByteVector v = ByteVector.fromMemorySegment(SPECIES, data, i, ByteOrder.nativeOrder());
      long events =
          v.eq((byte) '\n').or(v.eq((byte) ':')).or(v.or((byte) 0x20).eq((byte) 'k')).toLong();
      while (events != 0) {
        long p = i + Long.numberOfTrailingZeros(events);
        events &= events - 1;
        byte b = data.get(ValueLayout.JAVA_BYTE, p);
        if (b == '\n') {
          endLine(lineStart, p, candidate);
          lineStart = p + 1;
          candidate = false;
        } else if (!candidate) {
          candidate = b == ':' ? colonMayOpenOops(p) : kernelMayOpenOops(p);
        }
      }
    }
    // Tail shorter than one vector: the same decisions, a byte at a time.
    for (; i < size; i++) {
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
    if (lineStart < size) {
      endLine(lineStart, size, candidate);
    }
    closeRecord(size);
  }

  // ---- trigger checks: a few instructions each, called for every ':' and 'k' ----

  /** Suffixes (4 bytes, ending with ':') of the words before the colon of every ':' header. */
  private boolean colonMayOpenOops(long p) {
    if (p < 3) {
      return true; // too close to the start for the fast check: let the exact match decide
    }
    switch (data.get(INT_LE, p - 3)) {
      case 'B' | 'U' << 8 | 'G' << 16 | ':' << 24, // BUG:
          'I' | 'N' << 8 | 'G' << 16 | ':' << 24, // WARNING:
          'N' | 'F' << 8 | 'O' << 16 | ':' << 24, // INFO:
          'e' | 'n' << 8 | 't' << 16 | ':' << 24, // stack segment:
          'u' | 'l' << 8 | 't' << 16 | ':' << 24, // Unhandled fault:, general protection fault:
          'N' | 'I' << 8 | 'C' << 16 | ':' << 24, // PANIC: double fault
          'n' | 'e' << 8 | 'l' << 16 | ':' << 24, // rust_kernel:
          'r' | 'o' << 8 | 'r' << 16 | ':' << 24, // divide error:, Internal error:, fatal error:
          'o' | 'd' << 8 | 'e' << 16 | ':' << 24, // invalid opcode:
          'i' | 'c' << 8 | 'e' << 16 | ':' << 24, // unregister_netdevice:
          'n' | 't' << 8 | '3' << 16 | ':' << 24, // int3:
          'S' | 'A' << 8 | 'N' << 16 | ':' << 24, // UBSAN:
          'V' | 'F' << 8 | 'S' << 16 | ':' << 24, // VFS:
          'r' | 'a' << 8 | 'p' << 16 | ':' << 24, // Alignment trap:
          's' | 't' << 8 | 'y' << 16 | ':' << 24, // trusty:
          'A' | 'I' << 8 | 'L' << 16 | ':' << 24, // SYZFAIL:
          'T' | 'A' << 8 | 'L' << 16 | ':' << 24, // SYZFATAL:
          'n' | 'i' << 8 | 'c' << 16 | ':' << 24 -> { // panic:
        return true;
      }
      default -> {
        // "…: 0000 [#1]": the oops line of a modern general protection fault names an address
        // before its colon, so only the tail identifies it.
        return p + 9 <= size && (data.get(INT_LE, p + 5) >>> 8) == (' ' | '[' << 8 | '#' << 16);
      }
    }
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
    if (end - start >= FIX_START.length
        && data.get(LONG_LE, start) == BISECTIN
        && (startsWith(start, end, CAUSE_START) || startsWith(start, end, FIX_START))) {
      startBisection(start);
    } else if (candidate && recordKind != RecordKind.BISECTION) {
      oopsCandidate(start, end);
    }
    if (recordKind == RecordKind.CRASH) {
      long length = end - recordStart;
      if (length >= MAX_CRASH_RECORD_BYTES
          || (end - start >= END_KERNEL_PANIC.length && startsWithAfterPrefix(start, end, END_KERNEL_PANIC))) {
        closeRecord(Math.min(end + 1, size));
      }
    }
    previousLineStart = start;
  }

  private void startBisection(long lineStart) {
    long start = lineStart;
    if (previousLineStart >= 0
        && previousLineStart >= Math.max(recordStart, 0)
        && indexOf(previousLineStart, lineStart, STARTS_BISECTION) >= 0) {
      start = previousLineStart;
    }
    closeRecord(start);
    recordStart = start;
    recordKind = RecordKind.BISECTION;
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
