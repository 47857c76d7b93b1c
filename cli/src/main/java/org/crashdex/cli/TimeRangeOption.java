package org.crashdex.cli;

import java.time.Instant;
import org.crashdex.search.TimeRange;
import picocli.CommandLine.Option;

/** {@code --since} / {@code --until}: the time window search and top look at. */
final class TimeRangeOption {
  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Only records from WHEN on: a date (2024-03-01), an instant (2024-03-01T12:00:00Z) or an age (30d, 12h, 2w).")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "Only records before WHEN (same forms as --since).")
  String until;

  /** The window; a BadQueryException for a malformed bound. */
  TimeRange range() {
    return since == null && until == null ? TimeRange.ALL : TimeRange.of(since, until, Instant.now());
  }
}
