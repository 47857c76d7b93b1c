package org.crashdex.extract.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.Test;

/**
 * The bisection accuracy report CI runs: every real log of the corpus against the study's TSV.
 *
 * <p>Bars: a bisection record for every log with a {@code bisecting ... commit} line; the culprit
 * (or the candidates holding it) equal to the TSV's for every row that has one; {@code totalTime}
 * equal for every row that has one. The count of tested commits against the TSV's
 * {@code testing_commit_lines} is reported, not asserted: both count {@code testing commit} lines,
 * so a difference means a line kind went unread.
 */
class BisectionAccuracyTest {

  @Test
  void corpusMatchesTheStudy() throws IOException {
    Path logs = Corpus.part("bisection-logs");
    Path tsv = Corpus.part("bisection-logs.tsv");
    List<String> rows = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    List<String> header = List.of(rows.getFirst().split("\t", -1));
    int logColumn = header.indexOf("log");
    int culpritColumn = header.indexOf("culprit");
    int linesColumn = header.indexOf("testing_commit_lines");
    int timeColumn = header.indexOf("total_time");

    int files = 0;
    int withStart = 0;
    int withRecord = 0;
    int culpritRows = 0;
    int culpritOk = 0;
    int timeRows = 0;
    int timeOk = 0;
    int linesRows = 0;
    int linesOk = 0;
    int crashRows = 0;
    int crashParsed = 0;
    int crashSameTitle = 0;
    long testedSum = 0;
    long linesSum = 0;
    Map<String, Integer> results = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();

    for (String row : rows.subList(1, rows.size())) {
      if (row.isBlank()) {
        continue;
      }
      String[] cells = row.split("\t", -1);
      String name = cells[logColumn];
      Path file = logs.resolve(name + ".txt");
      files++;
      byte[] raw = Files.readAllBytes(file);
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      Bisection b = parseMapped(file);
      results.merge(String.valueOf(b.result()), 1, Integer::sum);

      if (BisectionStart.starts(text).length > 0) {
        withStart++;
        if (b.direction() != null) {
          withRecord++;
        } else {
          mismatches.add(name + "\trecord\tno direction read");
        }
      }
      String culprit = cell(cells, culpritColumn);
      if (!culprit.isEmpty()) {
        culpritRows++;
        if (culprit.equals(b.culprit()) || b.candidates().contains(culprit)) {
          culpritOk++;
        } else {
          mismatches.add(name + "\tculprit\texpected " + culprit + ", got " + b.culprit() + " " + b.candidates());
        }
      }
      String time = cell(cells, timeColumn);
      if (!time.isEmpty()) {
        timeRows++;
        if (time.equals(b.totalTime())) {
          timeOk++;
        } else {
          mismatches.add(name + "\ttotalTime\texpected " + time + ", got " + b.totalTime());
        }
      }
      if (b.crashTitle() != null) {
        crashRows++;
        if (b.crash() != null) {
          crashParsed++;
          if (b.crashTitle().equals(b.crash().title())) {
            crashSameTitle++;
          }
        }
      }
      String lines = cell(cells, linesColumn);
      if (!lines.isEmpty()) {
        linesRows++;
        int expected = Integer.parseInt(lines);
        testedSum += b.tested().size();
        linesSum += expected;
        if (expected == b.tested().size()) {
          linesOk++;
        } else {
          mismatches.add(name + "\ttested\texpected " + expected + " testing commit lines, got " + b.tested().size());
        }
      }
    }

    StringBuilder report = new StringBuilder();
    report.append("Bisection accuracy on ").append(logs).append('\n');
    report.append(String.format("logs: %d (with a bisecting line: %d)%n", files, withStart));
    report.append(line("bisection record for logs with a start line", withRecord, withStart));
    report.append(line("culprit (or candidates holding it)", culpritOk, culpritRows));
    report.append(line("totalTime", timeOk, timeRows));
    report.append(line("tested entries = testing_commit_lines", linesOk, linesRows));
    report.append(line("crash: line -> crash report parsed", crashParsed, crashRows));
    report.append(line("crash: title = parsed report title (info)", crashSameTitle, crashRows));
    report.append(String.format("tested entries: %d, testing commit lines (TSV): %d%n", testedSum, linesSum));
    report.append("results:\n");
    results.forEach((k, v) -> report.append(String.format("  %-36s %d%n", k, v)));
    report.append("mismatches: ").append(mismatches.size()).append('\n');
    mismatches.forEach(m -> report.append("  ").append(m).append('\n'));
    System.out.print(report);
    Path out = buildDirectory().resolve("accuracy").resolve("bisection.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report, StandardCharsets.UTF_8);

    assertFalse(files == 0, "no rows in " + tsv);
    assertEquals(withStart, withRecord, "bisection records");
    assertEquals(culpritRows, culpritOk, "culprit");
    assertEquals(timeRows, timeOk, "totalTime");
  }

  /** Parses through the MemorySegment entry point, as the scanner will call it. */
  private static Bisection parseMapped(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      MemorySegment segment =
          size == 0 ? MemorySegment.NULL : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      return BisectionParser.parse(segment);
    }
  }

  private static String cell(String[] cells, int column) {
    return column >= 0 && column < cells.length ? cells[column].strip() : "";
  }

  private static String line(String what, int ok, int total) {
    double rate = total == 0 ? 100.0 : 100.0 * ok / total;
    return String.format("%-46s %5d / %5d  %6.2f%%%n", what, ok, total, rate);
  }

  /** The build directory this test runs from (core/&lt;crashdex.target&gt;), found from the classes. */
  private static Path buildDirectory() {
    try {
      Path classes =
          Path.of(BisectionAccuracyTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("target");
    }
  }
}
