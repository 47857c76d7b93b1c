package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crashdex.search.CrashQueryParser;
import org.crashdex.search.CrashSearcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalIndexTest {
  @TempDir Path dir;
  Path logs;
  Path index;
  final List<String> failures = new ArrayList<>();

  @BeforeEach
  void logs() throws Exception {
    logs = dir.resolve("logs");
    index = dir.resolve("index");
    for (int i = 0; i < 20; i++) {
      Path p = LogFixtures.write(logs, i, 2);
      if (i % 2 == 0) { // settled files take the mapped path, young ones the walker's buffer
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      }
    }
  }

  IndexSummary run(boolean prune) throws Exception {
    try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults().withThreads(2).withPrune(prune))) {
      return indexer.index(List.of(logs), (name, message) -> failures.add(name + ": " + message));
    }
  }

  long count(String query) throws Exception {
    try (CrashSearcher s = CrashSearcher.open(index)) {
      return s.count(CrashQueryParser.parse(query));
    }
  }

  @Test
  void unchangedFilesAreSkippedChangedOnesReplaced() throws Exception {
    IndexSummary first = run(false);
    assertEquals(20, first.filesIndexed());
    assertEquals(40, first.records());
    assertEquals(40, first.totalRecords());

    IndexSummary second = run(false);
    assertEquals(0, second.filesIndexed());
    assertEquals(Map.of("unchanged", 20L), second.filesSkipped());
    assertEquals(40, second.totalRecords());

    // One file grows by a crash; another is rewritten with the same size and the same time.
    Path grown = LogFixtures.write(logs, 3, 3);
    Path same = logs.resolve("console-0004.log");
    FileTime time = Files.getLastModifiedTime(same);
    String text = Files.readString(same);
    Files.writeString(same, text.replace("f4_1_close", "f4_1_xlose"));
    Files.setLastModifiedTime(same, time);

    IndexSummary third = run(false);
    assertEquals(2, third.filesIndexed(), third.toString());
    assertEquals(41, third.totalRecords());
    assertEquals(1, count("func:f3_2_close"));
    assertEquals(3, count("source:\"" + grown + "\""));
    assertEquals(0, count("func:f4_1_close"));
    assertEquals(1, count("func:f4_1_xlose"));
    assertEquals(41, count(""), "no record doubled");
    assertTrue(failures.isEmpty(), failures.toString());
  }

  @Test
  void filesWithAndWithoutRecordsAreRememberedAndSkippedWhenUnchanged() throws Exception {
    // A file's state rides on its last record; a file without records gets a document of its own.
    Files.writeString(logs.resolve("console-0020.log"), "[    0.000000] Linux version 6.1.0\n[    1.000000] booted, nothing to see\n");
    IndexSummary first = run(false);
    assertEquals(21, first.filesIndexed());
    assertEquals(40, first.totalRecords());
    assertEquals(21, first.totalFiles());
    IndexSummary second = run(false);
    assertEquals(0, second.filesIndexed());
    assertEquals(Map.of("unchanged", 21L), second.filesSkipped());
    assertEquals(21, second.totalFiles());
    assertEquals(40, count(""), "the records, and no file document among them");
    try (CrashSearcher s = CrashSearcher.open(index)) {
      assertEquals(21, s.stats().files());
      assertEquals(40, s.stats().records());
    }
  }

  @Test
  void topCountsEachRecordOncePerFunction() throws Exception {
    run(false);
    try (CrashSearcher s = CrashSearcher.open(index)) {
      var all = s.top(CrashQueryParser.parse(""), org.crashdex.search.TopField.FUNCTION, 3);
      assertEquals("__sock_release", all.getFirst().value());
      assertEquals(40, all.getFirst().count(), "every crash's trace names it");
      var one = s.top(CrashQueryParser.parse("func:f3_1_close"), org.crashdex.search.TopField.FUNCTION, 10);
      assertEquals(
          List.of("__sock_release=1", "f3_1_close=1", "f3_1_release=1"),
          one.stream().map(c -> c.value() + "=" + c.count()).toList());
      var titles = s.top(CrashQueryParser.parse("func:f3_1_close"), org.crashdex.search.TopField.TITLE, 10);
      assertEquals(List.of("KASAN: use-after-free Read in f3_1_close=1"), titles.stream().map(c -> c.value() + "=" + c.count()).toList());
    }
  }

  @Test
  void aFileNamedTwiceInOneRunIsIndexedOnce() throws Exception {
    // New files are written without a delete first; one met twice in a run must still replace itself.
    Path one = logs.resolve("console-0003.log");
    IndexSummary s;
    try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults().withThreads(2))) {
      s = indexer.index(List.of(logs, one, logs), (name, message) -> failures.add(name + ": " + message));
    }
    assertEquals(40, s.totalRecords(), s.toString());
    assertEquals(40, count(""), "no record doubled");
    assertEquals(2, count("source:\"" + one + "\""));
    assertTrue(failures.isEmpty(), failures.toString());
  }

  @Test
  void vanishedFilesStayUntilPruned() throws Exception {
    run(false);
    Files.delete(logs.resolve("console-0005.log"));
    Files.write(logs.resolve("console-0006.log"), new byte[0]);

    IndexSummary kept = run(false);
    assertEquals(1, kept.vanished());
    assertEquals(0, kept.pruned());
    assertEquals(38, kept.totalRecords(), "the emptied file's records go, the vanished file's stay");
    assertEquals(2, count("func:f5_0_close func:f5_0_release __sock_release") + count("func:f5_1_close"));

    IndexSummary pruned = run(true);
    assertEquals(1, pruned.pruned());
    assertEquals(0, pruned.vanished());
    assertEquals(36, pruned.totalRecords());
    assertEquals(0, count("func:f5_0_close OR func:f5_1_close"));
  }
}
