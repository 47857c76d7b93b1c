package org.crashdex.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.crashdex.scan.RecordKind;
import org.junit.jupiter.api.Test;

class RecordExtractorTest {

  static final String BISECTION =
      """
      bisecting cause commit starting from 1111111111111111111111111111111111111111
      building syzkaller on 2222222222222222222222222222222222222222
      testing commit 1111111111111111111111111111111111111111 gcc
      run #0: crashed: kernel BUG at mm/khugepaged.c:LINE!
      # git bisect bad 1111111111111111111111111111111111111111
      revisions tested: 1, total time: 1m2.5s (build: 1m0s, test: 2.5s)
      crash: kernel BUG at mm/khugepaged.c:LINE!
      ------------[ cut here ]------------
      kernel BUG at mm/khugepaged.c:466!
      invalid opcode: 0000 [#1] PREEMPT SMP KASAN
      CPU: 1 PID: 3608 Comm: syz-executor.0 Not tainted 5.18.0-syzkaller #0
      Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011
      RIP: 0010:__khugepaged_enter+0x3a5/0x420 mm/khugepaged.c:466
      Code: 0f 0b e8 aa bb cc dd
      RSP: 0018:ffffc90002f0fd38 EFLAGS: 00010293
      Call Trace:
       <TASK>
       khugepaged_enter_vma+0x1b6/0x1c0 mm/khugepaged.c:490
       do_huge_pmd_anonymous_page+0x1a1/0x1e0 mm/huge_memory.c:780
       handle_mm_fault+0x1c0/0x3c0 mm/memory.c:5040
       </TASK>
      """;

  @Test
  void aBisectionIsTitledByItsCrashLineAndKeepsTheComputedTitleAsAlternative() throws Exception {
    byte[] bytes = BISECTION.getBytes(StandardCharsets.ISO_8859_1);
    ExtractedRecord r = RecordExtractor.extract(MemorySegment.ofArray(bytes), RecordKind.BISECTION);
    String syzbotTitle = "kernel BUG at mm/khugepaged.c:LINE!";
    assertEquals(syzbotTitle, r.title());
    assertEquals(syzbotTitle, r.crash().title());
    assertTrue(r.crash().altTitles().contains("kernel BUG in __khugepaged_enter"), r.crash().altTitles().toString());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(syzbotTitle.getBytes(StandardCharsets.UTF_8))),
        r.crash().crashId());
    assertEquals("BUG", r.crash().type());
    assertEquals("__khugepaged_enter", r.crash().frames().get(0));
    assertEquals("1111111111111111111111111111111111111111", r.bisection().startCommit());
  }

  @Test
  void aCrashRecordKeepsItsComputedTitle() {
    String report = BISECTION.substring(BISECTION.indexOf("------------[ cut here"));
    ExtractedRecord r =
        RecordExtractor.extract(MemorySegment.ofArray(report.getBytes(StandardCharsets.ISO_8859_1)), RecordKind.CRASH);
    assertEquals("kernel BUG in __khugepaged_enter", r.title());
  }
}
