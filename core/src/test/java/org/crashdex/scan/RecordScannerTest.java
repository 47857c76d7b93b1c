package org.crashdex.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record boundaries on small hand-written logs, on hostile bytes, at every alignment against the
 * vector lanes, on a file past 2 GiB, and over the shared corpus.
 */
final class RecordScannerTest {

  private static final String KASAN =
      """
      [  101.000001][ T5162] ==================================================================
      [  101.000002][ T5162] BUG: KASAN: slab-use-after-free in hci_uart_tty_close+0x1e4/0x290
      [  101.000003][ T5162] Read of size 8 at addr ffff88802b6e3c58 by task syz-executor.1/5162
      [  101.000004][ T5162] CPU: 1 PID: 5162 Comm: syz-executor.1 Not tainted 6.3.0-rc2-syzkaller #0
      [  101.000005][ T5162] Call Trace:
      [  101.000006][ T5162]  <TASK>
      [  101.000007][ T5162]  kasan_report+0x176/0x1b0 mm/kasan/report.c:536
      [  101.000008][ T5162]  hci_uart_tty_close+0x1e4/0x290 drivers/bluetooth/hci_ldisc.c:554
      [  101.000009][ T5162]  </TASK>
      """;

  /** Where the KASAN report's record starts: its "BUG: KASAN" line, not the "====" line above. */
  private static final int KASAN_START = KASAN.indexOf("[  101.000002]");

  private static final String WARNING_THEN_PANIC =
      """
      ------------[ cut here ]------------
      WARNING: CPU: 0 PID: 3012 at fs/iomap/buffered-io.c:1021 iomap_write_end+0x3c0/0x4a0
      Modules linked in:
      Kernel panic - not syncing: panic_on_warn set ...
      CPU: 0 PID: 3012 Comm: syz-executor.0 Not tainted 6.1.0-syzkaller #0
      Call Trace:
       iomap_write_end+0x3c0/0x4a0 fs/iomap/buffered-io.c:1021
      Kernel Offset: disabled
      Rebooting in 86400 seconds..
      """;

  private static final String GPF =
      """
      general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN
      KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]
      RIP: 0010:unpin_user_pages+0x6a/0x1c0 mm/gup.c:349
      Call Trace:
       io_buffer_unmap+0x1f6/0x2a0 io_uring/rsrc.c:131
      """;

  private static final String CHATTER =
      """
      [   99.100000][   T81] kobject: 'loop0' (00000000f5a1c2d3): kobject_uevent_env
      [   99.100001][ T5120] audit: type=1400 audit(1679312400.113:40): avc:  denied  { execmem } for  pid=5120
      2.300000s ago: executing program 6 (id=5162):
      r0 = openat$ptmx(0xffffffffffffff9c, &(0x7f0000000040), 0x0, 0x0)

      [   99.200000][ T5120] loop0: detected capacity change from 0 to 264192
      """;

  private static final String BISECTION =
      """
      ci2 starts bisection 2022-07-02 11:42:17.512873146 +0000 UTC m=+203412.775014216
      bisecting cause commit starting from f28c105d1fb17c2390c192cfd3ac94af0f21ddb6
      building syzkaller on 0cb1e29c658cda1495e60af593bd04cf0fd630f1
      testing commit f28c105d1fb17c2390c192cfd3ac94af0f21ddb6 gcc
      kernel signature: d76d4330f1446beab0c11fdecb91ce375bc8fbbcbde5c0994164d8399f767c45
      all runs: crashed: general protection fault in unpin_user_pages
      revisions tested: 2, total time: 2h3m4.5s (build: 1h2m3s, test: 1h1m1.5s)
      crash: general protection fault in unpin_user_pages
      """
          + GPF;

  // ---- degenerate inputs ----

  @Test
  void emptyDataHasNoRecords() {
    assertEquals(List.of(), scan(new byte[0]));
    assertEquals(List.of(), scan(bytes("\n")));
  }

