package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class PhrasePairsTest {
  static List<BytesRef> words(String... w) {
    List<BytesRef> out = new ArrayList<>();
    for (String s : w) {
      out.add(new BytesRef(s));
    }
    return out;
  }

  static BytesRef digestPairs(TextDigest d, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    d.read(MemorySegment.ofArray(b), b.length);
    return BytesRef.deepCopyOf(d.pairs());
  }

  static List<String> digestWords(TextDigest d) throws Exception {
    try (TokenStream ts = d.words()) {
      return LogAnalyzerTest.drain(ts);
    }
  }

  @Test
  void encodedSetsHoldTheirPairsAndRarelyOthers() {
    Random random = new Random(42);
    long falsePositives = 0, absentChecks = 0;
    for (int round = 0; round < 60; round++) {
      int n = round == 0 ? 1 : random.nextInt(round < 50 ? 3000 : 200_000);
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextLong(); // negatives too: the order is unsigned
      }
      int d = PhrasePairs.sortUnsignedDistinct(v, n);
      for (int i = 1; i < d; i++) {
        assertTrue(Long.compareUnsigned(v[i - 1], v[i]) < 0);
      }
      int[] len = new int[1];
      byte[] enc = PhrasePairs.encode(v, d, false, new byte[1], len);
      assertTrue(len[0] <= 8 + d * (PhrasePairs.BITS + 3) / 8, "about BITS + 2 bits a pair: " + len[0] + " bytes for " + d);
      BytesRef sketch = new BytesRef(enc, 0, len[0]);
      for (int i = 0; i < d; i += 1 + random.nextInt(50)) {
        int j = Math.min(d - 1, i + random.nextInt(40));
        long[] want = i == j ? new long[] {v[i]} : new long[] {v[i], v[j]};
        assertTrue(PhrasePairs.containsAll(sketch, want), "pair " + i + " of " + d);
      }
      for (int k = 0; k < 2000; k++) {
        long absent = random.nextLong();
        absentChecks++;
        if (PhrasePairs.containsAll(sketch, new long[] {absent})) {
          falsePositives++;
        }
      }
      assertTrue(PhrasePairs.containsAll(sketch, new long[0]));
    }
    // 2^-16 per absent pair: a handful in 120 000 checks at most.
    assertTrue(falsePositives <= 10, falsePositives + " of " + absentChecks);
  }

  @Test
  void aPartialSetMatchesEveryPhrase() {
    int[] len = new int[1];
    byte[] enc = PhrasePairs.encode(new long[0], 0, true, new byte[1], len);
    assertTrue(PhrasePairs.containsAll(new BytesRef(enc, 0, len[0]), new long[] {42, 7}));
    byte[] empty = PhrasePairs.encode(new long[0], 0, false, new byte[1], len);
    assertFalse(PhrasePairs.containsAll(new BytesRef(empty, 0, len[0]), new long[] {42}));
  }

  @Test
  void digestKeepsEachWordOnceAndItsPairs() throws Exception {
    TextDigest d = new TextDigest();
    BytesRef pairs = digestPairs(d, "Use after FREE in foo+0x10/0x20\nuse after free in foo+0x10/0x20\nread of size 8\n");
    assertEquals(List.of("use", "after", "free", "in", "foo", "read", "of", "size", "8"), digestWords(d));
    assertTrue(PhrasePairs.containsAll(pairs, PhrasePairs.pairsOf(words("use", "after", "free"))));
    assertTrue(PhrasePairs.containsAll(pairs, PhrasePairs.pairsOf(words("foo", "read"))), "across a line end");
    assertFalse(PhrasePairs.containsAll(pairs, PhrasePairs.pairsOf(words("after", "use"))));
    assertFalse(PhrasePairs.containsAll(pairs, PhrasePairs.pairsOf(words("free", "foo"))));
    // The next record starts afresh.
    BytesRef next = digestPairs(d, "read of size 8");
    assertEquals(List.of("read", "of", "size", "8"), digestWords(d));
    assertFalse(PhrasePairs.containsAll(next, PhrasePairs.pairsOf(words("use", "after"))));
  }

  @Test
  void manyDistinctWordsGrowTheSet() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      b.append("word").append(i).append(i % 10 == 9 ? '\n' : ' ');
    }
    b.append("word0 word1\n");
    TextDigest d = new TextDigest();
    BytesRef pairs = digestPairs(d, b.toString());
    List<String> w = digestWords(d);
    assertEquals(20_000, w.size());
    assertEquals(20_000, new java.util.HashSet<>(w).size());
    assertTrue(PhrasePairs.containsAll(pairs, PhrasePairs.pairsOf(words("word19998", "word19999"))));
    assertFalse(PhrasePairs.pairsOf(words("a", "b"))[0] == PhrasePairs.pairsOf(words("b", "a"))[0], "pairs are ordered");
  }
}
