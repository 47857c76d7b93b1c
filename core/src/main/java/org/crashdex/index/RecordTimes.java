package org.crashdex.index;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When a record happened, from what its log says. */
final class RecordTimes {
  private RecordTimes() {}

  /** "2022-07-02 11:42:17.512873146 +0000 UTC": Go's time.Time.String() with the zone name after. */
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS Z");
  private static final Pattern FRACTION = Pattern.compile("^(\\S+ \\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d+))? ");

  /**
   * The epoch milliseconds of a bisection's {@code startedAt} ("2022-07-02 11:42:17.512873146 +0000
   * UTC"), or {@code fallback} when it is absent or unreadable.
   */
  static long bisectionStart(String startedAt, long fallback) {
    if (startedAt == null) {
      return fallback;
    }
    String s = startedAt.strip();
    int zoneName = s.lastIndexOf(' ');
    if (zoneName > 0 && Character.isLetter(s.charAt(zoneName + 1 < s.length() ? zoneName + 1 : zoneName))) {
      s = s.substring(0, zoneName);
    }
    // Go trims trailing zeros of the fraction, or drops it: make it exactly milliseconds.
    Matcher m = FRACTION.matcher(s);
    if (!m.find()) {
      return fallback;
    }
    String millis = ((m.group(2) == null ? "" : m.group(2)) + "000").substring(0, 3);
    s = m.group(1) + "." + millis + " " + s.substring(m.end());
    try {
      return OffsetDateTime.parse(s, GO_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
