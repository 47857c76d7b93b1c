package org.crashdex.extract;

import java.lang.foreign.MemorySegment;
import org.crashdex.extract.bisect.Bisection;
import org.crashdex.extract.bisect.BisectionParser;
import org.crashdex.extract.crash.CrashReportParser;
import org.crashdex.scan.RecordKind;

/**
 * Extracts the fields of one record from its bytes: a crash record through
 * {@link CrashReportParser}, a bisection record through {@link BisectionParser}: its final crash
 * report gives the record its frames and fields, under the title of the log's "crash:" line when it
 * has one.
 */
public final class RecordExtractor {
  private RecordExtractor() {}

  /** The fields of a record of {@code kind} whose bytes are {@code bytes}. Never throws. */
  public static ExtractedRecord extract(MemorySegment bytes, RecordKind kind) {
    return switch (kind) {
      case CRASH -> new ExtractedRecord(CrashReportParser.parse(bytes), null);
      case BISECTION -> {
        Bisection b = BisectionParser.parse(bytes);
        // The "crash:" line is syzbot's own name for the crash it bisected; the title computed from
        // the report text stays among the alternative titles.
        yield new ExtractedRecord(
            b == null || b.crash() == null ? null : CrashReportParser.withTitle(b.crash(), b.crashTitle()), b);
      }
    };
  }
}
