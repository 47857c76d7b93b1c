package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.junit.jupiter.api.Test;
import org.crashdex.testing.RandomText;

class LogAnalyzerTest {

  static List<String> queryTokens(String text) throws IOException {
    try (LogAnalyzer a = new LogAnalyzer(); TokenStream ts = a.tokenStream("text", text)) {
      return drain(ts);
    }
  }

  static List<String> indexTokens(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TextDigest digest = new TextDigest(); // the full text's words: each distinct one once
    digest.read(MemorySegment.ofArray(bytes), bytes.length);
    try (TokenStream ts = digest.words()) {
      return drain(ts);
    }
  }

  /** The index side's words in order, each repeated line left out (before words are made distinct). */
  static List<String> lineTokens(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    LogTokens tokens = new LogTokens(true);
    tokens.reset(MemorySegment.ofArray(bytes), bytes.length);
    List<String> out = new ArrayList<>();
    while (tokens.next()) {
      out.add(new String(tokens.token(), 0, tokens.tokenLength(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> distinct(List<String> words) {
    return List.copyOf(new java.util.LinkedHashSet<>(words));
  }

  static List<String> drain(TokenStream ts) throws IOException {
    TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
    List<String> out = new ArrayList<>();
    ts.reset();
    while (ts.incrementToken()) {
      out.add(term.getBytesRef().utf8ToString());
    }
    ts.end();
    return out;
  }

  @Test
  void framesYieldTheirFunctionWithoutOffsets() throws IOException {
    assertEquals(List.of("__x64_sys_getsockopt"), indexTokens(" __x64_sys_getsockopt+0xb5/0x150"));
    assertEquals(
        List.of("rip", "0010", "tcp_close", "net", "ipv4", "tcp", "c", "2900"),
        indexTokens("RIP: 0010:tcp_close+0x12/0x40 net/ipv4/tcp.c:2900"));
  }

  @Test
  void addressesHashesAndRegisterDumpsStayOut() throws IOException {
    String log =
        """
        [  772.920727][ T5120] BUG: KASAN: use-after-free in hci_uart_tty_close+0x1e4/0x290
        [  772.920728][ T5120] Read of size 8 at addr ffff88801d6b4a18 by task syz-executor.0/5120
        RAX: ffffffffffffffda RBX: 00007f3c2d5a5f80 RCX: 00007f3c2d48e0a9
        R10: 0000000020000000 R11: 0000000000000246 R12: 00007f3c2d4e9ae0
        RSP: 0018:ffffc9000337fb18 EFLAGS: 00010246
        x29: ffff80001234 x28: 0000000000000000
        Code: 48 89 e5 41 57 41 56 <0f> 0b 48 c7 c7
        kernel signature: 6eec58f6901f407be8c84e72022af0139b6bc5a808ba274eb73d5b6e38ffd4d9
        pc : __dabt_handler+0x10/0x20
        """;
    List<String> tokens = indexTokens(log);
    assertTrue(tokens.containsAll(List.of("bug", "kasan", "use", "after", "free", "hci_uart_tty_close", "syz", "executor", "__dabt_handler")), tokens.toString());
    for (String t : tokens) {
      assertFalse(t.startsWith("0x") || t.equals("ffff88801d6b4a18") || t.startsWith("6eec58f6"), "kept " + t);
      assertFalse(List.of("rax", "rbx", "r10", "rsp", "x29", "code", "48", "e5", "772", "920727", "t5120").contains(t), "kept " + t);
    }
  }

  @Test
  void indexAndQuerySidesCutAlike() throws IOException {
    Random random = new Random(42);
    String[] pieces = {"tcp_close", "+0x12/0x40", " ", "\n", "[  1.5][ T1] ", "RAX: ffff8880 ", "Code: 48 ", "é", "use-after-free", "0xdead", "ffffffff81234567", "KASAN:", "\r\n", "x"};
    for (int round = 0; round < 200; round++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        String piece = pieces[random.nextInt(pieces.length)];
        // every line ends in a word of its own, since the index side indexes a repeated line once
        b.append(piece.endsWith("\n") ? " w" + letters(i) + "w" + piece : piece);
      }
      assertEquals(queryTokens(b.toString()), lineTokens(b.toString()), b.toString());
      assertEquals(distinct(queryTokens(b.toString())), indexTokens(b.toString()), b.toString());
    }
  }

  @Test
  void tokensAcrossBlockEdgesAndLongLinesCutAlike() throws IOException {
    // The index side finds a line's tokens 64 bytes at a time: tokens that straddle a block, run
    // through a whole one, are too long to keep, or end the input; lines near the de-dup limit.
    Random random = new Random(7);
    String[] pieces = {
      "a".repeat(63), "b".repeat(64), "c".repeat(65), "Zz".repeat(70), "q".repeat(256), "r".repeat(255),
      "0x" + "1".repeat(70), "f".repeat(64), "9".repeat(12), "abcdef12", "abcdefabcdef", "éé", " ", "  ", "-", "_", "\n"
    };
    for (int round = 0; round < 300; round++) {
      StringBuilder b = new StringBuilder();
      int line = 0;
      for (int i = random.nextInt(80); i > 0; i--) {
        String piece = pieces[random.nextInt(pieces.length)];
        b.append(piece.equals("\n") ? " w" + letters(line++) + "w\n" : piece);
      }
      if (random.nextBoolean()) {
        b.append(" w").append(letters(line)).append("w");
      }
      assertEquals(queryTokens(b.toString()), lineTokens(b.toString()), b.toString());
    }
  }

  @Test
  void wordHashesFromTheLinePassAreTheWordsHashes() {
    Random random = new Random(3);
    String[] pieces = {"tcp_close", "+0x12/0x40", " ", "\n", "Use", "AFTER", "free", "12345678", "x", "_", "a".repeat(9), "B".repeat(16), "é", ":"};
    int hashed = 0;
    for (int round = 0; round < 300; round++) {
      String text = RandomText.of(random, pieces, 60);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      LogTokens tokens = new LogTokens(true);
      tokens.reset(MemorySegment.ofArray(bytes), bytes.length);
      while (tokens.next()) {
        if (tokens.tokenHashed()) {
          hashed++;
          assertEquals(PhrasePairs.wordHash(tokens.token(), 0, tokens.tokenLength()), tokens.tokenHash(), text);
        }
      }
    }
    assertTrue(hashed > 1000, "hashed tokens: " + hashed);
  }

  @Test
  void indexSideIndexesARepeatedLineOnce() throws IOException {
    assertEquals(List.of("run", "0", "ok", "run", "0", "crashed", "all", "runs", "ok"),
        lineTokens("run #0: OK\nrun #1: OK\nrun #0: crashed\nrun #17: OK\nall runs: OK\n"));
    assertEquals(15, queryTokens("run #0: OK\nrun #1: OK\nrun #0: crashed\nrun #17: OK\nall runs: OK\n").size());
  }

  @Test
  void aRepeatedLineIsOneWithTheSameWordsWhateverTheNumbersAndAddresses() throws IOException {
    String log =
        """
        kobject: 'loop0' (ffff88003adac160): kobject_uevent_env
        kobject: 'loop0' (ffff88803bdac170): kobject_uevent_env
        kobject: 'loop1' (ffff88003adac160): kobject_uevent_env
        [  12.5] sha256_update+0x1/0x20 crypto/sha256.c:12
        [  13.7] sha512_update+0x1/0x20 crypto/sha512.c:12
        [  14.1] sha512_update+0x9/0x40 crypto/sha512.c:99
        """;
    assertEquals(
        List.of("kobject", "loop0", "kobject_uevent_env", "kobject", "loop1", "kobject_uevent_env",
            "sha256_update", "crypto", "sha256", "c", "12", "sha512_update", "crypto", "sha512", "c", "12"),
        lineTokens(log));
    assertEquals(
        List.of("kobject", "loop0", "kobject_uevent_env", "loop1", "sha256_update", "crypto", "sha256", "c", "12",
            "sha512_update", "sha512"),
        indexTokens(log));
  }

  @Test
  void longInputStreamsAcrossBufferRefills() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      b.append(" func_").append(letters(i)).append("+0x1/0x2\n");
    }
    List<String> tokens = indexTokens(b.toString());
    assertEquals(20_000, tokens.size());
    assertEquals("func_" + letters(12345), tokens.get(12345));
    assertEquals(tokens, queryTokens(b.toString()));
  }

  /** {@code i} in letters: lines that differ only in digits count as repeats on the index side. */
  private static String letters(int i) {
    return Integer.toString(i, 10).chars().mapToObj(c -> String.valueOf((char) ('a' + c - '0'))).reduce("", String::concat);
  }

  @Test
  void overlongTokensAreDropped() throws IOException {
    assertEquals(List.of("a", "b"), indexTokens("a " + "z".repeat(100_000) + " b"));
  }
}
