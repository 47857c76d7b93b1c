package org.crashdex.extract;

import org.crashdex.extract.bisect.Bisection;
import org.crashdex.extract.crash.CrashReport;

/**
 * The fields extracted from one record.
 *
 * @param crash the crash report of a crash record, or the final crash of a bisection; null if none
 * @param bisection the bisection fields of a bisection record; null for crash records
 */
public record ExtractedRecord(CrashReport crash, Bisection bisection) {
  /** The record's title: its crash's title, or null. */
  public String title() {
    return crash == null ? null : crash.title();
  }
}
