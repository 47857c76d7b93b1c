package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One small report per title family (resources {@code titles/*.txt}, in syzkaller's test-data
 * layout: TITLE, ALT, TYPE and CORRUPTED lines, an empty line, then the log). Each shows one rule
 * at work: the skip list, syscall-prefix stripping, the extractors, alternative titles, the stack
 * check, and how caller ids keep interleaved reports apart while console lines cut them.
 */
class CrashTitleFixturesTest {

  private static final List<String> FIXTURES =
      List.of(
          "kasan", "gpf-syscall-prefix", "warning-skips", "lockdep-circular", "rcu-stall", "hung-task",
          "paging", "memory-leak", "warning-no-stack", "kasan-cut-short", "caller-id-interleaved",
          "console-interleaved-cut", "no-crash");

  @TestFactory
  Stream<DynamicTest> fixturesGetTheirTitles() {
    return FIXTURES.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(name)));
  }

  private static void check(String name) throws IOException {
    CrashTitleAccuracyTest.Expected e = CrashTitleAccuracyTest.readSyzkaller(read(name + ".txt"));
    CrashReport r = CrashReportParser.parse(e.log());
    if (e.title() == null) {
      assertNull(r, name + " holds no crash");
      return;
    }
    assertNotNull(r, name);
    assertEquals(e.title(), r.title(), name + " title");
    assertEquals(e.corrupted(), r.corrupted(), name + " corrupted");
    assertEquals(e.type(), r.type(), name + " type");
    assertEquals(CrashReportParser.sha1(e.title()), r.crashId(), name + " crash id");
    // syzkaller's own alternative titles, without the legacy ones.
    CrashReport current = CrashReportParser.parse(e.log(), false);
    assertEquals(e.alts(), new LinkedHashSet<>(current.altTitles()), name + " alternative titles");
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = CrashTitleFixturesTest.class.getResourceAsStream("titles/" + resource)) {
      assertNotNull(in, "missing fixture " + resource);
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
