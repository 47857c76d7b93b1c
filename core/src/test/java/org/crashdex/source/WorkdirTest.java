package org.crashdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.crashdex.source.archive.Compression;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirTest {
  @TempDir Path dir;

  static final String TITLE = "KASAN: use-after-free Read in tcp_close";
  static final String ID = "4f6a1c3f0e7c9b2a1d5e8f7a6b5c4d3e2f1a0b9c";
  Path crash;

  @BeforeEach
  void workdir() throws Exception {
    crash = Files.createDirectories(dir.resolve("workdir/crashes/" + ID));
    Files.writeString(crash.resolve("description"), TITLE + "\n");
    Files.writeString(crash.resolve("log0"), ArchiveWalkTest.CRASH);
    Files.writeString(crash.resolve("report0"), ArchiveWalkTest.CRASH);
    Files.writeString(crash.resolve("tag0"), "6ecd3a2f1b7c\n");
    Files.writeString(crash.resolve("log1"), ArchiveWalkTest.OTHER);
    Files.writeString(crash.resolve("machineInfo0"), "CPU: 2 x Intel\n");
    Files.writeString(crash.resolve("repro.prog"), "r0 = socket$inet_tcp(0x2, 0x1, 0x0)\n");
    Files.writeString(crash.resolve("title-stat"), "{}\n");
    byte[] core = new byte[16384];
    core[0] = 0x7F;
    Files.write(crash.resolve("vmcore"), core);
    Files.setLastModifiedTime(crash.resolve("log1"), FileTime.fromMillis(1_600_000_000_000L));
    // A "log0" outside a crash directory is an ordinary file.
    Files.writeString(dir.resolve("workdir/log0"), ArchiveWalkTest.OTHER);
  }

  @Test
  void logsAndReportsCarryTheirCrashDirectory() throws Exception {
    Recorder r = Recorder.walk(dir.resolve("workdir"));
    Map<String, Recorder.Piece> byFile = r.pieces.stream()
        .collect(Collectors.toMap(p -> Path.of(p.name()).getFileName().toString() + (p.crash() == null ? "-plain" : ""), Function.identity()));
    assertEquals(Map.of("log0", 0, "report0", 0, "log1", 0, "log0-plain", 0).keySet(), byFile.keySet());
    assertEquals(new WorkdirCrash(ID, TITLE, "6ecd3a2f1b7c", 0, "log"), byFile.get("log0").crash());
    assertEquals(new WorkdirCrash(ID, TITLE, "6ecd3a2f1b7c", 0, "report"), byFile.get("report0").crash());
    assertEquals(new WorkdirCrash(ID, TITLE, null, 1, "log"), byFile.get("log1").crash());
    assertEquals(1_600_000_000_000L, byFile.get("log1").modifiedMillis());
    for (String f : List.of("description", "tag0", "machineInfo0", "repro.prog", "title-stat", "vmcore")) {
      assertTrue(r.skipped.containsKey(crash.resolve(f).toString()), f + " " + r.skipped);
    }
    assertTrue(r.skipped.get(crash.resolve("vmcore").toString()).contains("memory dump"));
    assertTrue(r.failed.isEmpty());
  }

  @Test
  void titleDiffersSaysWhenTheRecomputedTitleIsAnother() {
    WorkdirCrash c = new WorkdirCrash(ID, TITLE, null, 0, "log");
    assertFalse(c.titleDiffers(TITLE));
    assertTrue(c.titleDiffers("WARNING in dev_close"));
    assertTrue(c.titleDiffers(null));
  }

  @Test
  void aTarredWorkdirGivesTheSameCrashInfo() throws Exception {
    Path tar = dir.resolve("workdir.tar.gz");
    Packing.tarDirectory(dir.resolve("workdir"), Compression.GZIP, tar);
    Recorder plain = Recorder.walk(dir.resolve("workdir"));
    Recorder packed = Recorder.walk(tar);
    Map<String, WorkdirCrash> expected = plain.pieces.stream().filter(p -> p.crash() != null)
        .collect(Collectors.toMap(p -> dir.resolve("workdir").relativize(Path.of(p.name())).toString(), Recorder.Piece::crash));
    Map<String, WorkdirCrash> actual = packed.pieces.stream().filter(p -> p.crash() != null)
        .collect(Collectors.toMap(p -> p.name().substring(p.name().indexOf("!/") + 2), Recorder.Piece::crash));
    assertEquals(expected, actual);
    assertEquals(4, packed.pieces.size());
    assertTrue(packed.skipped.get(tar + "!/crashes/" + ID + "/vmcore").contains("memory dump"));
  }

  @Test
  void metadataAfterTheLogsInANestedTarballStillReachesThem() throws Exception {
    String d = "w/crashes/" + ID + "/";
    byte[] inner = Packing.tar(Packing.members(
        d + "log3", ArchiveWalkTest.CRASH, d + "tag3", "v6.9-rc1\n", d + "machineInfo3", "x\n", d + "description", TITLE + "\n",
        "other.log", ArchiveWalkTest.OTHER));
    Path outer = Files.write(dir.resolve("outer.tar.gz"), Packing.compress(Compression.GZIP,
        Packing.tar(Packing.members("first.log", ArchiveWalkTest.OTHER, "inner.tar", inner))));
    Recorder r = Recorder.walk(outer);
    String log = outer + "!/inner.tar!/" + d + "log3";
    assertEquals(List.of(outer + "!/first.log", outer + "!/inner.tar!/other.log", log), r.names(), "deferred to a second pass");
    assertEquals(new WorkdirCrash(ID, TITLE, "v6.9-rc1", 3, "log"), r.pieces.getLast().crash());
    assertEquals(ArchiveWalkTest.CRASH, r.text(log));
    assertEquals(3, r.finished.size());
    assertEquals(3, r.skipped.size(), r.skipped.toString());
  }

  @Test
  void plainLogNamedLikeAnOccurrenceHasNoCrashInfo() throws Exception {
    Recorder r = Recorder.walk(dir.resolve("workdir/log0"));
    assertNull(r.pieces.getFirst().crash());
  }
}
