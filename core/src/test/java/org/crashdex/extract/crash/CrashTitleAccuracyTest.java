package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.crashdex.testing.Corpus;
import org.junit.jupiter.api.Test;

/**
 * How closely the titles agree with syzkaller's and syzbot's on the real corpus (spec §10): exact
 * TITLE and CORRUPTED agreement on syzkaller's own test data, silence on its logs without a crash,
 * and title-or-alt agreement with the titles syzbot gave its bugs.
 *
 * <p>The report goes to stdout and to {@code <build dir>/accuracy/crash-titles.txt}; the test fails
 * below the bars of issue 3.
 */
class CrashTitleAccuracyTest {

  static final double TITLE_BAR = 0.95;
  static final double CORRUPTED_BAR = 0.95;
  static final double NO_TITLE_BAR = 1.0;
  static final double SYZBOT_BAR = 0.90;

  /** One syzkaller test file: its expectations and its log. */
  record Expected(String title, Set<String> alts, String type, boolean corrupted, String log) {}

  static Expected readSyzkaller(String content) {
    int split = content.indexOf("\n\n");
    String header = split < 0 ? content : content.substring(0, split);
    String log = split < 0 ? "" : content.substring(split + 2);
    int report = log.indexOf("\n\nREPORT:\n");
    if (report >= 0) {
      log = log.substring(0, report + 1);
    } else if (log.startsWith("REPORT:\n")) {
      log = "";
    }
    String title = null;
    String type = "UNKNOWN";
    boolean corrupted = false;
    Set<String> alts = new LinkedHashSet<>();
    for (String line : header.split("\n")) {
      if (line.startsWith("TITLE: ")) {
        title = line.substring(7).strip();
      } else if (line.startsWith("ALT: ")) {
        alts.add(line.substring(5).strip());
      } else if (line.startsWith("TYPE: ")) {
        type = line.substring(6).strip();
      } else if (line.equals("CORRUPTED: Y")) {
        corrupted = true;
      }
    }
    if (title != null && title.isEmpty()) {
      title = null;
    }
    return new Expected(title, alts, type, corrupted, log);
  }

  private static final class Rate {
    final String name;
    int good;
    int total;

    Rate(String name) {
      this.name = name;
    }

    void count(boolean ok) {
      total++;
      if (ok) {
        good++;
      }
    }

    double value() {
      return total == 0 ? 1.0 : (double) good / total;
    }

    @Override
    public String toString() {
      return String.format("  %-44s %5d / %5d = %6.2f%%", name, good, total, 100 * value());
    }
  }

  @Test
  void titlesAgreeWithSyzkallerAndSyzbot() throws IOException {
    StringBuilder out = new StringBuilder();
    List<String> mismatches = new ArrayList<>();

    Rate title = new Rate("exact TITLE");
    Rate corrupted = new Rate("CORRUPTED flag");
    Rate noTitle = new Rate("no TITLE gives no crash");
    Rate type = new Rate("TYPE (report only)");
    Rate alt = new Rate("ALT set, syzkaller's rules (report only)");
    Path syzkaller = Corpus.part("syzkaller-reports");
    for (Path file : sorted(syzkaller)) {
      String name = file.getFileName().toString();
      Expected e = readSyzkaller(Files.readString(file, StandardCharsets.ISO_8859_1));
      CrashReport r = CrashReportParser.parse(e.log());
      if (e.title() == null) {
        noTitle.count(r == null);
        if (r != null) {
          mismatches.add(line("syzkaller-reports/" + name, "no crash", r.title()));
        }
        continue;
      }
      String got = r == null ? "<no crash>" : r.title();
      boolean titleOk = e.title().equals(got);
      title.count(titleOk);
      if (!titleOk) {
        mismatches.add(line("syzkaller-reports/" + name, e.title(), got));
      }
      boolean corruptedOk = r != null && r.corrupted() == e.corrupted();
      corrupted.count(corruptedOk);
      if (!corruptedOk) {
        mismatches.add(
            line("syzkaller-reports/" + name + " CORRUPTED", String.valueOf(e.corrupted()),
                r == null ? "<no crash>" : r.corrupted() + " (" + got + ")"));
      }
      boolean typeOk = r != null && e.type().equals(r.type());
      type.count(typeOk);
      if (!typeOk) {
        mismatches.add(line("syzkaller-reports/" + name + " TYPE", e.type(), r == null ? "<no crash>" : r.type()));
      }
      // Legacy titles are extra alternatives syzkaller does not give: compare without them.
      CrashReport current = CrashReportParser.parse(e.log(), false);
      boolean altOk = current != null && e.alts().equals(new LinkedHashSet<>(current.altTitles()));
      alt.count(altOk);
      if (!altOk && titleOk) {
        mismatches.add(line("syzkaller-reports/" + name + " ALT", e.alts().toString(),
            current == null ? "<no crash>" : current.altTitles().toString()));
      }
    }

    Rate syzbot = new Rate("title-or-alt");
    Rate syzbotCurrent = new Rate("title-or-alt without legacy titles");
    Path bots = Corpus.part("syzbot-reports");
    Map<String, String> expectedTitles = new HashMap<>();
    for (String row : Files.readAllLines(Corpus.part("syzbot-reports.tsv"), StandardCharsets.UTF_8)) {
      String[] cols = row.split("\t", -1);
      if (cols.length >= 2 && !cols[0].equals("bug_id")) {
        expectedTitles.put(cols[0], cols[1].replaceFirst(" \\([0-9]+\\)$", ""));
      }
    }
    for (Path file : sorted(bots)) {
      String name = file.getFileName().toString();
      String id = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
      String expected = expectedTitles.get(id);
      if (expected == null) {
        continue;
      }
      String log = Files.readString(file, StandardCharsets.ISO_8859_1);
      CrashReport r = CrashReportParser.parse(log);
      boolean ok = r != null && (r.title().equals(expected) || r.altTitles().contains(expected));
      syzbot.count(ok);
      CrashReport current = CrashReportParser.parse(log, false);
      syzbotCurrent.count(
          current != null && (current.title().equals(expected) || current.altTitles().contains(expected)));
      if (!ok) {
        mismatches.add(line("syzbot-reports/" + name, expected, r == null ? "<no crash>" : r.title()));
      }
    }

    out.append("Crash title accuracy\n\nsyzkaller-reports\n");
    for (Rate rate : List.of(title, corrupted, noTitle, type, alt)) {
      out.append(rate).append('\n');
    }
    out.append("\nsyzbot-reports\n").append(syzbot).append('\n').append(syzbotCurrent);
    out.append("\n\nMismatches (file | expected | got)\n");
    for (String m : mismatches) {
      out.append(m).append('\n');
    }
    String report = out.toString();
    System.out.println(report);
    Path dir = buildDir().resolve("accuracy");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("crash-titles.txt"), report, StandardCharsets.UTF_8);

    assertTrue(title.value() >= TITLE_BAR, "syzkaller exact TITLE below bar: " + title);
    assertTrue(corrupted.value() >= CORRUPTED_BAR, "syzkaller CORRUPTED below bar: " + corrupted);
    assertTrue(noTitle.value() >= NO_TITLE_BAR, "logs without TITLE gave crashes: " + noTitle);
    assertTrue(syzbot.value() >= SYZBOT_BAR, "syzbot title-or-alt below bar: " + syzbot);
  }

  private static String line(String file, String expected, String got) {
    return file + " | " + expected + " | " + got;
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The build directory this test runs from (target, or the one -Dcrashdex.target chose). */
  private static Path buildDir() {
    try {
      Path classes =
          Path.of(CrashTitleAccuracyTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("target");
    }
  }
}
