package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of indexing: the index opens with every record of every file it committed
 * (and nothing of the others), and the next run completes it with nothing lost or doubled.
 */
class KillAndRerunTest {
  static final int FILES = 400;
  static final int CRASHES = 2;

  @TempDir Path dir;

  @Test
  void killedRunLeavesWholeFilesAndTheNextRunFinishes() throws Exception {
    Path logs = dir.resolve("logs");
    Path index = dir.resolve("index");
    for (int i = 0; i < FILES; i++) {
      LogFixtures.write(logs, i, CRASHES);
    }
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                IndexerProcess.class.getName(),
                index.toString(),
                logs.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (commits(index) < 5 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    p.destroyForcibly().waitFor();

    Map<String, long[]> committed = check(index); // origin -> {records claimed, records present}
    int filesBefore = committed.size();
    assertTrue(filesBefore > 0, "something was committed before the kill");
    assertTrue(filesBefore < FILES, "killed before the end (" + filesBefore + " files committed)");

    IndexSummary rerun;
    try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults().withThreads(2))) {
      rerun = indexer.index(List.of(logs), IndexListener.NONE);
    }
    assertEquals(FILES - filesBefore, rerun.filesIndexed());
    assertEquals(filesBefore, rerun.filesSkipped().getOrDefault("unchanged", 0L));
    Map<String, long[]> after = check(index);
    assertEquals(FILES, after.size());
    assertEquals((long) FILES * CRASHES, rerun.totalRecords());
  }

  /** The generation of the newest commit (Lucene keeps only the last segments_N file). */
  private static long commits(Path index) {
    try (Stream<Path> s = Files.list(index)) {
      return s.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("segments_"))
          .mapToLong(n -> Long.parseLong(n.substring("segments_".length()), Character.MAX_RADIX))
          .max()
          .orElse(0);
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * Reads the last commit and checks it is whole: every file state's record count equals the records
   * present for its file, no record lacks a file state, no (origin, offset) twice.
   */
  private static Map<String, long[]> check(Path index) throws Exception {
    Map<String, long[]> files = new HashMap<>();
    List<String> orphans = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    try (var directory = FSDirectory.open(index);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        StoredFields stored = leaf.reader().storedFields();
        Bits live = leaf.reader().getLiveDocs();
        for (int d = 0; d < leaf.reader().maxDoc(); d++) {
          if (live != null && !live.get(d)) {
            continue;
          }
          var doc = stored.document(d);
          if (doc.get(IndexSchema.STATE) != null) { // a file's state, on a record or a file document
            files.computeIfAbsent(doc.get(IndexSchema.STATE), k -> new long[2])[0] +=
                doc.getField(IndexSchema.STATE_RECORDS).numericValue().longValue();
          }
          if (doc.getField(IndexSchema.OFFSET) != null) { // a record
            files.computeIfAbsent(doc.get(IndexSchema.ORIGIN), k -> new long[2])[1]++;
            seen.merge(doc.get(IndexSchema.ORIGIN) + ":" + doc.get(IndexSchema.OFFSET), 1, Integer::sum);
          }
        }
      }
    }
    files.forEach((origin, n) -> {
      if (n[0] != n[1]) {
        orphans.add(origin + " claims " + n[0] + " records, has " + n[1]);
      }
    });
    assertTrue(orphans.isEmpty(), orphans.toString());
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "a record doubled");
    return files;
  }
}
