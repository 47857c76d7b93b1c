package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordTimesTest {
  @Test
  void goTimeStringsWithAnyFraction() {
    long expected = Instant.parse("2022-12-07T06:31:26.752Z").toEpochMilli();
    assertEquals(expected, RecordTimes.bisectionStart("2022-12-07 06:31:26.752216127 +0000 UTC", 1));
    assertEquals(expected, RecordTimes.bisectionStart("2022-12-07 06:31:26.752 +0000 UTC", 1));
    assertEquals(expected - 752, RecordTimes.bisectionStart("2022-12-07 06:31:26 +0000 UTC", 1));
    assertEquals(expected - 52, RecordTimes.bisectionStart("2022-12-07 06:31:26.7 +0000 UTC", 1));
  }

  @Test
  void offsetsAreApplied() {
    assertEquals(
        Instant.parse("2022-12-07T04:31:26Z").toEpochMilli(),
        RecordTimes.bisectionStart("2022-12-07 06:31:26 +0200 EET", 1));
  }

  @Test
  void absentOrUnreadableFallsBack() {
    assertEquals(42, RecordTimes.bisectionStart(null, 42));
    assertEquals(42, RecordTimes.bisectionStart("sometime last week", 42));
  }
}
