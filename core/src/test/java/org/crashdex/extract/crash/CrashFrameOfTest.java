package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.crashdex.testing.RandomText;

/** {@link CrashReportParser#frameOf} written out gives what the regex it replaces gives. */
class CrashFrameOfTest {
  private static final Pattern FRAME = Pattern.compile(".* in ((?:<[^>]+>)?[a-zA-Z0-9_:.]+)");

  private static String byRegex(String title) {
    Matcher m = FRAME.matcher(title);
    return m.lookingAt() ? m.group(1) : null;
  }

  @Test
  void examples() {
    assertEquals("tcp_close", CrashReportParser.frameOf("KASAN: use-after-free Read in tcp_close"));
    assertEquals("<linux>::f", CrashReportParser.frameOf("WARNING in <linux>::f"));
    assertEquals("b", CrashReportParser.frameOf("x in a in b"));
    assertEquals("a", CrashReportParser.frameOf("x in a in -b"));
    assertEquals(null, CrashReportParser.frameOf("no frame here"));
    assertEquals(null, CrashReportParser.frameOf("x\n in a"));
  }

  @Test
  void agreesWithTheRegexOnRandomTitles() {
    String[] pieces = {" in ", "in", " ", "a", "f_1", ":", ".", "<", ">", "<x>", "-", "\n", "\r", "\u0085", "\u2028", "é"};
    Random random = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      String title = RandomText.of(random, pieces, 10);
      assertEquals(byRegex(title), CrashReportParser.frameOf(title), () -> "title: " + title);
    }
  }
}
