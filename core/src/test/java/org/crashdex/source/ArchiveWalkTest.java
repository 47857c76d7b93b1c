package org.crashdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.crashdex.scan.RecordKind;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSpan;
import org.crashdex.source.archive.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchiveWalkTest {
  @TempDir Path dir;

  static final String CRASH =
      """
      [   11.000000][ T100] syz-executor: executing program
      [   11.000001][ T100] BUG: KASAN: use-after-free in tcp_close+0x12/0x40
      [   11.000002][ T100] Read of size 8 at addr ffff888012345678 by task syz-executor.0/100
      [   11.000003][ T100] Call Trace:
      [   11.000004][ T100]  tcp_close+0x12/0x40 net/ipv4/tcp.c:2900
      [   11.000005][ T100]  inet_release+0x10/0x20 net/ipv4/af_inet.c:428
      """;

  static final String OTHER =
      """
      [   20.000000][ T200] WARNING: CPU: 1 PID: 200 at net/core/dev.c:10 dev_close+0x1/0x2
      [   20.000001][ T200] RIP: 0010:dev_close+0x1/0x2 net/core/dev.c:10
      [   20.000002][ T200] Call Trace:
      [   20.000003][ T200]  dev_close+0x1/0x2 net/core/dev.c:10
      """;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressedFileIsReadUnderItsOwnName(Compression c) throws Exception {
    Path file = Files.write(dir.resolve("console.log" + suffix(c)), Packing.compress(c, bytes(CRASH)));
    Recorder r = Recorder.walk(file);
    assertEquals(List.of(file.toString()), r.names());
    assertEquals(CRASH, r.text(file.toString()));
    assertEquals(List.of(file.toString()), r.finished);
    assertEquals(1, r.records.get(file.toString()).size());
    assertTrue(r.failed.isEmpty(), r.failed.toString());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressionIsRecognisedByContentWhateverTheName(Compression c) throws Exception {
    Path file = Files.write(dir.resolve("console-" + c), Packing.compress(c, bytes(CRASH)));
    Recorder r = Recorder.walk(file);
    assertEquals(CRASH, r.text(file.toString()));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressedTarballMembersAreNamedAfterTheArchive(Compression c) throws Exception {
    byte[] tar = Packing.tar(Packing.members("./logs/a.log", CRASH, "logs/b.log", OTHER, "empty.log", ""));
    Path file = Files.write(dir.resolve("logs.tar" + suffix(c)), Packing.compress(c, tar));
    Recorder r = Recorder.walk(file);
    String a = file + "!/logs/a.log";
    String b = file + "!/logs/b.log";
    assertEquals(List.of(a, b), r.names());
    assertEquals(CRASH, r.text(a));
    assertEquals(OTHER, r.text(b));
    assertEquals(List.of(a, b), r.finished);
    assertEquals("empty", r.skipped.get(file + "!/empty.log"));
    assertEquals(1_700_000_000_000L, r.pieces.get(0).modifiedMillis());
  }

  @Test
  void nestedArchivesNameEveryLevel() throws Exception {
    byte[] inner = Packing.compress(Compression.GZIP, Packing.tar(Packing.members("c.log", CRASH)));
    byte[] outer = Packing.tar(Packing.members(
        "b.tar.gz", inner,
        "d.log.xz", Packing.compress(Compression.XZ, bytes(OTHER)),
        "e.log.zst.bz2", Packing.compress(Compression.BZIP2, Packing.compress(Compression.ZSTD, bytes(OTHER)))));
    Path file = Files.write(dir.resolve("a.tar"), outer);
    Recorder r = Recorder.walk(file);
    assertEquals(List.of(file + "!/b.tar.gz!/c.log", file + "!/d.log.xz", file + "!/e.log.zst.bz2"), r.names());
    assertEquals(CRASH, r.text(file + "!/b.tar.gz!/c.log"));
    assertEquals(OTHER, r.text(file + "!/e.log.zst.bz2"));
  }

  @Test
  void binaryMemberIsSkippedAndTheNextOneRead() throws Exception {
    byte[] binary = new byte[20_000];
    new java.util.Random(1).nextBytes(binary);
    byte[] tar = Packing.tar(Packing.members("vmlinux", binary, "z.log", CRASH));
    Path file = Files.write(dir.resolve("x.tar.zst"), Packing.compress(Compression.ZSTD, tar));
    Recorder r = Recorder.walk(file);
    assertTrue(r.skipped.get(file + "!/vmlinux").contains("binary"));
    assertEquals(CRASH, r.text(file + "!/z.log"));
  }

  @Test
  void truncatedCompressedFileFailsAloneAndHandsOverNothing() throws Exception {
    byte[] big = bytes(CRASH.repeat(2000));
    byte[] gz = Packing.compress(Compression.GZIP, big);
    Path bad = Files.write(dir.resolve("bad.log.gz"), Arrays.copyOf(gz, gz.length / 2));
    Path good = Files.writeString(dir.resolve("good.log"), OTHER);
    Recorder r = Recorder.walk(dir);
    assertTrue(r.failed.get(bad.toString()).startsWith("truncated gzip data"), r.failed.toString());
    assertEquals(1, r.failed.size());
    assertEquals(List.of(good.toString()), r.names(), "nothing of the truncated file handed over");
    assertEquals(List.of(good.toString()), r.finished);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void corruptCompressedDataIsOneFailure(Compression c) throws Exception {
    byte[] packed = Packing.compress(c, bytes(CRASH.repeat(500)));
    for (int i = packed.length / 3; i < packed.length / 3 + 64; i++) {
      packed[i] ^= 0x5A;
    }
    Path bad = Files.write(dir.resolve("bad" + suffix(c)), packed);
    Recorder r = Recorder.walk(bad);
    assertEquals(1, r.failed.size(), r.failed.toString());
    assertTrue(r.failed.get(bad.toString()).contains(c.label() + " data"), r.failed.toString());
    assertTrue(r.finished.isEmpty());
  }

  @Test
  void truncatedTarballKeepsWholeMembersAndFailsTheOneBeingRead() throws Exception {
    byte[] big = bytes(CRASH.repeat(3000));
    byte[] tar = Packing.tar(Packing.members("1.log", CRASH, "2.log", big, "3.log", OTHER));
    byte[] zst = Packing.compress(Compression.ZSTD, tar);
    // Cut inside 2.log: zstd frames are not seekable, but 2.log is most of the archive.
    Path file = Files.write(dir.resolve("t.tar.zst"), Arrays.copyOf(zst, zst.length * 2 / 3));
    Recorder r = Recorder.walk(file);
    assertEquals(List.of(file + "!/1.log"), r.finished);
    assertEquals(1, r.failed.size(), r.failed.toString());
    String message = r.failed.get(file + "!/2.log");
    assertTrue(message.startsWith("truncated zstd data") && message.endsWith("the rest of " + file + " was not read"), message);
    assertFalse(r.names().contains(file + "!/2.log"));
  }

  @Test
  void corruptMemberOfAGoodTarballFailsAloneAndTheNextIsRead() throws Exception {
    byte[] gz = Packing.compress(Compression.GZIP, bytes(CRASH.repeat(100)));
    byte[] tar = Packing.tar(Packing.members("bad.log.gz", Arrays.copyOf(gz, gz.length - 20), "next.log", OTHER));
    Path file = Files.write(dir.resolve("t.tar"), tar);
    Recorder r = Recorder.walk(file);
    assertTrue(r.failed.get(file + "!/bad.log.gz").startsWith("truncated gzip data"), r.failed.toString());
    assertEquals(List.of(file + "!/next.log"), r.finished);
  }

  @Test
  void misnamedFileIsReadByWhatItIs() throws Exception {
    Path text = Files.writeString(dir.resolve("plain.log.gz"), CRASH);
    Path garbage = Files.write(dir.resolve("garbage.gz"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0});
    Recorder r = Recorder.walk(dir);
    assertEquals(CRASH, r.text(text.toString()));
    assertEquals("not gzip data, though named so", r.failed.get(garbage.toString()));
  }

  @Test
  void largeMembersArriveInPiecesThatScanLikeTheWhole() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      log.append(i % 3 == 0 ? CRASH : OTHER).append("[   30.000000] some chatter line ").append(i).append('\n');
    }
    byte[] bytes = bytes(log.toString());
    Path file = Files.write(dir.resolve("big.log.gz"), Packing.compress(Compression.GZIP, bytes));
    Recorder r = Recorder.walk(new ReadLimits(8192, 0), file);
    assertTrue(r.pieces.size() > 10, "pieces: " + r.pieces.size());
    assertTrue(r.pieces.getLast().last() && r.pieces.stream().filter(Recorder.Piece::last).count() == 1);
    for (Recorder.Piece p : r.pieces) {
      assertTrue(p.bytes().length <= 8192);
    }
    assertEquals(log.toString(), r.text(file.toString()));
    List<RecordSpan> whole = RecordScanner.scan(java.lang.foreign.MemorySegment.ofArray(bytes));
    assertEquals(whole, r.records.get(file.toString()));
    assertEquals(300, whole.size());
    assertTrue(whole.stream().allMatch(s -> s.kind() == RecordKind.CRASH));
  }

  @Test
  void plainFilesStillMapAndGiveCrashInfoNull() throws Exception {
    Path file = Files.writeString(dir.resolve("console.log"), CRASH);
    Recorder r = Recorder.walk(new ReadLimits(8192, -1), file);
    assertEquals(CRASH, r.text(file.toString()));
    assertNull(r.pieces.get(0).crash());
    assertEquals(List.of(file.toString()), r.finished);
  }

  static String suffix(Compression c) {
    return switch (c) {
      case GZIP -> ".gz";
      case XZ -> ".xz";
      case ZSTD -> ".zst";
      case BZIP2 -> ".bz2";
    };
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
