package org.crashdex.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;

class TimeRangeTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void datesAreUtcMidnights() {
    assertEquals(Instant.parse("2024-03-01T00:00:00Z").toEpochMilli(), TimeRange.parse("2024-03-01", NOW));
  }

  @Test
  void instantsKeepTheirOffset() {
    assertEquals(
        Instant.parse("2024-03-01T10:00:00Z").toEpochMilli(), TimeRange.parse("2024-03-01T12:00:00+02:00", NOW));
  }

  @Test
  void agesCountBackFromNow() {
    assertEquals(NOW.minusSeconds(30L * 86400).toEpochMilli(), TimeRange.parse("30d", NOW));
    assertEquals(NOW.minusSeconds(14L * 86400).toEpochMilli(), TimeRange.parse("2w", NOW));
    assertEquals(NOW.minusSeconds(12L * 3600).toEpochMilli(), TimeRange.parse("12h", NOW));
  }

  @Test
  void badBoundsAndEmptyWindowsAreQueryErrors() {
    BadQueryException e = assertThrows(BadQueryException.class, () -> TimeRange.parse("yesterday", NOW));
    assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    assertThrows(BadQueryException.class, () -> TimeRange.of("2024-02-01", "2024-01-01", NOW));
  }

  @Test
  void noBoundsLeaveTheQueryAlone() {
    Query q = new MatchAllDocsQuery();
    assertSame(q, TimeRange.of(null, null, NOW).filter(q));
    assertTrue(TimeRange.of("30d", null, NOW).filter(q).toString().contains("time"));
  }
}
