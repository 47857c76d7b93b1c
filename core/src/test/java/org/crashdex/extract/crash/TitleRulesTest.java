package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rules every title shares: normalisation, skipping, prefixes, frames, extractors, types. */
class TitleRulesTest {

  @Test
  void normalisationReplacesWhatVariesBetweenRuns() {
    assertEquals(
        "INFO: Freed in fasync_free_rcu age=NUM cpu=NUM pid=NUM",
        TitleNormalizer.normalize("INFO: Freed in fasync_free_rcu+0x1a/0x30 age=10 cpu=1 pid=123", false));
    assertEquals(
        "KASAN: slab-out-of-bounds in do_con_write.part.NUM at addr ADDR",
        TitleNormalizer.normalize("KASAN: slab-out-of-bounds in do_con_write.part.21 at addr ffff8801d0f8c3c8", false));
    assertEquals(
        "BUG: scheduling while atomic: syz-executor/ADDR",
        TitleNormalizer.normalize("BUG: scheduling while atomic: syz-executor.3/12345/0x00000002", false));
    assertEquals("kernel BUG at net/core/skbuff.c:LINE!", TitleNormalizer.normalize("kernel BUG at net/core/skbuff.c:104!", false));
    assertEquals("connect to IP failed on CPU", TitleNormalizer.normalize("connect to 10.128.0.1 failed on CPU#3", false));
    // Digits inside identifiers survive.
    assertEquals("WARNING in nl802154_del_llsec_key", TitleNormalizer.normalize("WARNING in nl802154_del_llsec_key", false));
  }

  @Test
  void sanitisingCutsAt120BytesAndCleansWhitespace() {
    String cleaned = TitleNormalizer.sanitize("a\tb  c\u0001d" + "x".repeat(200), true);
    assertTrue(cleaned.startsWith("a b cd"));
    // 120 input bytes are read; the collapsed space and the control byte are not written.
    assertEquals(TitleNormalizer.MAX_TITLE_BYTES - 2, cleaned.length());
    assertEquals("trailing", TitleNormalizer.sanitize("  trailing  ", false));
  }

  @Test
  void skipListEntriesAreSubstringsUnlessAnchored() {
    FrameSkips.Matcher skip = FrameSkips.global();
    assertTrue(skip.skips("hex_string"), "'string' is a substring entry");
    assertTrue(skip.skips("__lock_acquire"));
    assertTrue(skip.skips("kfree"));
    assertFalse(skip.skips("kfree_rcu_work"), "^kfree$ is the whole name only");
    assertTrue(skip.skips("down"));
    assertFalse(skip.skips("download_firmware"), "=down is the whole name only");
    assertFalse(skip.skips("tcp_close"));
    assertTrue(FrameSkips.with("^skb_").skips("skb_put"));
    assertFalse(FrameSkips.global().skips("skb_put"));
  }

  @Test
  void oneSyscallPrefixIsStrippedTheOneLeavingTheShortestName() {
    assertEquals("mremap", FrameNames.stripSyscallPrefix("__se_sys_mremap"));
    assertEquals("sys_memfd_secret", FrameNames.stripSyscallPrefix("__x64_sys_memfd_secret"));
    assertEquals("pause", FrameNames.stripSyscallPrefix("SyS_pause"));
    assertEquals("tcp_close", FrameNames.stripSyscallPrefix("tcp_close"));
  }

  @Test
  void demanglingDropsParameters() {
    assertEquals("fakeName", FrameNames.demangle("_Z8fakeNameiii"));
    assertEquals("foo::bar", FrameNames.demangle("_ZN3foo3barEv"));
    assertEquals("__x64_sys_read", FrameNames.demangle("__x64_sys_read"));
  }

  @Test
  void frameLinesHaveOneShape() {
    List<String> out = new ArrayList<>();
    assertEquals(1, FrameLines.frames(" foo.isra.7+0x1/0x2", out));
    assertEquals(1, FrameLines.frames(" [<ffffffff81234567>] [<ffffffff81234567>] bar+0x1/0x2", out));
    assertEquals(2, FrameLines.frames("[<c0123456>] (baz) from [<c0123457>] (qux+0x10/0x20)", out));
    assertEquals(List.of("foo", "bar", "baz", "qux"), out);
    assertEquals(0, FrameLines.frames("\tfoo+0x1/0x2", out), "a leading tab is not a frame");
    assertEquals(0, FrameLines.frames(" inline_fn net/core/dev.c:12 [inline]", out));
    assertEquals(0, FrameLines.frames("RIP: 0010:foo+0x1/0x2", out), "the RIP line is matched on its own");
    assertEquals("foo", FrameLines.rip("RIP: 0010:foo+0x1/0x2"));
    assertEquals("", FrameLines.rip("RIP: 0033:0x44f1e9"), "user space names no function");
    assertEquals("el1_sync", FrameLines.rip("pc : el1_sync+0x10/0x20"));
  }

  @Test
  void questionableFramesAreNotCandidates() {
    String log =
        "[   1.0] general protection fault: 0000 [#1] SMP\n"
            + "[   1.1] RIP: 0010:__memset+0x24/0x30\n"
            + "[   1.2] Call Trace:\n"
            + "[   1.3]  ? questionable_fn+0x1/0x2\n"
            + "[   1.4]  real_fn+0x1/0x2\n"
            + "[   1.5]  caller_fn+0x1/0x2\n"
            + "[   1.6]  entry_fn+0x1/0x2\n";
    assertEquals("general protection fault in real_fn", CrashReportParser.parse(log).title());
  }

