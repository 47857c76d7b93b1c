package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.crashdex.testing.RandomText;

class LiteralSieveTest {

  private static final List<String> LITERALS =
      List.of("Kernel panic", " [inline]", "WARNING:", "Sending NMI from CPU", "kernel BUG", "panic:", "BUG:", "UGUG");

  /** The first start of any literal, as one indexOf per literal finds it. */
  private static int expectedFirst(String text, int from) {
    int best = text.length();
    for (String l : LITERALS) {
      int at = text.indexOf(l, from);
      if (at >= 0 && at < best) {
        best = at;
      }
    }
    return best;
  }

  /** From every position of random texts made of pieces of the literals, the same answer as indexOf. */
  @Test
  void agreesWithIndexOfFromEveryPosition() {
    LiteralSieve sieve = new LiteralSieve(LITERALS);
    String[] pieces = {"Kernel", " panic", "panic", ":", " [inl", "ine]", "WARN", "ING:", "kernel ", "BUG", "x", "\n", " ", "B", "UG", "BUG:"};
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      String text = RandomText.of(random, pieces, 40);
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      for (int from = 0; from <= text.length(); from++) {
        int f = from;
        assertEquals(expectedFirst(text, from), sieve.firstStart(text, bytes, from), () -> f + " in: " + text);
      }
      assertEquals(expectedFirst(text, 0) < text.length(), sieve.anyIn(text), text);
    }
  }

  @Test
  void refusesShortLiterals() {
    assertThrows(IllegalArgumentException.class, () -> new LiteralSieve(List.of("BUG")));
  }
}