  @Test
  void chatterAloneHasNoRecords() {
    assertEquals(List.of(), scan(bytes(CHATTER + CHATTER)));
  }

  @Test
  void lastLineWithoutNewline() {
    String text = CHATTER + "[  101.000002][ T5162] BUG: KASAN: use-after-free in foo+0x1/0x2";
    List<RecordSpan> records = scan(bytes(text));
    assertEquals(List.of(new RecordSpan(CHATTER.length(), text.length() - CHATTER.length(), RecordKind.CRASH)), records);
  }

  @Test
  void crlfLinesSplitLikeLfLines() {
    String lf = CHATTER + KASAN + CHATTER + GPF;
    String crlf = lf.replace("\n", "\r\n");
    List<RecordSpan> records = scan(bytes(crlf));
    assertEquals(2, records.size(), records::toString);
    assertEquals(crlf.indexOf("[  101.000002]"), records.get(0).offset());
    assertEquals(crlf.indexOf("general protection fault"), records.get(1).offset());
    assertEquals(crlf.length(), records.get(1).end());

    List<RecordSpan> bisections = scan(bytes(BISECTION.replace("\n", "\r\n")));
    assertEquals(List.of(new RecordSpan(0, BISECTION.replace("\n", "\r\n").length(), RecordKind.BISECTION)), bisections);
  }

