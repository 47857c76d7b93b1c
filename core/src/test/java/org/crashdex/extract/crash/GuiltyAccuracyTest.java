package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crashdex.extract.ConsoleLine;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.Test;

/**
 * Measures the guilty file on real reports: syzkaller's guilty-file test data (asserted against the
 * issue's bar) and the guilty files a study recorded for syzbot's published reports (reported only:
 * the study predates syzkaller's deeper-path rule, so agreement is capped below 100% by design).
 *
 * <p>Both are measured end to end, through {@link CrashReportParser}, and the guilty-file test data
 * also with the test's own report boundaries ({@link ReportText}), which isolates {@link GuiltyFile}
 * from the title engine. The report goes to {@code <build dir>/accuracy/guilty.txt}.
 */
class GuiltyAccuracyTest {
  /** The bar for syzkaller-guilty. */
  private static final double BAR = 0.85;

  private static final Pattern RCU_STALL = Pattern.compile("INFO: rcu_(?:preempt|sched|bh|tasks)\\S* (?:self-)?detected");

  @Test
  void guiltyFilesOfSyzkallerTestData() throws IOException {
    Path dir = Corpus.part("syzkaller-guilty");
    List<String> mismatches = new ArrayList<>();
    int total = 0;
    int right = 0;
    int rightAlone = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        int blank = text.indexOf("\n\n");
        String line = text.substring("FILE: ".length(), text.indexOf('\n')).strip();
        String expected = line.isEmpty() ? null : line;
        String log = text.substring(blank + 2);
        String actual = viaParser(log);
        total++;
        if (Objects.equals(expected, actual)) {
          right++;
        } else {
          mismatches.add(file.getFileName() + ": expected " + expected + ", got " + actual);
        }
        if (Objects.equals(expected, alone(log))) {
          rightAlone++;
        }
      }
    }
    StringBuilder report = new StringBuilder();
    double rate = (double) right / total;
    report.append(String.format("syzkaller-guilty: %d/%d = %.1f%% (bar %.0f%%)%n", right, total, 100 * rate, 100 * BAR));
    mismatches.forEach(m -> report.append("  MISMATCH ").append(m).append('\n'));
    report.append(String.format("syzkaller-guilty, GuiltyFile with the test's report boundaries: %d/%d = %.1f%%%n",
        rightAlone, total, 100.0 * rightAlone / total));
    String syzbot = syzbotAgreement();
    report.append(syzbot);
    write(report.toString());
    System.out.print(report.substring(0, report.indexOf("syzbot-reports")) + syzbot.lines().findFirst().orElse("") + "\n");
    assertTrue(rate >= BAR, report.toString());
  }

  /** Agreement with the study's guilty_file column: a figure for the report, never asserted. */
  private static String syzbotAgreement() throws IOException {
    Path tsv = Corpus.root().resolve("syzbot-reports.tsv");
    Path dir = Corpus.root().resolve("syzbot-reports");
    if (!Files.isRegularFile(tsv) || !Files.isDirectory(dir)) {
      return "syzbot-reports: absent\n";
    }
    Map<String, String> expected = new HashMap<>();
    for (String row : Files.readAllLines(tsv, StandardCharsets.ISO_8859_1).subList(1, Files.readAllLines(tsv, StandardCharsets.ISO_8859_1).size())) {
      String[] cols = row.split("\t", -1);
      if (cols.length >= 3 && !cols[2].isBlank()) {
        expected.put(cols[0], cols[2].strip());
      }
    }
    int total = 0;
    int right = 0;
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Path file = dir.resolve(e.getKey() + ".txt");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String actual = viaParser(Files.readString(file, StandardCharsets.ISO_8859_1));
      total++;
      if (e.getValue().equals(actual)) {
        right++;
      } else {
        mismatches.add(e.getKey() + ": expected " + e.getValue() + ", got " + actual);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("syzbot-reports (study's guilty_file, not asserted): %d/%d = %.1f%%%n", right, total, total == 0 ? 0.0 : 100.0 * right / total));
    mismatches.forEach(m -> out.append("  differs ").append(m).append('\n'));
    return out.toString();
  }

  /** The guilty file the parser gives a log, or null when it finds no crash. */
  static String viaParser(String log) {
    CrashReport r = CrashReportParser.parse(log);
    return r == null ? null : r.guiltyFile();
  }

  /** The guilty file of a log, with report boundaries from {@link ReportText}. */
  static String alone(String log) {
    List<ConsoleLine> report = ReportText.report(ReportText.lines(log));
    if (report.isEmpty()) {
      return null;
    }
    String title = RCU_STALL.matcher(report.get(0).text()).find() ? "INFO: rcu detected stall in x" : null;
    return GuiltyFile.find(report, title);
  }

  private static void write(String report) throws IOException {
    Path out = buildDir().resolve("accuracy").resolve("guilty.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report, StandardCharsets.UTF_8);
  }

  /** The module's build directory (target-NAME), found from where the test classes were loaded. */
  static Path buildDir() {
    try {
      Path classes = Path.of(GuiltyAccuracyTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
