package org.crashdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crashdex scan} over archives, crash directories and bad inputs, as a user runs it. */
class ScanArchivesTest {
  @TempDir Path dir;

  static final String TITLE = "KASAN: use-after-free Read in tcp_close";
  static final String ID = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void badInputsAreNamedOnceAndTheRestIsPrinted() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("good.log"), ScanCommandTest.TWO_CRASHES);
    Files.write(logs.resolve("bundle.tar.gz"), gzip(tar("a/one.log", ScanCommandTest.TWO_CRASHES, "b.log", ScanCommandTest.TWO_CRASHES)));
    byte[] big = gzip(ScanCommandTest.TWO_CRASHES.repeat(200).getBytes(StandardCharsets.UTF_8));
    Path truncated = Files.write(logs.resolve("truncated.log.gz"), Arrays.copyOf(big, big.length / 2));
    Path loop = Files.createSymbolicLink(logs.resolve("loop.log"), logs.resolve("loop.log"));
    Path crash = Files.createDirectories(logs.resolve("workdir/crashes/" + ID));
    Files.writeString(crash.resolve("description"), TITLE + "\n");
    Files.writeString(crash.resolve("log0"), ScanCommandTest.TWO_CRASHES);
    Files.writeString(crash.resolve("tag0"), "abcdef012345\n");

    CliRun run = CliRun.of("scan", "--json", logs.toString());
    assertEquals(1, run.exitCode(), run.err());
    List<JsonNode> records = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      records.add(new ObjectMapper().readTree(line));
    }
    List<String> sources = records.stream().map(r -> r.get("source").asText()).distinct().sorted().toList();
    assertEquals(
        List.of(logs + "/bundle.tar.gz!/a/one.log", logs + "/bundle.tar.gz!/b.log", logs + "/good.log", crash + "/log0"),
        sources);
    assertEquals(8, records.size());
    List<String> errors = run.err().lines().filter(l -> !l.contains(": skipped: ")).toList();
    assertEquals(2, errors.size(), run.err());
    assertTrue(errors.contains("crashdex: " + loop + ": symbolic link loop"), run.err());
    assertTrue(errors.stream().anyMatch(l -> l.startsWith("crashdex: " + truncated + ": truncated gzip data")), run.err());

    JsonNode fromCrashDir = records.stream().filter(r -> r.get("source").asText().endsWith("/log0")).findFirst().orElseThrow();
    JsonNode w = fromCrashDir.get("workdir");
    assertEquals(ID, w.get("crashId").asText());
    assertEquals(TITLE, w.get("description").asText());
    assertEquals("abcdef012345", w.get("tag").asText());
    assertEquals(0, w.get("occurrence").asInt());
    assertEquals("log", w.get("file").asText());
    assertEquals(!TITLE.equals(fromCrashDir.get("title").asText()), w.get("titleDiffers").asBoolean());
    assertTrue(w.get("time").asText().endsWith("Z"));
    assertFalse(records.stream().filter(r -> !r.get("source").asText().endsWith("/log0")).anyMatch(r -> r.has("workdir")));
  }

  @Test
  void onlyBadInputsIsFailure() throws Exception {
    byte[] big = gzip(ScanCommandTest.TWO_CRASHES.repeat(50).getBytes(StandardCharsets.UTF_8));
    Path truncated = Files.write(dir.resolve("t.gz"), Arrays.copyOf(big, big.length - 30));
    CliRun run = CliRun.of("scan", truncated.toString(), dir.resolve("missing.log").toString());
    assertEquals(3, run.exitCode());
    assertEquals("", run.out());
    assertEquals(2, run.err().lines().count(), run.err());
  }

  @Test
  void helpDocumentsTheExitCodes() {
    CliRun run = CliRun.of("scan", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("1  partial"), run.out());
    assertTrue(run.out().contains(".tar.zst"), run.out());
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] tar(String... pathsAndTexts) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (int i = 0; i < pathsAndTexts.length; i += 2) {
        byte[] content = pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(pathsAndTexts[i]);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
