package org.crashdex.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSearchCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @AfterEach
  void restoreOut() {
    ShowCommand.bytesOut = null;
  }

  List<JsonNode> json(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  Path indexTwoCrashes() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), ScanCommandTest.TWO_CRASHES);
    CliRun run = CliRun.of("index", "-q", "--index", dir.resolve("ix").toString(), log.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("indexed 2 records from 1 files"), run.out());
    return log;
  }

  @Test
  void searchJsonShowAndStaleFiles() throws Exception {
    Path log = indexTwoCrashes();
    String ix = dir.resolve("ix").toString();
    CliRun search = CliRun.of("search", "--index", ix, "--json", "func:inet_release");
    assertEquals(0, search.exitCode(), search.err());
    List<JsonNode> hits = json(search.out());
    assertEquals(1, hits.size(), search.out());
    JsonNode hit = hits.getFirst();
    assertEquals(log.toString(), hit.get("source").asText());
    assertEquals("crash", hit.get("kind").asText());
    assertTrue(hit.get("score").asDouble() > 0);
    long offset = hit.get("offset").asLong(), length = hit.get("length").asLong();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ShowCommand.bytesOut = bytes;
    CliRun show = CliRun.of("show", "--index", ix, log + ":" + offset);
    assertEquals(0, show.exitCode(), show.err());
    byte[] file = Files.readAllBytes(log);
    assertArrayEquals(Arrays.copyOfRange(file, (int) offset, (int) (offset + length)), bytes.toByteArray());

    Files.writeString(log, ScanCommandTest.TWO_CRASHES + "more\n");
    CliRun stale = CliRun.of("show", "--index", ix, log + ":" + offset);
    assertEquals(3, stale.exitCode());
    assertTrue(stale.err().contains("changed since it was indexed"), stale.err());
  }

  @Test
  void readableOutputShowsMatchingLines() throws Exception {
    indexTwoCrashes();
    CliRun run = CliRun.of("search", "--index", dir.resolve("ix").toString(), "--function", "unregister_netdev");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("unregister_netdev+0x1/0x2 net/core/dev.c:11"), run.out());
    assertTrue(run.out().contains("1 of 1 matching records"), run.out());
  }

  @Test
  void malformedQueriesExitWithUsageAndOneLine() throws Exception {
    indexTwoCrashes();
    for (String q : List.of("func:(", "nosuchfield:x", "commit:abc", "\"open")) {
      CliRun run = CliRun.of("search", "--index", dir.resolve("ix").toString(), q);
      assertEquals(2, run.exitCode(), q);
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(run.err().startsWith("crashdex: bad query"), run.err());
    }
  }

  @Test
  void missingIndexIsAFailure() {
    CliRun run = CliRun.of("search", "--index", dir.resolve("none").toString(), "x");
    assertEquals(3, run.exitCode());
    assertTrue(run.err().contains("no index at"), run.err());
  }

  @Test
  void topAndStats() throws Exception {
    indexTwoCrashes();
    String ix = dir.resolve("ix").toString();
    CliRun top = CliRun.of("top", "--index", ix, "--by", "function", "--json");
    assertEquals(0, top.exitCode(), top.err());
    assertTrue(json(top.out()).stream().anyMatch(n -> n.get("function").asText().equals("dev_close")), top.out());
    CliRun stats = CliRun.of("stats", "--index", ix, "--json");
    assertEquals(0, stats.exitCode(), stats.err());
    JsonNode s = JSON.readTree(stats.out());
    assertEquals(2, s.get("records").asLong());
    assertEquals(1, s.get("files").asLong());
  }

  @Test
  void culpritsFindTheirBisectionLogThroughTheCli() throws Exception {
    Path logs = CorpusDir.part("bisection-logs");
    String ix = dir.resolve("corpus-ix").toString();
    CliRun index = CliRun.of("index", "-q", "--index", ix, logs.toString());
    assertEquals(0, index.exitCode(), index.err());
    int checked = 0, found = 0;
    for (String line : Files.readAllLines(logs.resolveSibling("bisection-logs.tsv"))) {
      String[] cols = line.split("\t", -1);
      if (cols.length < 4 || !cols[3].matches("[0-9a-f]{40}")) {
        continue;
      }
      CliRun run = CliRun.of("search", "--index", ix, "--json", "--limit", "1000", "commit:" + cols[3].substring(0, 12));
      assertEquals(0, run.exitCode(), run.err());
      checked++;
      String want = cols[0] + ".txt";
      if (json(run.out()).stream().anyMatch(n -> n.get("source").asText().endsWith("/" + want))) {
        found++;
      }
    }
    assertTrue(checked > 250, "culprits checked: " + checked);
    assertTrue(found >= 0.99 * checked, found + " of " + checked);
  }
}
