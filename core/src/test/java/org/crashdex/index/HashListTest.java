package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class HashListTest {
  private static final String COMMIT = "dbfe7d74376e187f3c6eaff822e85176bc2cd06e";
  private static final String SIG = "0321f959a0e0d5e5a0a62ca3b3b4dbd4e8b1a1b5f6f0e94c7e3a5d2e14c0a9b7";

  @Test
  void findsEachHashByAnyPrefixOfItsDigits() {
    BytesRef list = HashList.encode(List.of(COMMIT, SIG, "abc"));
    for (String h : List.of(COMMIT, SIG, "abc")) {
      for (int n = 1; n <= h.length(); n++) {
        assertTrue(HashList.containsPrefix(list, h.substring(0, n)), h.substring(0, n));
        assertTrue(HashList.containsPrefix(list, h.substring(0, n).toUpperCase(java.util.Locale.ROOT)));
      }
    }
  }

  @Test
  void findsNoDigitsTheHashesDoNotStartWith() {
    BytesRef list = HashList.encode(List.of(COMMIT, "abc"));
    assertFalse(HashList.containsPrefix(list, "dbfe7d75"));
    assertFalse(HashList.containsPrefix(list, COMMIT + "0"), "longer than the hash");
    assertFalse(HashList.containsPrefix(list, "abc0"), "an odd-length hash has no hidden last digit");
    assertFalse(HashList.containsPrefix(list, "bfe7d74"), "a prefix, not a substring");
    assertFalse(HashList.containsPrefix(HashList.encode(List.of()), "dbfe7d7"));
  }

  @Test
  void leavesOutWhatIsNotAHexHash() {
    BytesRef list = HashList.encode(List.of("not-a-hash", "", "g123456", SIG + "0", COMMIT));
    assertEquals(1 + COMMIT.length() / 2, list.length, "only the commit is kept");
    assertTrue(HashList.containsPrefix(list, "dbfe7d7"));
    assertFalse(HashList.containsPrefix(list, "0321f95"));
  }
}
