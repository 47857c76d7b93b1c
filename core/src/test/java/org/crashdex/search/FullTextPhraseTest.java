package org.crashdex.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.crashdex.index.IndexListener;
import org.crashdex.index.Indexer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phrases in the full text, which keeps each distinct word of a record once and no positions: a
 * phrase must match where its words follow each other and nowhere else, whatever the record repeats.
 */
class FullTextPhraseTest {
  @TempDir static Path dir;
  static Path index;

  /** A one-crash console log whose report carries {@code extra} as a line of its own. */
  static String crash(String function, String extra) {
    return "[  11.0][ T100] BUG: KASAN: use-after-free in " + function + "+0x12/0x40\n"
        + "[  11.0][ T100] Read of size 8 at addr ffff888012345678 by task syz-executor.0/100\n"
        + "[  11.0][ T100] " + extra + "\n"
        + "[  11.0][ T100] Call Trace:\n"
        + "[  11.0][ T100]  " + function + "+0x12/0x40 net/ipv4/tcp.c:2900\n"
        + "[  11.0][ T100]  __sock_release+0x10/0x20 net/socket.c:650\n"
        + "[  11.0][ T100] ---[ end Kernel panic - not syncing: KASAN ]---\n";
  }

  @BeforeAll
  static void build() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("adjacent.log"), crash("adjacent_fn", "the quick brown fox jumps"));
    Files.writeString(logs.resolve("scattered.log"), crash("scattered_fn", "quick dogs and a brown fox"));
    Files.writeString(logs.resolve("reversed.log"), crash("reversed_fn", "brown quick fox jumps"));
    // The phrase's words over and over, in the wrong order, and once right at the end.
    Files.writeString(
        logs.resolve("repeated.log"),
        crash("repeated_fn", "fox brown quick fox brown quick fox brown quick zebra stripes"));
    // Across a line end: the words of two lines follow each other.
    Files.writeString(logs.resolve("wrapped.log"), crash("wrapped_fn", "a long line that ends with quick\n[  11.0][ T100] brown bear"));
    index = dir.resolve("index");
    try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults().withThreads(2))) {
      indexer.index(List.of(logs), IndexListener.NONE);
    }
  }

  static Set<String> files(String query) throws Exception {
    try (CrashSearcher s = CrashSearcher.open(index)) {
      Set<String> names = new TreeSet<>();
      for (Hit h : s.search(CrashQueryParser.parse(query), 100)) {
        names.add(Path.of(h.source()).getFileName().toString());
      }
      assertEquals(names.size(), s.count(CrashQueryParser.parse(query)), "count agrees with the hits for " + query);
      return names;
    }
  }

  @Test
  void aPhraseMatchesWhereItsWordsFollowEachOther() throws Exception {
    assertEquals(Set.of("adjacent.log"), files("\"quick brown fox\""));
    assertEquals(Set.of("adjacent.log", "wrapped.log"), files("\"quick brown\""));
    assertEquals(Set.of("repeated.log", "reversed.log", "scattered.log"), files("fox -\"quick brown\""));
  }

  @Test
  void wordsAloneMatchAnywhere() throws Exception {
    assertEquals(Set.of("adjacent.log", "repeated.log", "reversed.log", "scattered.log"), files("quick brown fox"));
    assertEquals(Set.of("adjacent.log", "repeated.log", "reversed.log", "scattered.log"), files("\"quick fox brown\"~5"));
  }

  @Test
  void phrasesWithPunctuationAndFunctions() throws Exception {
    Set<String> all = Set.of("adjacent.log", "repeated.log", "reversed.log", "scattered.log", "wrapped.log");
    assertEquals(all, files("\"use-after-free\""));
    assertEquals(all, files("\"KASAN: use-after-free in\""));
    assertEquals(Set.of("repeated.log"), files("\"use-after-free in repeated_fn\""));
    // Addresses are not words: the words around one are next to each other.
    assertEquals(all, files("\"size 8 at addr by task\""));
    assertEquals(Set.of(), files("\"free use after\""));
  }

  @Test
  void phrasesCombineWithOtherClauses() throws Exception {
    assertEquals(Set.of("adjacent.log"), files("func:adjacent_fn AND \"brown fox\""));
    assertEquals(Set.of(), files("func:scattered_fn AND \"brown fox jumps\""));
    assertTrue(files("\"brown fox\" OR func:wrapped_fn").containsAll(Set.of("adjacent.log", "wrapped.log", "scattered.log")));
  }

  @Test
  void titlePhrasesStayPositional() throws Exception {
    assertEquals(5, files("title:\"use-after-free in\"").size());
    assertEquals(Set.of("wrapped.log"), files("title:\"in wrapped_fn\""));
  }
}
