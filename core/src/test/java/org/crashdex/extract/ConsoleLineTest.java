package org.crashdex.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.crashdex.testing.RandomText;

/** The hand-written prefix reader against the regex it replaces, on chosen and random lines. */
class ConsoleLineTest {

  /** syzkaller's prefix regex, as ConsoleLine used it before reading prefixes by hand. */
  private static final Pattern PREFIX =
      Pattern.compile(
          "^(?:\\*\\* [0-9]+ printk messages dropped \\*\\* )?(?:.* login: )?(?:<[0-9]+>)?"
              + "\\[ *[0-9]+\\.[0-9]+\\](\\[ *([CT][0-9]+)\\])? ");

  private static ConsoleLine byRegex(String raw) {
    if (!raw.isEmpty() && raw.charAt(raw.length() - 1) == '\r') {
      raw = raw.substring(0, raw.length() - 1);
    }
    Matcher m = PREFIX.matcher(raw);
    if (!m.lookingAt()) {
      return new ConsoleLine(raw, ConsoleLine.NONE, raw);
    }
    String context = m.group(2) != null ? m.group(2) : ConsoleLine.CONSOLE;
    return new ConsoleLine(raw, context, raw.substring(raw.indexOf("] ") + 2));
  }

  @Test
  void contextsOfTheUsualShapes() {
    assertEquals(new ConsoleLine("[  12.345678] BUG: x", "console", "BUG: x"), ConsoleLine.parse("[  12.345678] BUG: x"));
    assertEquals("T81", ConsoleLine.parse("[  772.918915][   T81] x").context());
    assertEquals("C1", ConsoleLine.parse("<6>[    1.000000][    C1] x\r").context());
    assertEquals("", ConsoleLine.parse("no prefix [1.2] here").context());
    // The last " login: " the rest of the prefix follows wins, as the greedy ".*" has it.
    assertEquals("T2", ConsoleLine.parse("a login: [1.1][T1]x login: [2.2][T2] y").context());
    assertEquals("T1", ConsoleLine.parse("a login: [1.1][T1] x login: [2.2][T2]y").context());
    assertEquals("C3", ConsoleLine.parse("** 3 printk messages dropped ** [5.5][C3] z").context());
  }

  @Test
  void sameAsTheRegexOnRandomLines() {
    String[] pieces = {
      "[", "]", " ", "<6>", "<", ">", "1", "23", ".", "[  12.345678]", "[ T81]", "[C1]", "[    C0]",
      " login: ", "login:", "** 5 printk messages dropped ** ", "**", "\r", "\u0085", "\u2028", "x", "T", "C",
      "] ", "[1.2]", "BUG: KASAN: use-after-free in f+0x1/0x2"
    };
    Random random = new Random(20240601L);
    for (int i = 0; i < 300_000; i++) {
      String line = RandomText.of(random, pieces, 9);
      assertEquals(byRegex(line), ConsoleLine.parse(line), () -> "line: " + line);
    }
  }
}
