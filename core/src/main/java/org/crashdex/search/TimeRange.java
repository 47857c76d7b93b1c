package org.crashdex.search;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.lucene.document.LongField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.crashdex.index.IndexSchema;

/**
 * A half-open time window {@code [from, until)} over the records' {@link IndexSchema#TIME}, in epoch
 * milliseconds. Bounds are written as a date ({@code 2024-03-01}, UTC midnight), an ISO instant
 * ({@code 2024-03-01T12:00:00Z}, or with an offset) or an age before now ({@code 30d}, {@code 12h},
 * {@code 2w}, {@code 90m}).
 *
 * @param from first millisecond in the window, or {@link Long#MIN_VALUE}
 * @param until first millisecond after the window, or {@link Long#MAX_VALUE}
 */
public record TimeRange(long from, long until) {

  /** The window with no bounds. */
  public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

  /** The window from {@code since} to {@code until}, either null for no bound. */
  public static TimeRange of(String since, String until, Instant now) {
    long from = since == null ? Long.MIN_VALUE : parse(since, now);
    long to = until == null ? Long.MAX_VALUE : parse(until, now);
    if (from >= to) {
      throw new BadQueryException("the time window is empty: --since " + since + " is not before --until " + until);
    }
    return new TimeRange(from, to);
  }

  /** Epoch milliseconds of a bound as the class comment describes; a clear error otherwise. */
  public static long parse(String bound, Instant now) {
    String b = bound.strip().toLowerCase(Locale.ROOT);
    if (b.matches("\\d+[mhdw]")) {
      long n = Long.parseLong(b.substring(0, b.length() - 1));
      Duration age =
          switch (b.charAt(b.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(age).toEpochMilli();
    }
    try {
      if (b.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(b).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return OffsetDateTime.parse(bound.strip()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new BadQueryException(
          "bad time '" + bound + "': use a date (2024-03-01), an instant (2024-03-01T12:00:00Z) or an age (30d, 12h, 2w)");
    }
  }

  /** {@code query} restricted to records whose time is in this window (records without one: only for ALL). */
  public Query filter(Query query) {
    if (equals(ALL)) {
      return query;
    }
    long last = until == Long.MAX_VALUE ? Long.MAX_VALUE : until - 1;
    return new BooleanQuery.Builder()
        .add(query, BooleanClause.Occur.MUST)
        .add(LongField.newRangeQuery(IndexSchema.TIME, from, last), BooleanClause.Occur.FILTER)
        .build();
  }
}
