package org.crashdex.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.extract.RecordExtractor;
import org.crashdex.index.IndexSummary;
import org.crashdex.index.Indexer;
import org.crashdex.index.IndexListener;
import org.crashdex.scan.RecordKind;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSpan;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that matters: every real bisection log comes back for its own culprit (12 hex digits),
 * its kernel signatures (16 hex digits) and the functions of its call traces, searched the way a
 * user would ({@code commit:…}, {@code sig:…}, {@code func:…}, at most 1000 hits).
 *
 * <p>What each log should be found by is read independently of the index: culprits from the corpus
 * TSV, signatures from the logs' own {@code kernel signature:} lines, functions from the crash parser.
 */
class BisectionRecallTest {
  static final double BAR = 0.99;
  private static final Pattern SIGNATURE = Pattern.compile("kernel signature: ([0-9a-f]{16,})");

  @TempDir static Path indexDir;
  static Path logs;
  static IndexSummary summary;

  @BeforeAll
  static void index() throws Exception {
    logs = Corpus.part("bisection-logs");
    try (Indexer indexer = Indexer.open(indexDir, Indexer.Options.defaults())) {
      summary = indexer.index(List.of(logs), IndexListener.NONE);
    }
  }

  @Test
  void culpritsSignaturesAndFunctionsFindTheirLog() throws Exception {
    Map<String, Set<String>> byCommit = new HashMap<>();
    Map<String, Set<String>> bySig = new HashMap<>();
    Map<String, Set<String>> byFunc = new HashMap<>();
    for (String line : Files.readAllLines(logs.resolveSibling("bisection-logs.tsv"))) {
      String[] cols = line.split("\t", -1);
      if (cols.length > 3 && cols[3].matches("[0-9a-f]{40}")) {
        byCommit.computeIfAbsent(cols[3].substring(0, 12), k -> new LinkedHashSet<>()).add(cols[0] + ".txt");
      }
    }
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        byte[] bytes = Files.readAllBytes(file);
        List<RecordSpan> bisections =
            RecordScanner.scan(MemorySegment.ofArray(bytes)).stream().filter(r -> r.kind() == RecordKind.BISECTION).toList();
        if (bisections.isEmpty()) {
          continue;
        }
        Matcher m = SIGNATURE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          bySig.computeIfAbsent(m.group(1).substring(0, 16), k -> new LinkedHashSet<>()).add(name);
        }
        for (RecordSpan r : bisections) {
          ExtractedRecord fields =
              RecordExtractor.extract(MemorySegment.ofArray(bytes).asSlice(r.offset(), r.length()), r.kind());
          if (fields.crash() != null) {
            for (String f : fields.crash().frames()) {
              byFunc.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(name);
            }
          }
        }
      }
    }
    assertTrue(byCommit.size() > 250, "culprits in the TSV: " + byCommit.size());
    assertTrue(bySig.size() > 1000, "kernel signatures in the logs: " + bySig.size());
    assertTrue(byFunc.size() > 1000, "functions in the logs' traces: " + byFunc.size());

    Map<String, String> report = new TreeMap<>();
    try (CrashSearcher searcher = CrashSearcher.open(indexDir)) {
      report.put("commit", recall(searcher, "commit:", byCommit));
      report.put("sig", recall(searcher, "sig:", bySig));
      report.put("func", recall(searcher, "func:", byFunc));
    }
    System.out.println("recall " + report + " (" + summary.records() + " records)");
    for (var e : report.entrySet()) {
      double r = Double.parseDouble(e.getValue().substring(0, e.getValue().indexOf(' ')));
      assertTrue(r >= BAR, e.getKey() + " recall " + e.getValue());
    }
  }

  /** The share of (value, log) pairs where the query for the value returns the log. */
  private static String recall(CrashSearcher searcher, String field, Map<String, Set<String>> expected) throws Exception {
    return recall(searcher, field, expected, false);
  }

  /** @param quoted search each value as one quoted value (it may hold blanks) */
  private static String recall(CrashSearcher searcher, String field, Map<String, Set<String>> expected, boolean quoted)
      throws Exception {
    long pairs = 0, found = 0;
    List<String> missed = new ArrayList<>();
    for (var e : expected.entrySet()) {
      Set<String> got = new LinkedHashSet<>();
      String value = quoted ? CrashQueryParser.clause("", e.getKey()).substring(1) : escape(e.getKey());
      for (Hit h : searcher.search(CrashQueryParser.parse(field + value), 1000)) {
        got.add(Path.of(h.source()).getFileName().toString());
      }
      for (String log : e.getValue()) {
        pairs++;
        if (got.contains(log)) {
          found++;
        } else if (missed.size() < 10) {
          missed.add(field + e.getKey() + " -> " + log);
        }
      }
    }
    if (!missed.isEmpty()) {
      System.out.println("missed (first 10): " + missed);
    }
    return String.format(java.util.Locale.ROOT, "%.4f %d/%d", (double) found / pairs, found, pairs);
  }

  private static String escape(String value) {
    return org.apache.lucene.queryparser.classic.QueryParser.escape(value);
  }

  /** Verdicts are whole values in any case: a run's kind, and the title it saw, find the log. */
  @Test
  void verdictKindsAndTitlesFindTheirLog() throws Exception {
    Map<String, Set<String>> byVerdict = new HashMap<>();
    forEachBisection(
        (name, b) -> {
          for (var t : b.tested()) {
            for (var v : t.runs()) {
              byVerdict.computeIfAbsent(v.verdict(), k -> new LinkedHashSet<>()).add(name);
              if (v.title() != null) {
                byVerdict.computeIfAbsent(v.title(), k -> new LinkedHashSet<>()).add(name);
              }
            }
          }
        });
    assertTrue(byVerdict.containsKey("boot failed") && byVerdict.containsKey("crashed"), byVerdict.keySet().toString());
    // Values found in at most 1000 logs (a search returns no more), as printed and upper-cased.
    Map<String, Set<String>> sample = new TreeMap<>();
    Map<String, Set<String>> upper = new TreeMap<>();
    for (var e : byVerdict.entrySet()) {
      if (e.getValue().size() <= 1000 && sample.size() < 300) {
        sample.put(e.getKey(), e.getValue());
        upper.put(e.getKey().toUpperCase(java.util.Locale.ROOT), e.getValue());
      }
    }
    assertTrue(sample.size() > 100, "verdict values: " + sample.size());
    try (CrashSearcher searcher = CrashSearcher.open(indexDir)) {
      for (Map<String, Set<String>> m : List.of(sample, upper)) {
        String r = recall(searcher, "verdict:", m, true);
        assertTrue(r.startsWith("1.0000"), "verdict recall " + r);
      }
      assertTrue(searcher.count(CrashQueryParser.parse("verdict:\"Boot Failed\"")) > 0);
      assertEquals(
          searcher.count(CrashQueryParser.parse("verdict:\"boot failed\"")),
          searcher.count(CrashQueryParser.parse("verdict:\"BOOT FAILED\"")));
    }
  }

  /**
   * {@code tested:} is answered from each record's list of tested commits, not from terms: a log comes
   * back for exactly the commits it tested, not for the other commits it names (its start, culprit,
   * candidates, the commits of its git output).
   */
  @Test
  void testedFindsTheLogsThatTestedACommitAndNoOthers() throws Exception {
    Map<String, Set<String>> tested = new TreeMap<>();
    Map<String, Set<String>> namedOnly = new TreeMap<>();
    forEachBisection(
        (name, b) -> {
          Set<String> mine = new LinkedHashSet<>();
          for (var t : b.tested()) {
            if (t.commit() != null && t.commit().length() >= 12) {
              mine.add(t.commit().substring(0, 12).toLowerCase(java.util.Locale.ROOT));
            }
          }
          mine.forEach(c -> tested.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(name));
          for (String c : b.commits()) {
            String abbrev = c.length() >= 12 ? c.substring(0, 12).toLowerCase(java.util.Locale.ROOT) : null;
            if (abbrev != null && !mine.contains(abbrev)) {
              namedOnly.computeIfAbsent(abbrev, k -> new LinkedHashSet<>()).add(name);
            }
          }
        });
    assertTrue(tested.size() > 1000, "tested commits: " + tested.size());
    assertTrue(namedOnly.size() > 10, "commits named but not tested: " + namedOnly.size());
    try (CrashSearcher searcher = CrashSearcher.open(indexDir)) {
      int checked = 0;
      for (var e : tested.entrySet()) {
        if (checked++ % 5 != 0) {
          continue; // a fifth of them keeps the test quick
        }
        assertEquals(e.getValue(), logsOf(searcher, "tested:" + e.getKey()), "tested:" + e.getKey());
      }
      for (var e : namedOnly.entrySet()) {
        Set<String> got = logsOf(searcher, "tested:" + e.getKey());
        for (String log : e.getValue()) {
          if (!tested.getOrDefault(e.getKey(), Set.of()).contains(log)) {
            assertTrue(!got.contains(log), "tested:" + e.getKey() + " found " + log + ", which only names it");
            assertTrue(logsOf(searcher, "commit:" + e.getKey()).contains(log), "commit:" + e.getKey() + " -> " + log);
          }
        }
      }
    }
  }

  /** Calls {@code each} with the file name and the parsed bisection of every bisection record of the logs. */
  private static void forEachBisection(java.util.function.BiConsumer<String, org.crashdex.extract.bisect.Bisection> each)
      throws Exception {
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.sorted().toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (RecordSpan r : RecordScanner.scan(MemorySegment.ofArray(bytes))) {
          ExtractedRecord fields =
              r.kind() == RecordKind.BISECTION
                  ? RecordExtractor.extract(MemorySegment.ofArray(bytes).asSlice(r.offset(), r.length()), r.kind())
                  : null;
          if (fields != null && fields.bisection() != null) {
            each.accept(file.getFileName().toString(), fields.bisection());
          }
        }
      }
    }
  }

  private static Set<String> logsOf(CrashSearcher searcher, String query) throws Exception {
    Set<String> got = new java.util.TreeSet<>();
    for (Hit h : searcher.search(CrashQueryParser.parse(query), 1000)) {
      got.add(Path.of(h.source()).getFileName().toString());
    }
    return got;
  }

  @Test
  void everyLogWithABisectionIsIndexedOnce() throws Exception {
    try (CrashSearcher searcher = CrashSearcher.open(indexDir)) {
      long expected;
      try (Stream<Path> files = Files.list(logs)) {
        expected =
            files.mapToLong(f -> {
              try {
                return RecordScanner.scan(MemorySegment.ofArray(Files.readAllBytes(f))).size();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }).sum();
      }
      assertEquals(expected, searcher.count(CrashQueryParser.parse("")));
    }
  }
}
