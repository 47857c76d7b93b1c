package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LiteralSweepTest {

  private static final String TEXT =
      "BUG: KASAN: use-after-free in f+0x1/0x2\n"
          + " g net/core/dev.c:12 [inline]\n"
          + "x[inline] no blank before\n"
          + " [inline] at the start\n"
          + "\n"
          + "Kernel panic - not syncing: x\n"
          + "WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 f+0x1/0x2\n"
          + "kernel/sched/core.c:12 plain path, no header\n"
          + "a general protection fault: 0000 [#1]\n"
          + "[inline]";

  /** Every line of TEXT, asked in order, gets the answer String.contains gives. */
  @Test
  void agreesWithContainsLineByLine() {
    for (String literal : new String[] {" [inline]", "[inline]", "Kernel panic", "absent literal", "BUG:"}) {
      LiteralSweep sweep = new LiteralSweep(TEXT, literal);
      int from = 0;
      for (String line : TEXT.split("\n", -1)) {
        int to = from + line.length();
        assertEquals(line.contains(literal), sweep.in(from, to), () -> literal + " in: " + line);
        from = to + 1;
      }
    }
  }

  /** The header sweep says yes for exactly the lines mayHoldHeader says yes for. */
  @Test
  void headerSweepAgreesWithMayHoldHeader() {
    ReportLocator.HeaderSweep sweep =
        new ReportLocator.HeaderSweep(TEXT, TEXT.getBytes(StandardCharsets.ISO_8859_1));
    int from = 0;
    int yes = 0;
    for (String line : TEXT.split("\n", -1)) {
      int to = from + line.length();
      boolean expected = ReportLocator.mayHoldHeader(line);
      assertEquals(expected, sweep.in(from, to), () -> "line: " + line);
      yes += expected ? 1 : 0;
      from = to + 1;
    }
    assertEquals(4, yes, "BUG:, Kernel panic, WARNING: and general protection fault lines");
  }
}
