package org.crashdex.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.crashdex.scan.RecordSpan;
import org.crashdex.source.archive.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceOpenerTest {
  @TempDir Path dir;

  static final String LOG = ArchiveWalkTest.OTHER + "chatter\n" + ArchiveWalkTest.CRASH + "more chatter\n";

  @Test
  void everyRecordReadsBackFromPlainCompressedAndNestedSources() throws Exception {
    Files.writeString(dir.resolve("plain.log"), LOG);
    Files.write(dir.resolve("c.log.xz"), Packing.compress(Compression.XZ, bytes(LOG)));
    byte[] inner = Packing.compress(Compression.ZSTD, Packing.tar(Packing.members("deep/c.log", LOG, "other.log", "x\n")));
    Files.write(dir.resolve("a.tar.gz"), Packing.compress(Compression.GZIP, Packing.tar(Packing.members(
        "first.log", ArchiveWalkTest.CRASH, "b.tar.zst", inner, "z.log.bz2", Packing.compress(Compression.BZIP2, bytes(LOG))))));
    Recorder r = Recorder.walk(dir);
    assertEquals(6, r.records.size(), r.records.keySet().toString());
    assertTrue(r.records.get(dir.resolve("a.tar.gz") + "!/b.tar.zst!/other.log").isEmpty());
    int checked = 0;
    for (var e : r.records.entrySet()) {
      byte[] whole = bytes(r.text(e.getKey()));
      for (RecordSpan s : e.getValue()) {
        byte[] expected = Arrays.copyOfRange(whole, (int) s.offset(), (int) s.end());
        assertArrayEquals(expected, SourceOpener.read(e.getKey(), s.offset(), s.length()), e.getKey() + " " + s);
        checked++;
      }
    }
    assertEquals(9, checked);
    assertTrue(r.records.containsKey(dir.resolve("a.tar.gz") + "!/b.tar.zst!/deep/c.log"));
  }

  @Test
  void missingMemberAndShortSourceAreClearErrors() throws Exception {
    Path tar = Files.write(dir.resolve("a.tar"), Packing.tar(Packing.members("x.log", LOG)));
    assertThrows(NoSuchFileException.class, () -> SourceOpener.read(tar + "!/y.log", 0, 1));
    assertThrows(NoSuchFileException.class, () -> SourceOpener.read(dir.resolve("none.tar") + "!/x.log", 0, 1));
    assertThrows(EOFException.class, () -> SourceOpener.read(tar + "!/x.log", LOG.length() - 2, 10));
    assertThrows(EOFException.class, () -> SourceOpener.read(tar.toString(), 1 << 20, 10));
    assertEquals("WARNING", new String(SourceOpener.read(tar + "!/x.log", 22, 7), StandardCharsets.UTF_8));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
