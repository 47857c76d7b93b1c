package org.crashdex.extract;

import org.crashdex.extract.bisect.Bisection;
import org.crashdex.extract.bisect.RunVerdict;
import org.crashdex.extract.bisect.TestedCommit;
import org.crashdex.extract.crash.CrashReport;

/**
 * The fields extracted from one record.
 *
 * @param crash the crash report of a crash record, or the final crash of a bisection; null if none
 * @param bisection the bisection fields of a bisection record; null for crash records
 */
public record ExtractedRecord(CrashReport crash, Bisection bisection) {
  /**
   * The record's title: its crash report's title; for a bisection without a parsed report, the title
   * of its {@code crash:} line, else the first crash its runs saw (the crash being bisected); or null.
   */
  public String title() {
    if (crash != null) {
      return crash.title();
    }
    if (bisection == null) {
      return null;
    }
    if (bisection.crashTitle() != null) {
      return bisection.crashTitle();
    }
    for (TestedCommit t : bisection.tested()) {
      for (RunVerdict run : t.runs()) {
        if (RunVerdict.CRASHED.equals(run.verdict()) && run.title() != null) {
          return run.title();
        }
      }
    }
    return null;
  }
}
