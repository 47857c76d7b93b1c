package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crashdex.scan.OopsHeader;
import org.junit.jupiter.api.Test;

/**
 * Rules that extraction reads by hand for speed, each against the regex or search it stands for:
 * title normalisation, the header pre-test, the literals that gate regexes.
 */
class HandWrittenRulesTest {

  private record Rewrite(Pattern pattern, String replacement) {}

  /** syzkaller's normalisation, each rewrite repeated until stable. */
  private static final Rewrite[] SYZKALLER = {
    new Rewrite(Pattern.compile("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor"),
    new Rewrite(Pattern.compile("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller"),
    new Rewrite(Pattern.compile("([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"), "$1ADDR"),
    new Rewrite(Pattern.compile("([^a-zA-Z0-9])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}"), "$1IP"),
    new Rewrite(Pattern.compile("(\\.\\w+)(:[0-9]+)+"), "$1:LINE"),
    new Rewrite(Pattern.compile("([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+"), "$1"),
    new Rewrite(Pattern.compile("CPU#[0-9]+"), "CPU"),
    new Rewrite(Pattern.compile("(\\W)(\\d+)(\\W|$)"), "$1NUM$3"),
    new Rewrite(Pattern.compile("\\d{7,}"), "NUM"),
  };

  private static String byRegexes(String title, boolean latin1) {
    for (Rewrite r : SYZKALLER) {
      for (int guard = 0; guard < 64; guard++) {
        Matcher m = r.pattern().matcher(title);
        if (!m.find()) {
          break;
        }
        String next = m.replaceAll(r.replacement());
        if (next.equals(title)) {
          break;
        }
        title = next;
      }
    }
    return TitleNormalizer.sanitize(title, latin1);
  }

  private static final String[] PIECES = {
    "0", "1", "12", "1234567", "12345678", "a", "b", "x", "_", " ", ",", ".", ":", "/", "+0x1a/0x30", "0x",
    "ffff88", "deadbeef", "syz-executor.", "syzkaller", "CPU#", "#", "-", "\t", "\u00e9", "\u0663", "ab", "f_",
    "\n", "Z", "0x1", "/0x", "+0x", ".c", "g", "9", "abcdef", "A1", "10.1.2.3", "  "
  };

  private static String randomTitle(Random random) {
    StringBuilder b = new StringBuilder();
    int n = 1 + random.nextInt(14);
    for (int k = 0; k < n; k++) {
      b.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  @Test
  void normalisationIsSyzkallersOnRandomTitles() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String t = randomTitle(random);
      boolean latin1 = random.nextBoolean();
      assertEquals(byRegexes(t, latin1), TitleNormalizer.normalize(t, latin1), () -> "title: " + t);
    }
  }

  @Test
  void firstYearTitlesKeepShortNumbersAndBlanks() {
    assertEquals("KASAN: use-after-free Read in __cfg8NUM_wpan_dev_from_attrs",
        TitleNormalizer.normalizeFirstYear("KASAN: use-after-free Read in __cfg802154_wpan_dev_from_attrs", true));
    assertEquals("kernel BUG at net/core/dev.c:NUM!", TitleNormalizer.normalizeFirstYear("kernel BUG at net/core/dev.c:10661!", true));
    assertEquals("kernel BUG at net/core/dev.c:LINE!", TitleNormalizer.normalizeFirstYear("kernel BUG at net/core/dev.c:1066!", true));
    assertEquals("BUG: receive list entry not found for dev vxcan1, id 002, mask C00007FF",
        TitleNormalizer.normalizeFirstYear("BUG: receive list entry not found for dev vxcan1, id 002, mask C00007FF", true));
    assertEquals("INFO: task syz-executor can't die for more than 143 seconds.",
        TitleNormalizer.normalizeFirstYear("INFO: task syz-executor563:6793 can't die for more than 143 seconds.", true));
    assertEquals("regs at   (ptrval)", TitleNormalizer.normalizeFirstYear("regs at   (ptrval)", true));
    // Oops banners carry per-run numbers: never offered.
    assertFalse(TitleNormalizer.firstYearMayDiffer("WARNING: CPU: 0 PID: 5074 at net/core/dev.c:1 f+0x1/0x2"));
    assertFalse(TitleNormalizer.firstYearMayDiffer("general protection fault: 0000 [#1] SMP KASAN"));
  }

  @Test
  void stallsAlsoGoByTheirFramelessFirstYearTitle() {
    String report =
        "watchdog: BUG: soft lockup - CPU#0 stuck for 123s! [syz-executor.0:1234]\n"
            + "Modules linked in:\n"
            + "CPU: 0 PID: 1234 Comm: syz-executor.0 Not tainted 5.0.0 #1\n"
            + "RIP: 0010:foo_loop+0x10/0x20 net/foo.c:10\n"
            + "Call Trace:\n"
            + " foo_loop+0x10/0x20 net/foo.c:10\n"
            + " foo_ioctl+0x10/0x20 net/foo.c:20\n"
            + " vfs_ioctl+0x10/0x20 fs/ioctl.c:46\n"
            + " do_syscall_64+0x10/0x20 arch/x86/entry/common.c:1\n";
    CrashReport r = CrashReportParser.parse(report);
    assertTrue(r.title().startsWith("BUG: soft lockup in "), r.title());
    assertTrue(r.altTitles().contains("BUG: soft lockup"), r.altTitles().toString());
    assertFalse(CrashReportParser.parse(report, false).altTitles().contains("BUG: soft lockup"));
  }

  @Test
  void firstYearTitlesDifferOnlyWhereSaid() {
    Random random = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      String t = randomTitle(random);
      if (!TitleNormalizer.firstYearMayDiffer(t) && !t.contains("[#") && !t.contains("CPU: ") && !t.contains("PID: ")) {
        assertEquals(TitleNormalizer.normalize(t, true), TitleNormalizer.normalizeFirstYear(t, true), () -> "title: " + t);
      }
    }
  }

  @Test
  void headerPreTestFindsEveryHeader() {
    String[] headers = Arrays.stream(OopsHeader.values()).map(OopsHeader::text).toArray(String[]::new);
    String[] fillers = {"", " ", "kern", "stack ", "x", "\u0142", "general ", "BUG", "WARN", "panic", "int"};
    Random random = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(6);
      for (int k = 0; k < n; k++) {
        String h = headers[random.nextInt(headers.length)];
        switch (random.nextInt(3)) {
          case 0 -> b.append(h);
          case 1 -> b.append(h, 0, random.nextInt(h.length()));
          default -> b.append(fillers[random.nextInt(fillers.length)]);
        }
      }
      String line = b.toString();
      boolean any = Arrays.stream(headers).anyMatch(line::contains);
      assertEquals(any, ReportLocator.mayHoldHeader(line), () -> "line: " + line);
    }
  }

  @Test
  void regexLiteralsAreNecessary() {
    assertEquals(Arrays.asList("IP", "NIP", "pc ", "PC is at", "--- interrupt: "),
        Arrays.asList(FrameLines.requiredLiterals(FrameLines.compile(
            "(?:IP|NIP|pc |PC is at):? (?:[0-9]+:)?x|--- interrupt: [0-9a-f]+ at f"))));
    assertEquals(Arrays.asList("Call ", "Backtrace:"),
        Arrays.asList(FrameLines.requiredLiterals(FrameLines.compile("Call (?:T|t)race:|Backtrace:"))));
    // A character before a quantifier is not required; an optional group gives no literal.
    assertEquals(Arrays.asList("a"), Arrays.asList(FrameLines.requiredLiterals(FrameLines.compile("ab?c"))));
    assertTrue(FrameLines.requiredLiterals(FrameLines.compile("(?:a|b)?c")) == null);
    assertTrue(FrameLines.requiredLiterals(FrameLines.compile("^Booting")) == null);
    assertFalse(FrameLines.containsAny("Call Trace", new String[] {"Backtrace:"}));
  }
}
