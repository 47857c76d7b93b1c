package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.List;
import org.crashdex.extract.ConsoleLine;
import org.crashdex.scan.OopsHeader;

/**
 * A test-side approximation of syzkaller's report boundaries (spec §2-§3), so that the field
 * extractors can be judged on real reports independently of the title engine: the first oops line,
 * then every later line of the same context that is not questionable.
 */
final class ReportText {
  private ReportText() {}

  /** The lines of the log, split on '\n'. */
  static List<ConsoleLine> lines(String log) {
    List<ConsoleLine> lines = new ArrayList<>();
    for (String raw : log.split("\n", -1)) {
      lines.add(ConsoleLine.parse(raw));
    }
    return lines;
  }

  /** The index of the first oops line, or -1. */
  static int oopsLine(List<ConsoleLine> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (OopsHeader.find(lines.get(i).text()) == null) {
        continue;
      }
      if (i + 1 < lines.size() && lines.get(i + 1).text().contains("** replaying previous printk message **")) {
        continue;
      }
      return i;
    }
    return -1;
  }

  /** The report's lines from the oops line on (no prefix lines), or an empty list. */
  static List<ConsoleLine> report(List<ConsoleLine> lines) {
    int start = oopsLine(lines);
    List<ConsoleLine> report = new ArrayList<>();
    if (start < 0) {
      return report;
    }
    String context = lines.get(start).context();
    boolean nmi = false;
    for (int i = start; i < lines.size(); i++) {
      ConsoleLine line = lines.get(i);
      boolean same =
          line.context().equals(context) || (nmi && line.context().startsWith("C"));
      if (!same || line.questionable()) {
        continue;
      }
      String text = line.text();
      if (text.contains("Sending NMI from CPU")) {
        nmi = true;
      }
      if (text.contains("Disabling lock debugging due to kernel taint")) {
        continue;
      }
      if (report.size() > 22
          && (text.contains("Kernel panic - not syncing")
              || text.contains("WARNING: possible circular locking dependency detected"))) {
        break;
      }
      report.add(line);
    }
    return report;
  }
}
