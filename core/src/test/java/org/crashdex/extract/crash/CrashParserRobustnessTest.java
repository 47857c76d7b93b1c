package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged input never breaks {@link CrashReportParser}: truncated, shuffled, interleaved and
 * bit-flipped corpus files, random bytes, a megabyte of hex on one line, NULs, CRLF line ends. Every
 * call returns null or a report whose fields agree with each other as the spec says they must; where
 * the spec says damage must show (a stack-checked report cut off right after its oops line), the
 * report must be flagged corrupted. A fixed seed keeps every run the same.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // catastrophic regex backtracking, not speed
class CrashParserRobustnessTest {
  private static final long SEED = 0x5eed_c0deL;
  private static final int SAMPLE = 120;

  /** Title families whose formats are stack-checked (spec §7); a missing stack makes them corrupted. */
  private static final List<String> STACK_CHECKED =
      List.of(
          "KASAN: ", "general protection fault in ", "WARNING in ", "BUG: unable to handle kernel",
          "kernel BUG in ", "INFO: task hung in ", "INFO: rcu detected stall in ", "BUG: soft lockup in ",
          "possible deadlock in ", "memory leak in ", "inconsistent lock state in ",
          "BUG: sleeping function called from invalid context in ");

  private static List<String> logs;

  @BeforeAll
  static void sample() throws IOException {
    List<String> all = new ArrayList<>();
    for (String part : List.of("syzkaller-reports", "syzbot-reports")) {
      try (Stream<Path> files = Files.list(Corpus.part(part))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          String text = Files.readString(file, StandardCharsets.ISO_8859_1);
          all.add(part.equals("syzkaller-reports") ? stripTestHeader(text) : text);
        }
      }
    }
    Collections.shuffle(all, new Random(SEED));
    logs = all.subList(0, Math.min(SAMPLE, all.size()));
  }

  /** The log of a syzkaller test file: after the header's empty line, before a trailing "REPORT:". */
  static String stripTestHeader(String text) {
    int blank = text.indexOf("\n\n");
    String log = blank < 0 ? text : text.substring(blank + 2);
    int report = log.indexOf("\nREPORT:\n");
    return report < 0 ? log : log.substring(0, report + 1);
  }

  @Test
  void truncatedAtRandomPoints() {
    Random random = new Random(SEED);
    int returned = 0;
    int corrupted = 0;
    for (String log : logs) {
      for (int k = 0; k < 4; k++) {
        String cut = log.substring(0, random.nextInt(log.length() + 1));
        CrashReport r = parseBoth(cut);
        if (r != null) {
          returned++;
          corrupted += r.corrupted() ? 1 : 0;
        }
      }
    }
    System.out.printf("truncated: %d reports, %d flagged corrupted%n", returned, corrupted);
  }

  @Test
  void cutRightAfterTheOopsLineIsCorruptedWhenTheFormatNeedsAStack() {
    int checked = 0;
    for (String log : logs) {
      List<String> lines = Arrays.asList(log.split("\n", -1));
      int oops = ReportText.oopsLine(ReportText.lines(log));
      if (oops < 0) {
        continue;
      }
      String cut = String.join("\n", lines.subList(0, oops + 1)) + "\n";
      CrashReport r = parseBoth(cut);
      if (r == null) {
        continue; // the parser's crash start is not the test's approximation of it
      }
      if (STACK_CHECKED.stream().anyMatch(r.title()::startsWith)) {
        checked++;
        assertTrue(r.corrupted(), "no stack after the oops line, yet not corrupted: " + r.title());
      }
    }
    assertTrue(checked > SAMPLE / 4, "too few stack-checked reports to judge: " + checked);
  }

  @Test
  void shuffledAndInterleavedLines() {
    Random random = new Random(SEED);
    for (int i = 0; i < logs.size(); i++) {
      List<String> lines = new ArrayList<>(Arrays.asList(logs.get(i).split("\n", -1)));
      Collections.shuffle(lines, random);
      parseBoth(String.join("\n", lines));

      List<String> a = Arrays.asList(logs.get(i).split("\n", -1));
      List<String> b = Arrays.asList(logs.get((i + 1) % logs.size()).split("\n", -1));
      StringBuilder mixed = new StringBuilder();
      int ia = 0;
      int ib = 0;
      while (ia < a.size() || ib < b.size()) {
        boolean fromA = ib >= b.size() || (ia < a.size() && random.nextBoolean());
        mixed.append(fromA ? a.get(ia++) : b.get(ib++)).append('\n');
      }
      parseBoth(mixed.toString());
    }
  }

  @Test
  void flippedBytes() {
    Random random = new Random(SEED);
    for (String log : logs) {
      byte[] bytes = log.getBytes(StandardCharsets.ISO_8859_1);
      for (int k = 0; k < 1 + bytes.length / 200; k++) {
        int at = random.nextInt(Math.max(1, bytes.length));
        if (bytes.length > 0) {
          bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      parseBoth(new String(bytes, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void randomBytes() {
    Random random = new Random(SEED);
    for (int k = 0; k < 50; k++) {
      byte[] bytes = new byte[random.nextInt(64 * 1024)];
      random.nextBytes(bytes);
      parseBoth(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    // Random text lines that look like a console log but hold no header.
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < 5000; k++) {
      b.append('[').append(random.nextInt(1000)).append('.').append(random.nextInt(999999)).append("] ");
      for (int c = random.nextInt(80); c > 0; c--) {
        b.append((char) ('a' + random.nextInt(26)));
      }
      b.append('\n');
    }
    assertNull(parseBoth(b.toString()), "lowercase prose holds no crash header");
  }

  @Test
  void aMegabyteLineOfHex() {
    Random random = new Random(SEED);
    StringBuilder hex = new StringBuilder(1 << 20);
    while (hex.length() < (1 << 20)) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    assertNull(parseBoth(hex.toString()), "hex digits hold no crash header");
    assertNull(parseBoth(hex + "\n"));
    for (String log : logs.subList(0, 10)) {
      int middle = log.indexOf('\n', log.length() / 2);
      String withHex = middle < 0 ? log + hex : log.substring(0, middle + 1) + hex + log.substring(middle);
      CrashReport plain = parseBoth(log);
      CrashReport damaged = parseBoth(withHex);
      if (plain != null) {
        assertNotNull(damaged, "a hex line in the middle does not hide the crash");
      }
    }
  }

  @Test
  void hostileLongLines() {
    String path = "arch/x/kernel/unwind".repeat(50_000) + ".c:1";
    String frames = " f+0x1/0x2 ".repeat(100_000);
    String brackets = "[<ffffffff81234567>] ".repeat(50_000);
    for (String line : List.of(path, frames, brackets, "[" + "0".repeat(1 << 20), "(" + "a".repeat(1 << 20) + ") from ")) {
      parseBoth("BUG: KASAN: use-after-free in f+0x1/0x2\nCall Trace:\n " + line + "\n g+0x1/0x2\n");
      parseBoth("[  1.000000] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2\n[  1.000001] " + line + "\n");
    }
  }

  @Test
  void emptyAndNulInput() {
    assertNull(parseBoth(""));
    assertNull(parseBoth("\n\n\n"));
    assertNull(parseBoth("\0".repeat(100_000)));
    Random random = new Random(SEED);
    for (String log : logs.subList(0, 20)) {
      StringBuilder b = new StringBuilder(log);
      for (int k = 0; k < 20 && b.length() > 0; k++) {
        b.setCharAt(random.nextInt(b.length()), '\0');
      }
      parseBoth(b.toString());
      parseBoth(log.replace('\n', '\0'));
    }
  }

  @Test
  void crlfLineEndsFindTheSameCrash() {
    for (String log : logs) {
      CrashReport plain = parseBoth(log);
      CrashReport crlf = parseBoth(log.replace("\n", "\r\n"));
      assertEquals(plain == null, crlf == null, "CRLF changes whether a crash is found");
    }
  }

  /**
   * Parses without the public entry points' safety net (so a bug fails the test instead of reading as
   * "no crash"), then through both entry points, which must agree with it; checks the invariants
   * every report satisfies by the spec.
   */
  private static CrashReport parseBoth(String text) {
    CrashReport fromText;
    CrashReport fromSegment;
    try {
      CrashReport strict = CrashReportParser.parseStrict(text);
      fromText = CrashReportParser.parse(text);
      assertEquals(strict, fromText, "the safety net changed a result");
      fromSegment = CrashReportParser.parse(MemorySegment.ofArray(text.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (RuntimeException | StackOverflowError e) {
      fail("parser threw on input of " + text.length() + " chars starting " + preview(text), e);
      return null;
    }
    assertEquals(fromText, fromSegment, "text and segment entry points disagree");
    if (fromText != null) {
      checkInvariants(fromText);
    }
    return fromText;
  }

  private static void checkInvariants(CrashReport r) {
    assertNotNull(r.title());
    assertFalse(r.title().isEmpty(), "empty title");
    assertTrue(r.title().length() <= 120, "titles are cut to 120 bytes: " + r.title());
    for (int i = 0; i < r.title().length(); i++) {
      char c = r.title().charAt(i);
      assertTrue(c >= 0x20 && c < 0x7f, "titles hold printable ASCII only: " + r.title());
    }
    assertEquals(sha1(r.title()), r.crashId(), "crashId is the SHA-1 of the title");
    if (r.title().endsWith(" in corrupted")) {
      assertTrue(r.corrupted(), "a title without a frame is corrupted: " + r.title());
    }
    assertFalse(r.altTitles().contains(r.title()), "alt titles exclude the title");
    assertEquals(r.altTitles().size(), r.altTitles().stream().distinct().count(), "alt titles are distinct");
    assertTrue(r.frames().stream().noneMatch(f -> f.contains("+0x") || f.contains(".isra.")), "frames carry no offsets or suffixes");
  }

  private static String sha1(String title) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(title.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String preview(String text) {
    String head = text.substring(0, Math.min(80, text.length()));
    return "\"" + head.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }
}