  @Test
  void nulAndNonUtf8BytesDoNotMoveBoundaries() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, 0, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, '\n'});
    out.write(bytes(CHATTER));
    int crashAt = out.size();
    // A header line with a NUL and an invalid UTF-8 sequence inside it.
    out.write(bytes("[  101.000002][ T5162] BUG: KASAN: use-after-free in f\0o"));
    out.write(new byte[] {(byte) 0xe2, (byte) 0x82, '\n'});
    out.write(new byte[] {(byte) 0x80, 0, (byte) 0xff, '\n'});
    int secondAt = out.size();
    out.write(bytes(GPF));
    out.write(new byte[] {0, 0, 0});
    List<RecordSpan> records = scan(out.toByteArray());
    assertEquals(
        List.of(
            new RecordSpan(crashAt, secondAt - crashAt, RecordKind.CRASH),
            new RecordSpan(secondAt, out.size() - secondAt, RecordKind.CRASH)),
        records);
  }

  @Test
  void binaryGarbageGivesWellFormedRecords() {
    byte[] data = new byte[3 << 20];
    new SplittableRandom(42).nextBytes(data);
    // Plant headers in the noise so that the candidate paths run too.
    byte[] header = bytes("\nBUG: unable to handle page fault for address: ffffed1\n");
    for (int at = 1000; at + header.length < data.length; at += 77_777) {
      System.arraycopy(header, 0, data, at, header.length);
    }
    List<RecordSpan> records = scan(data);
    assertTrue(records.size() >= 30, records::toString);
    assertWellFormed(data, records);
  }

  // ---- alignment against the vector lanes ----

  /**
   * Every header shape the hot loop triggers on (':' words, "kernel"/"Kernel" words, "handle
   * kernel", "kmalloc-", "general protection fault" with its colon) and a bisection start, with its
   * line starting at every offset 0..70 and the data ending right after it or well past it, so
   * that each trigger byte falls on every lane and in the scalar tail.
   */
  @Test
  void headersAtEveryOffset() {
    String[] headers = {
      "BUG: KASAN: use-after-free in foo+0x1/0x2",
      "[  101.000002][ T5162] WARNING: CPU: 1 PID: 1 at a.c:1 foo+0x1/0x2",
      "INFO: task hung in foo",
      "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] SMP",
      "general protection fault: 0000 [#1] SMP KASAN",
      "Unable to handle kernel paging request at virtual address 0000000000001234",
      "kernel BUG at mm/slub.c:123!",
      "Kernel panic - not syncing: Fatal exception",
      "BUG kmalloc-512 (Not tainted): Object already free",
      "divide error: 0000 [#1] PREEMPT SMP KASAN",
      "UBSAN: array-index-out-of-bounds in foo.c:12:3",
      "panic: runtime error: index out of range",
      "stack segment: 0000 [#1] PREEMPT SMP KASAN",
      "PANIC: double fault, error_code: 0x0",
      "rust_kernel: panicked at 'index out of bounds', rust/kernel/lib.rs:1",
      "kernel BUG at fs/buffer.c:1309!",
      "Kernel BUG at 0000000000000000 [verbose debug info unavailable]",
      "divide_error: 0000 [#1] SMP",
      "invalid opcode: 0000 [#1] PREEMPT SMP KASAN",
      "int3: 0000 [#1] SMP",
      "Booting the kernel.",
      "unregister_netdevice: waiting for lo to become free. Usage count = 2",
      "VFS: Close: file count is 0",
      "VFS: Busy inodes after unmount of sda1. Self-destruct in 5 seconds.  Have a nice day...",
      "Internal error: Oops: 96000006 [#1] PREEMPT SMP",
      "Unhandled fault: alignment exception (0x001) at 0x00000001",
      "Alignment trap: not handling instruction e1b03f9f at [<c04f0b5c>]",
      "trusty: panic notifier - trusty version 1",
      "fatal error: concurrent map writes",
      "SYZFAIL: failed to recv rpc",
      "SYZFATAL: executor failed",
    };
    for (String header : headers) {
      for (int offset = 0; offset <= 70; offset++) {
        for (String after : new String[] {"", "\n", "\n" + "x".repeat(150) + "\n"}) {
          String padding = offset == 0 ? "" : "p".repeat(offset - 1) + "\n";
          String text = padding + header + after;
          List<RecordSpan> records = scan(bytes(text));
          String context = "'" + header + "' at " + offset + " + " + after.length();
          assertEquals(List.of(new RecordSpan(offset, text.length() - offset, RecordKind.CRASH)), records, context);
        }
      }
    }
    for (int offset = 0; offset <= 70; offset++) {
      String padding = offset == 0 ? "" : "q".repeat(offset - 1) + "\n";
      String text = padding + "bisecting fixing commit since 1818e811892f902bd23f0824128b2f330c5c7fd0\n" + GPF;
      assertEquals(List.of(new RecordSpan(offset, text.length() - offset, RecordKind.BISECTION)), scan(bytes(text)), "bisection at " + offset);
    }
    // The "starts bisection" line before it belongs to the bisection, wherever the lines fall.
    for (int offset = 0; offset <= 140; offset++) {
      String chatter = CHATTER + "z".repeat(offset) + "\n";
      String text = chatter + BISECTION + CHATTER;
      assertEquals(
          List.of(new RecordSpan(chatter.length(), text.length() - chatter.length(), RecordKind.BISECTION)),
          scan(bytes(text)),
          "starts bisection at " + chatter.length());
      // Short lines, several to a vector block, the last of them the "starts bisection" line.
      String shortLines = "ab\n".repeat(offset % 23) + "c".repeat(offset) + "\n";
      String bisection = "ci starts bisection 2022\n" + BISECTION.substring(BISECTION.indexOf("bisecting"));
      text = shortLines + bisection;
      assertEquals(
          List.of(new RecordSpan(shortLines.length(), bisection.length(), RecordKind.BISECTION)),
          scan(bytes(text)),
          "short starts bisection at " + shortLines.length());
    }
  }

  /** A header word in the middle of a line, its colon on every lane: the record starts at the line. */
  @Test
  void headerInsideLineAtEveryOffset() {
    for (int offset = 0; offset <= 70; offset++) {
      String line = "[  5.1][ T1] " + "w".repeat(offset) + " watchdog: BUG: soft lockup - CPU#0 stuck for 143s!\n";
      String text = CHATTER + line + CHATTER;
      assertEquals(
          List.of(new RecordSpan(CHATTER.length(), text.length() - CHATTER.length(), RecordKind.CRASH)),
          scan(bytes(text)),
          "offset " + offset);
    }
  }

  /**
   * "general protection fault" counts on a line with a colon that merely resembles a header word
   * ("parent:", "mode:", "KASAN:", which the trigger filter drops), before or after it; the same
   * lines without it are no crash.
   */
  @Test
  void gpfFoundBehindLookAlikeColons() {
    String[] lookAlikes = {"kobject_add_internal: parent:", "Quota mode:", "KASAN:", "vmalloc error:", "page fault:"};
    for (String lookAlike : lookAlikes) {
      for (int offset = 0; offset <= 70; offset++) {
        String line = "[  5.1][ T1] " + "w".repeat(offset) + lookAlike + " general protection fault in foo\n";
        String text = CHATTER + line + CHATTER;
        assertEquals(
            List.of(new RecordSpan(CHATTER.length(), text.length() - CHATTER.length(), RecordKind.CRASH)),
            scan(bytes(text)),
            lookAlike + " at " + offset);
        String colonAfter = "[  5.1][ T1] " + "w".repeat(offset) + "general protection fault in foo " + lookAlike + "\n";
        String after = CHATTER + colonAfter + CHATTER;
        assertEquals(
            List.of(new RecordSpan(CHATTER.length(), after.length() - CHATTER.length(), RecordKind.CRASH)),
            scan(bytes(after)),
            lookAlike + " after the header at " + offset);
        String harmless = CHATTER + line.replace("general protection fault", "general protection") + CHATTER;
        assertEquals(List.of(), scan(bytes(harmless)), lookAlike + " without a header at " + offset);
      }
    }
  }

  /**
   * A line that only names the crash ("TITLE: general protection fault in foo" in a report file, a
   * title column) has no colon that lets "general protection fault" count: no record, wherever the
   * line falls against the vector blocks.
   */
  @Test
  void gpfWithoutItsColonIsNoCrash() {
    for (int offset = 0; offset <= 70; offset++) {
      for (String named : new String[] {"TITLE: general protection fault in foo", "general protection fault in foo"}) {
        String text = "p".repeat(offset) + "\n" + named + "\n" + CHATTER;
        assertEquals(List.of(), scan(bytes(text)), named + " at " + offset);
        assertEquals(List.of(), scan(bytes(text.substring(0, offset + 1 + named.length()))), named + " at the end, " + offset);
      }
    }
  }

  // ---- record rules ----

  @Test
  void twoCrashesTwoRecords() {
    String text = CHATTER + KASAN + CHATTER + WARNING_THEN_PANIC;
    int first = CHATTER.length() + KASAN_START;
    int second = text.indexOf("WARNING: CPU");
    assertEquals(
        List.of(
            new RecordSpan(first, second - first, RecordKind.CRASH),
            new RecordSpan(second, text.length() - second, RecordKind.CRASH)),
        scan(bytes(text)));
  }

  @Test
  void panicAfterWarningStaysInTheSameRecord() {
    List<RecordSpan> records = scan(bytes(WARNING_THEN_PANIC));
    int warning = WARNING_THEN_PANIC.indexOf("WARNING:");
    assertEquals(List.of(new RecordSpan(warning, WARNING_THEN_PANIC.length() - warning, RecordKind.CRASH)), records);
  }

  @Test
  void endKernelPanicEndsTheRecord() {
    String crash = GPF + "[  5.000001][ T1] ---[ end Kernel panic - not syncing: Fatal exception ]---\n";
    String text = crash + CHATTER;
    assertEquals(List.of(new RecordSpan(0, crash.length(), RecordKind.CRASH)), scan(bytes(text)));
  }

  @Test
  void excludedHeadersOpenNoRecord() {
    String text =
        CHATTER
            + "[    0.000000][    T0] INFO: lockdep is turned off.\n"
            + "[    1.000000][    T1] WARNING: /etc/ssh/moduli does not exist, using fixed modulus\n"
            + "[    2.000000][    T1] ODEBUG: object is on stack, but not annotated\n"
            + "[    3.000000][    T1] EXT4-fs warning (device sda1): ext4_dirblock_csum_verify: No space for directory leaf checksum. Please run e2fsck -D.\n"
            + "[    4.000000][    T1] BUG: no syscalls can create resource fd_bpf_map\n"
            + CHATTER;
    assertEquals(List.of(), scan(bytes(text)));
  }

  @Test
  void replayedHeaderIsNotANewCrash() {
    String text =
        KASAN
            + "[  101.000010][ T5162] WARNING: CPU: 1 PID: 5162 at kernel/locking/lockdep.c:232 foo\n"
            + "[  101.000011][ T5162] ** replaying previous printk message **\n"
            + CHATTER;
    assertEquals(List.of(new RecordSpan(KASAN_START, text.length() - KASAN_START, RecordKind.CRASH)), scan(bytes(text)));
  }

  @Test
  void crashRecordIsCappedWhenTheMachineLivesOn() {
    StringBuilder sb = new StringBuilder(KASAN);
    while (sb.length() < RecordScanner.MAX_CRASH_RECORD_BYTES * 2) {
      sb.append(CHATTER);
    }
    byte[] data = bytes(sb.toString());
    List<RecordSpan> records = scan(data);
    assertEquals(1, records.size());
    RecordSpan r = records.getFirst();
    assertTrue(r.length() >= RecordScanner.MAX_CRASH_RECORD_BYTES, r::toString);
    assertTrue(r.length() < RecordScanner.MAX_CRASH_RECORD_BYTES + 200, r::toString);
    assertEquals('\n', data[(int) r.end() - 1]);
  }

  @Test
  void concatenatedBisectionsAreSeparateRecords() {
    String fix = BISECTION.replace("cause commit starting from", "fixing commit since");
    String text = BISECTION + fix + BISECTION;
    int n = BISECTION.length();
    assertEquals(
        List.of(
            new RecordSpan(0, n, RecordKind.BISECTION),
            new RecordSpan(n, fix.length(), RecordKind.BISECTION),
            new RecordSpan(n + fix.length(), n, RecordKind.BISECTION)),
        scan(bytes(text)));
  }

  @Test
  void crashInsideBisectionBelongsToIt() {
    String text = BISECTION + KASAN + WARNING_THEN_PANIC;
    assertEquals(List.of(new RecordSpan(0, text.length(), RecordKind.BISECTION)), scan(bytes(text)));
  }

  @Test
  void crashBeforeBisectionEndsWhereTheBisectionStarts() {
    String text = KASAN + BISECTION;
    assertEquals(
        List.of(
            new RecordSpan(KASAN_START, KASAN.length() - KASAN_START, RecordKind.CRASH),
            new RecordSpan(KASAN.length(), BISECTION.length(), RecordKind.BISECTION)),
        scan(bytes(text)));
  }

  // ---- size ----

  @Test
  void hundredMegabyteLines() {
    int lineBytes = 100_000_000;
    byte[] data = new byte[lineBytes + 2 * KASAN.length() + 2];
    // A line of filler that is full of trigger bytes, none of them a header.
    byte[] filler = bytes("kk::kernel:Kernel-0000 [#1]k:");
    for (int i = 0; i < lineBytes; i++) {
      data[i] = filler[i % filler.length];
    }
    data[lineBytes] = '\n';
    byte[] crash = bytes(KASAN);
    System.arraycopy(crash, 0, data, lineBytes + 1, crash.length);
    int crashAt = lineBytes + 1 + KASAN_START;
    List<RecordSpan> records = scan(Arrays.copyOf(data, lineBytes + 1 + crash.length));
    assertEquals(List.of(new RecordSpan(crashAt, lineBytes + 1 + crash.length - crashAt, RecordKind.CRASH)), records);

    // The same line opened by a header: one crash, starting at the line.
    byte[] header = bytes("BUG: KASAN: wild-memory-access in foo ");
    System.arraycopy(header, 0, data, 0, header.length);
    records = scan(Arrays.copyOf(data, lineBytes + 1));
    assertEquals(List.of(new RecordSpan(0, lineBytes + 1, RecordKind.CRASH)), records);
  }

  /**
   * Offsets past 2 GiB: a sparse file with a crash just past the int range. The file is as small as
   * that allows, because faulting in 2 GiB of holes costs seconds on a small VM.
   */
  @Test
  void offsetsPastTwoGigabytes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sparse.log");
    long crashAt = (1L << 31) + 100;
    byte[] crash = bytes("\n" + GPF);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength((1L << 31) + (1L << 20));
      raf.seek(crashAt - 1);
      raf.write(crash);
    }
    try (MappedFile mapped = MappedFile.open(file)) {
      List<RecordSpan> records = RecordScanner.scan(mapped.segment());
      assertEquals(1, records.size(), records::toString);
      RecordSpan r = records.getFirst();
      assertEquals(crashAt, r.offset());
      assertEquals(RecordKind.CRASH, r.kind());
      // Zeros follow the report to the end of the file: the record runs to its cap or the end.
      assertTrue(r.length() >= RecordScanner.MAX_CRASH_RECORD_BYTES || r.end() == mapped.size(), r::toString);
    }
  }

  // ---- corpus ----

  private static final Pattern BISECTING = Pattern.compile("(?m)^bisecting (cause|fixing) commit");

  @Test
  void everyCorpusBisectionIsOneRecord() throws IOException {
    int withBisection = 0;
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.list(Corpus.part("bisection-logs"))) {
      for (Path file : files.sorted().toList()) {
        byte[] data = Files.readAllBytes(file);
        boolean bisects = BISECTING.matcher(new String(data, StandardCharsets.ISO_8859_1)).find();
        List<RecordSpan> records = scan(data);
        long bisections = records.stream().filter(r -> r.kind() == RecordKind.BISECTION).count();
        if (bisects) {
          withBisection++;
        }
        if (bisections != (bisects ? 1 : 0)
            || (bisects && records.getLast().end() != data.length)) {
          wrong.add(file.getFileName() + " " + records);
        }
      }
    }
    assertTrue(withBisection > 100, "corpus has bisection logs: " + withBisection);
    assertEquals(List.of(), wrong);
  }

  @Test
  void corpusLogsWithoutTitleHaveNoCrash() throws IOException {
    int untitled = 0;
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.list(Corpus.part("syzkaller-reports"))) {
      for (Path file : files.sorted().toList()) {
        byte[] data = Files.readAllBytes(file);
        int body = headerEnd(data);
        String header = new String(data, 0, body, StandardCharsets.ISO_8859_1);
        if (header.lines().anyMatch(l -> l.startsWith("TITLE:"))) {
          continue;
        }
        untitled++;
        List<RecordSpan> records = scan(Arrays.copyOfRange(data, body, data.length));
        if (records.stream().anyMatch(r -> r.kind() == RecordKind.CRASH)) {
          wrong.add(file.getFileName() + " " + records);
        }
      }
    }
    assertTrue(untitled > 5, "corpus has logs without a title: " + untitled);
    assertEquals(List.of(), wrong);
  }

  /** The offset just past the header block: its lines, then one empty line. */
  private static int headerEnd(byte[] data) {
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] == '\n' && data[i + 1] == '\n') {
        return i + 2;
      }
    }
    return 0;
  }

  // ---- helpers ----

  private static List<RecordSpan> scan(byte[] data) {
    List<RecordSpan> records = RecordScanner.scan(MemorySegment.ofArray(data));
    assertWellFormed(data, records);
    return records;
  }

  /** In order, not overlapping, inside the data, starting at a line start, crashes at a header. */
  private static void assertWellFormed(byte[] data, List<RecordSpan> records) {
    long previousEnd = 0;
    for (RecordSpan r : records) {
      assertNotNull(r.kind());
      assertTrue(r.offset() >= previousEnd && r.length() > 0 && r.end() <= data.length, records::toString);
      assertTrue(r.offset() == 0 || data[(int) r.offset() - 1] == '\n', () -> "not at a line start: " + r);
      previousEnd = r.end();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

}
