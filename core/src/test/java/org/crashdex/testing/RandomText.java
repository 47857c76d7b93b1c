package org.crashdex.testing;

import java.util.Random;

/** Random texts made of given pieces, for tests that compare two ways of reading the same text. */
public final class RandomText {
  private RandomText() {}

  /** Fewer than {@code maxPieces} pieces, each picked at random from {@code pieces}, joined. */
  public static String of(Random random, String[] pieces, int maxPieces) {
    StringBuilder b = new StringBuilder();
    for (int k = random.nextInt(maxPieces); k > 0; k--) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }
}