  @Test
  void stallExtractorNamesTheFrameAboveTheFirstAnchor() {
    assertEquals("netlink_sendmsg", FrameExtractors.STALL.pick(List.of("netlink_sendmsg", "sock_sendmsg", "__sys_sendto")).name());
    assertEquals("sock_sendmsg", FrameExtractors.STALL.pick(List.of("sock_sendmsg", "__sys_sendto")).name());
    assertEquals("smp_call_function", FrameExtractors.STALL.pick(List.of("foo", "smp_call_function_many")).name());
    assertNull(FrameExtractors.STALL.pick(List.of("foo", "bar")));
  }

  @Test
  void hungTaskExtractorGroupsTheBigBuckets() {
    StackRecipe.Pick p = FrameExtractors.HUNG_TASK.pick(List.of("__schedule", "synchronize_srcu", "cleanup_net"));
    assertEquals("synchronize_rcu", p.name());
    assertEquals(1, p.index());
    assertEquals("tty_ldisc_hangup", FrameExtractors.HUNG_TASK.pick(List.of("__schedule", "schedule_timeout", "tty_ldisc_hangup")).name());
    assertNull(FrameExtractors.HUNG_TASK.pick(List.of("__schedule", "wait_for_completion")));
  }

  @Test
  void typesFollowTitlePrefixes() {
    assertEquals("KASAN-USE-AFTER-FREE-READ", CrashTypes.of("KASAN: use-after-free Read in tcp_close"));
    assertEquals("LOCKDEP", CrashTypes.of("possible deadlock in rtnl_lock"));
    assertEquals("WARNING", CrashTypes.of("WARNING in foo"));
    assertEquals("WARNING", CrashTypes.of("WARNING: ath10k USB support is incomplete"));
    assertEquals("DoS", CrashTypes.of("general protection fault in foo"));
    assertEquals("HANG", CrashTypes.of("INFO: task hung in foo"));
    assertEquals("UNKNOWN", CrashTypes.of("lost connection to test machine"));
  }

  @Test
  void frameIsTheNameAfterTheLastIn() {
    assertEquals("tcp_close", CrashReportParser.frameOf("KASAN: use-after-free Read in tcp_close"));
    assertEquals("aiptek_open", CrashReportParser.frameOf("WARNING in aiptek_open/usb_submit_urb"));
    assertNull(CrashReportParser.frameOf("BUG: Bad rss-counter state"));
  }

  @Test
  void symbolisedReportsAreReadAsTheirRawLog() {
    String report =
        "BUG: KASAN: use-after-free in smk_destroy_label_list security/smack/smackfs.c:1975 [inline]\n"
            + "BUG: KASAN: use-after-free in smk_write_relabel_self+0x2f6/0x480 security/smack/smackfs.c:2748\n"
            + "Read of size 8 at addr ffff88809184bec0 by task syz-executor032/6852\n"
            + "Call Trace:\n"
            + " __dump_stack lib/dump_stack.c:77 [inline]\n"
            + " dump_stack+0x1e9/0x30e lib/dump_stack.c:118\n"
            + " smk_write_relabel_self+0x2f6/0x480 security/smack/smackfs.c:2748\n"
            + " __vfs_write+0x9c/0x6e0 fs/read_write.c:495\n";
    CrashReport r = CrashReportParser.parse(report);
    assertEquals("KASAN: use-after-free Read in smk_write_relabel_self", r.title());
    assertFalse(r.corrupted());
    assertEquals("tcp_close+0x1a/0x30 foo", ReportLocator.withoutSourcePositions("tcp_close+0x1a/0x30 net/ipv4/tcp.c:2340 foo"));
  }

  @Test
  void legacyTitlesAreExtraAlternatives() {
    String log =
        "kernel BUG at net/core/skbuff.c:104!\n"
            + "invalid opcode: 0000 [#1] SMP KASAN\n"
            + "RIP: 0010:skb_panic+0x15c/0x1f0\n"
            + "Call Trace:\n"
            + " skb_put+0x17b/0x1f0\n"
            + " ipgre_header+0x1a/0x30\n"
            + " neigh_connected_output+0x10/0x20\n";
    CrashReport r = CrashReportParser.parse(log);
    assertEquals("kernel BUG in ipgre_header", r.title());
    assertTrue(r.altTitles().contains("kernel BUG at net/core/skbuff.c:LINE!"), r.altTitles().toString());
    assertFalse(CrashReportParser.parse(log, false).altTitles().contains("kernel BUG at net/core/skbuff.c:LINE!"));
  }

  @Test
  void neverThrowsOnGarbage() {
    Random random = new Random(3);
    byte[] bytes = new byte[1 << 16];
    for (int i = 0; i < 20; i++) {
      random.nextBytes(bytes);
      CrashReportParser.parse(MemorySegment.ofArray(bytes));
    }
    String hex = "BUG: KASAN: use-after-free in " + "deadbeef0123".repeat(90_000);
    CrashReport r = CrashReportParser.parse(hex + "\nRead of size 8\n" + hex);
    assertNotNull(r);
    assertTrue(r.corrupted());
    assertNull(CrashReportParser.parse(""));
    assertNull(CrashReportParser.parse((String) null));
    byte[] latin = "[  1.0] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n[  1.1] \u00e9\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
    assertNotNull(CrashReportParser.parse(MemorySegment.ofArray(latin)));
  }
}
