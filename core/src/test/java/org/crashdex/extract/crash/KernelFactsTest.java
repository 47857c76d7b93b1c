package org.crashdex.extract.crash;

import static org.crashdex.extract.crash.StackFramesTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class KernelFactsTest {

  @Test
  void taintedX86Report() throws IOException {
    KernelFacts k = KernelFacts.of(fixture("x86-kasan.txt"));
    assertEquals("5.7.0-rc5-syzkaller", k.kernel());
    assertEquals("syz-executor.0", k.comm());
    assertEquals(8377, k.pid());
    assertEquals(1, k.cpu());
    assertEquals("G W", k.tainted());
    assertEquals("Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011", k.hardware());
    assertTrue(k.panicked());
  }

  @Test
  void newerTaskLineWithUidAndNoTaint() throws IOException {
    KernelFacts k = KernelFacts.of(fixture("arm64-warning.txt"));
    assertEquals("6.12.0-rc3-syzkaller-00044-gc964ced77262", k.kernel());
    assertEquals("kworker/0:2", k.comm());
    assertEquals(5829, k.pid());
    assertEquals(0, k.cpu());
    assertNull(k.tainted());
    assertEquals("linux,dummy-virt (DT)", k.hardware());
    assertFalse(k.panicked());
  }

  @Test
  void severalTaintFlagsAreJoinedBySingleSpaces() throws IOException {
    KernelFacts k = KernelFacts.of(fixture("arm32.txt"));
    assertEquals("G B W", k.tainted());
    assertEquals("5.10.0", k.kernel());
    assertEquals("syz-executor", k.comm());
  }

  @Test
  void oldKernelWithoutTimestamps() throws IOException {
    KernelFacts k = KernelFacts.of(fixture("old-x86.txt"));
    assertEquals("4.14.0-rc3+", k.kernel());
    assertEquals("syzkaller012345", k.comm());
    assertEquals(3185, k.pid());
    assertEquals(1, k.cpu());
    assertEquals("QEMU Standard PC (i440FX + PIIX, 1996), BIOS Bochs 01/01/2011", k.hardware());
  }

  @Test
  void taskLinesBeforeTheReportAreNotItsOwn() {
    String log =
        """
        CPU: 3 PID: 11 Comm: earlier Not tainted 5.1.0 #1
        Hardware name: Earlier Machine
        BUG: soft lockup - CPU#0 stuck for 22s! [syz-executor2:7067]
        CPU: 0 PID: 7067 Comm: syz-executor2 Not tainted 5.2.0 #3
        Kernel panic - not syncing: softlockup: hung tasks
        """;
    var lines = ReportText.lines(log);
    KernelFacts k = KernelFacts.of(lines, 2);
    assertEquals(7067, k.pid());
    assertEquals("5.2.0", k.kernel());
    assertNull(k.hardware());
    assertTrue(k.panicked());
    assertEquals(11, KernelFacts.of(lines, 0).pid());
  }

  @Test
  void kdumpMarkerIsNotPartOfTheTaskName() {
    KernelFacts k = KernelFacts.of("CPU: 185 PID: 11718 Comm: dbus-daemon Kdump: loaded Tainted: G        W         4.20.0-rc2+ #4");
    assertEquals("dbus-daemon", k.comm());
    assertEquals("G W", k.tainted());
    assertEquals("4.20.0-rc2+", k.kernel());
    assertEquals(185, k.cpu());
  }

  @Test
  void truncatedTaskLineKeepsWhatItHas() {
    KernelFacts k = KernelFacts.of("CPU: 2 PID: 42 Comm: kworker/2:1");
    assertEquals(2, k.cpu());
    assertEquals(42, k.pid());
    assertEquals("kworker/2:1", k.comm());
    assertNull(k.kernel());
    assertNull(k.tainted());
  }

  @Test
  void noTaskLineGivesNulls() {
    KernelFacts k = KernelFacts.of("INFO: task syz-executor:123 blocked for more than 143 seconds.\n");
    assertNull(k.kernel());
    assertNull(k.comm());
    assertNull(k.pid());
    assertNull(k.cpu());
    assertFalse(k.panicked());
  }
}
