package org.crashdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeWindowCommandTest {
  @TempDir Path dir;

  @Test
  void sinceAndUntilFilterByBisectionStartOrFileTime() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path old = Files.writeString(logs.resolve("old.log"), ScanCommandTest.TWO_CRASHES);
    Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2020-05-01T00:00:00Z")));
    Files.writeString(
        logs.resolve("bisect.log"),
        """
        ci2 starts bisection 2023-01-20 07:41:05.779036819 +0000 UTC m=+58617.384433396
        bisecting cause commit starting from 009fc857c5f6fda81f2f7dd851b2d54193a8e733
        testing commit 009fc857c5f6fda81f2f7dd851b2d54193a8e733 gcc
        run #0: crashed: KASAN: use-after-free Read in bcm_rx_handler
        """);
    String index = dir.resolve("index").toString();
    assertEquals(0, CliRun.of("index", "--index", index, logs.toString()).exitCode());

    CliRun recent = CliRun.of("top", "--index", index, "--since", "2023-01-01");
    assertEquals(0, recent.exitCode(), recent.err());
    assertTrue(recent.out().contains("bcm_rx_handler"), recent.out());
    assertFalse(recent.out().contains("tcp_close"), recent.out());

    CliRun early = CliRun.of("search", "--index", index, "--json", "--until", "2021-01-01", "kind:crash");
    assertEquals(0, early.exitCode(), early.err());
    assertEquals(2, early.out().lines().count(), early.out());

    CliRun bad = CliRun.of("top", "--index", index, "--since", "last tuesday");
    assertEquals(ExitCodes.USAGE, bad.exitCode());
    assertTrue(bad.err().contains("bad time 'last tuesday'"), bad.err());
  }
}
