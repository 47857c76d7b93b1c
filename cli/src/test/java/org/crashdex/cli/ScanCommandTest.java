package org.crashdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
  @TempDir Path dir;

  static final String TWO_CRASHES =
      """
      [   10.000000][ T100] executing program
      [   11.000000][ T100] ==================================================================
      [   11.000001][ T100] BUG: KASAN: use-after-free in tcp_close+0x12/0x40
      [   11.000002][ T100] Read of size 8 at addr ffff888012345678 by task syz-executor.0/100
      [   11.000003][ T100] Call Trace:
      [   11.000004][ T100]  tcp_close+0x12/0x40 net/ipv4/tcp.c:2900
      [   11.000005][ T100]  inet_release+0x10/0x20 net/ipv4/af_inet.c:428
      [   11.000006][ T100]  __sock_release+0x10/0x20 net/socket.c:650
      [   20.000000][ T200] WARNING: CPU: 1 PID: 200 at net/core/dev.c:10 dev_close+0x1/0x2
      [   20.000001][ T200] RIP: 0010:dev_close+0x1/0x2 net/core/dev.c:10
      [   20.000002][ T200] Call Trace:
      [   20.000003][ T200]  dev_close+0x1/0x2 net/core/dev.c:10
      [   20.000004][ T200]  unregister_netdev+0x1/0x2 net/core/dev.c:11
      """;

  @Test
  void jsonLinesCarryLocationAndKind() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), TWO_CRASHES);
    CliRun run = CliRun.of("scan", "--json", log.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<JsonNode> records = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      records.add(new ObjectMapper().readTree(line));
    }
    assertEquals(2, records.size());
    byte[] bytes = TWO_CRASHES.getBytes(StandardCharsets.UTF_8);
    for (JsonNode r : records) {
      assertEquals(log.toString(), r.get("source").asText());
      assertEquals("crash", r.get("kind").asText());
      assertTrue(r.has("title") && r.has("frames"), r.toString());
      String text = new String(bytes, r.get("offset").asInt(), r.get("length").asInt(), StandardCharsets.UTF_8);
      assertTrue(text.contains("BUG: KASAN") ^ text.contains("WARNING: CPU"), text);
    }
  }

  @Test
  void readableOutputHasOneLinePerRecord() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), TWO_CRASHES);
    CliRun run = CliRun.of("scan", log.toString());
    assertEquals(0, run.exitCode());
    assertEquals(2, run.out().lines().count());
    assertTrue(run.out().startsWith(log + ":"), run.out());
  }

  @Test
  void missingPathIsNamedWithoutStackTrace() {
    CliRun run = CliRun.of("scan", dir.resolve("nope.log").toString());
    assertEquals(ExitCodes.FAILURE, run.exitCode());
    assertTrue(run.err().contains("nope.log: no such file or directory"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void oneBadPathAmongGoodOnesIsPartial() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), TWO_CRASHES);
    CliRun run = CliRun.of("scan", log.toString(), dir.resolve("nope.log").toString());
    assertEquals(ExitCodes.PARTIAL, run.exitCode());
    assertEquals(2, run.out().lines().count());
  }

  @Test
  void unknownOptionIsUsageError() {
    CliRun run = CliRun.of("scan", "--no-such-option", "x");
    assertEquals(ExitCodes.USAGE, run.exitCode());
    assertTrue(run.err().contains("Unknown option"), run.err());
  }

  @Test
  void binaryFilesAreSkippedWithANote() throws Exception {
    byte[] junk = new byte[4096];
    new java.util.Random(1).nextBytes(junk);
    Path bin = Files.write(dir.resolve("vmcore"), junk);
    CliRun run = CliRun.of("scan", bin.toString());
    assertEquals(0, run.exitCode());
    assertEquals("", run.out());
    assertTrue(run.err().contains("vmcore: skipped: binary"), run.err());
  }
}
