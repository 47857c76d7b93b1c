package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.crashdex.testing.RandomText;

class LogHarvesterTest {
  static LogHarvester harvest(String text) {
    return harvestAlone(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The harvester given every line of {@code b} directly, without the full-text pass. */
  static LogHarvester harvestAlone(byte[] b) {
    LogHarvester h = new LogHarvester();
    for (int start = 0; start < b.length; ) {
      int nl = start;
      while (nl < b.length && b[nl] != '\n') {
        nl++;
      }
      h.line(b, start, nl);
      start = nl + 1;
    }
    return h;
  }

  @Test
  void functionsFromEveryFrameShape() {
    LogHarvester h =
        harvest(
            """
            [   11.0][ T100] RIP: 0010:tcp_close+0x12/0x40 net/ipv4/tcp.c:2900
             __dump_stack lib/dump_stack.c:77 [inline]
             ? inet_release.isra.0+0x10/0x20
            [<8010f4d4>] (unwind_backtrace) from [<8010b0e0>] (show_stack+0x10/0x14)
            RIP: 0033:0x4a6f7d
            """);
    assertEquals(
        Set.of("tcp_close", "__dump_stack", "inet_release.isra.0", "inet_release", "unwind_backtrace", "show_stack"),
        h.functions);
  }

  @Test
  void commitsAndSignatures() {
    String commit = "6abab1b81b657ca74b7c443e832d95c87901e75b";
    String sig = "6eec58f6901f407be8c84e72022af0139b6bc5a808ba274eb73d5b6e38ffd4d9";
    LogHarvester h =
        harvest(
            "bisecting cause commit starting from " + commit.toUpperCase() + "\n"
                + "kernel signature: " + sig + "\n"
                + "culprit signature: " + sig.substring(0, 40) + "\n"
                + "not a hash: x" + commit + " " + commit + "0\n");
    assertEquals(List.of(commit), List.copyOf(h.commits));
    assertEquals(List.of(sig, sig.substring(0, 40)), List.copyOf(h.signatures));
    assertTrue(h.functions.isEmpty());
  }

  /** What the indexer harvests: lines handed over by the full-text pass. */
  static LogHarvester harvestWhileTokenising(byte[] b) {
    LogHarvester h = new LogHarvester();
    new TextDigest().read(MemorySegment.ofArray(b), b.length, h);
    return h;
  }

  static void assertSameHarvest(byte[] b, String what) {
    LogHarvester alone = harvestAlone(b);
    LogHarvester fed = harvestWhileTokenising(b);
    assertEquals(List.copyOf(alone.functions), List.copyOf(fed.functions), what);
    assertEquals(List.copyOf(alone.commits), List.copyOf(fed.commits), what);
    assertEquals(List.copyOf(alone.signatures), List.copyOf(fed.signatures), what);
  }

  @Test
  void linesFedByTheTokeniserHarvestAsAStandaloneReadDoes() {
    String commit = "6abab1b81b657ca74b7c443e832d95c87901e75b";
    java.util.Random random = new java.util.Random(7);
    String[] pieces = {
      " tcp_close+0x12/0x40\n", "Code: 48 89 e5\n", "RAX: ffffffffffffffda RBX: 0000\n", "kernel signature: " + commit + "ff\n",
      "testing commit " + commit + "\r\n", " __dump_stack lib/dump_stack.c:77 [inline]\n", "[<8010f4d4>] (unwind_backtrace) from [<80>]\n",
      "x".repeat(5000), "run #0: OK\n", "run #1: OK\n", "[  11.0][ T1] ", " ? inet_release.isra.0+0x10/0x20\r\n", "\n"
    };
    for (int round = 0; round < 300; round++) {
      String t = RandomText.of(random, pieces, 200);
      assertSameHarvest(t.getBytes(StandardCharsets.ISO_8859_1), t);
    }
  }

  @Test
  void corpusRecordsHarvestAlikeEitherWay() throws Exception {
    java.nio.file.Path root = org.crashdex.testing.Corpus.root();
    List<java.nio.file.Path> files;
    try (var walk = java.nio.file.Files.walk(root)) {
      files = walk.filter(java.nio.file.Files::isRegularFile).sorted().toList();
    }
    int records = 0;
    for (java.nio.file.Path f : files) {
      byte[] all = java.nio.file.Files.readAllBytes(f);
      List<long[]> spans = new java.util.ArrayList<>();
      org.crashdex.scan.RecordScanner.scan(MemorySegment.ofArray(all), (offset, length, kind) -> spans.add(new long[] {offset, length}));
      for (long[] span : spans) {
        assertSameHarvest(java.util.Arrays.copyOfRange(all, (int) span[0], (int) (span[0] + span[1])), f + "@" + span[0]);
        records++;
      }
    }
    assertTrue(records > 1000, "records: " + records);
  }

  @Test
  void shapesAreFoundAtEveryOffsetOfALine() {
    // Lines are mapped 64 bytes at a time: shapes that straddle a block edge, and lines that end
    // at the very end of their array (no room for a whole block there), must be found all the same.
    String commit = "6abab1b81b657ca74b7c443e832d95c87901e75b";
    for (int pad = 0; pad < 200; pad++) {
      String line = " ".repeat(pad) + "testing commit " + commit + " with (cpu_fn) from ? tcp_close+0x12/0x40 " + "-".repeat(pad % 67);
      byte[] exact = line.getBytes(StandardCharsets.ISO_8859_1);
      LogHarvester h = new LogHarvester();
      h.line(exact, 0, exact.length);
      assertEquals(List.of(commit), List.copyOf(h.commits), line);
      assertEquals(List.of("cpu_fn", "tcp_close"), List.copyOf(h.functions), line);
      LogHarvester whole = harvest(line + "\n");
      assertEquals(h.commits, whole.commits, line);
      assertEquals(h.functions, whole.functions, line);
    }
  }

  @Test
  void aLongHexRunIsASignatureExactlyWhenItsLineSaysSignature() {
    java.util.Random random = new java.util.Random(11);
    String hash = "0123456789abcdef0123456789abcdef";
    String[] words = {"signature", "signatur", "ignature", "sig", "s", "kernel", ":", " ", "  ", "ssignature", "x".repeat(7)};
    for (int round = 0; round < 2000; round++) {
      StringBuilder line = new StringBuilder();
      for (int i = random.nextInt(8); i > 0; i--) {
        line.append(words[random.nextInt(words.length)]);
      }
      int at = random.nextInt(line.length() + 1);
      line.insert(at, " " + hash + " ");
      for (int i = random.nextInt(4); i > 0; i--) {
        line.append(words[random.nextInt(words.length)]);
      }
      LogHarvester h = harvest(line + "\n");
      assertEquals(line.toString().contains("signature") ? List.of(hash) : List.of(), List.copyOf(h.signatures), line.toString());
    }
  }
}
