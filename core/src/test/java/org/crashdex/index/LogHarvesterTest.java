package org.crashdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogHarvesterTest {
  static LogHarvester harvest(String text) {
    LogHarvester h = new LogHarvester();
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    h.harvest(MemorySegment.ofArray(b), b.length);
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
}
