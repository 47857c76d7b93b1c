package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackFramesTest {

  static String fixture(String name) throws IOException {
    try (InputStream in = StackFramesTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void symbolisedX86ReportGivesEveryStackInOrder() throws IOException {
    StackFrames st = StackFrames.of(fixture("x86-kasan.txt"));
    assertEquals(
        List.of(
            "__dump_stack", "dump_stack", "print_address_description", "__kasan_report", "kasan_report",
            "__dev_queue_xmit", "dev_queue_xmit", "packet_snd", "packet_sendmsg", "sock_sendmsg_nosec",
            "sock_sendmsg", "entry_SYSCALL_64_after_hwframe",
            // Allocated by task N:
            "save_stack", "__kmalloc_node_track_caller", "__alloc_skb",
            // Freed by task N:
            "kfree", "skb_release_data", "kfree_skb"),
        st.frames());
    assertEquals(
        List.of(
            "lib/dump_stack.c", "mm/kasan/report.c", "mm/kasan/common.c", "net/core/dev.c",
            "net/packet/af_packet.c", "net/socket.c", "mm/slab.c", "net/core/skbuff.c"),
        st.files());
  }

  @Test
  void arm64ProgramCounterAndLinkRegisterAreFrames() throws IOException {
    StackFrames st = StackFrames.of(fixture("arm64-warning.txt"));
    assertEquals(
        List.of(
            "usb_submit_urb", "usb_submit_urb", "usb_submit_urb", "hif_usb_send_regout", "hif_usb_send",
            "htc_issue_send", "el0t_64_sync_handler"),
        st.frames());
    assertEquals(
        List.of(
            "drivers/usb/core/urb.c", "drivers/net/wireless/ath/ath9k/hif_usb.c",
            "drivers/net/wireless/ath/ath9k/htc_hst.c", "arch/arm64/kernel/entry-common.c"),
        st.files());
  }

  @Test
  void oldKernelsWithAddressBracketsAndStackTags() throws IOException {
    StackFrames st = StackFrames.of(fixture("old-x86.txt"));
    assertEquals(
        List.of(
            "skb_release_data", // IP:
            "skb_release_data", // RIP: 0010:[<…>]  [<…>]
            "skb_release_all", "__kfree_skb", "tcp_data_queue", "do_syscall_64",
            "skb_release_data"), // the trailing "RIP  [<…>]"
        st.frames());
    assertEquals(List.of("net/core/skbuff.c", "arch/x86/entry/common.c"), st.files());
  }

  @Test
  void arm32FromLinesNameTwoFrames() throws IOException {
    StackFrames st = StackFrames.of(fixture("arm32.txt"));
    assertEquals(
        List.of("__list_del_entry_valid", "kobject_put", "__schedule", "schedule", "schedule", "schedule_timeout"),
        st.frames());
    assertEquals(List.of(), st.files());
  }

  @Test
  void linesAsConsoleLinesGiveTheSameResultAsText() throws IOException {
    String text = fixture("x86-kasan.txt");
    assertEquals(StackFrames.of(text), StackFrames.of(ReportText.lines(text)));
  }

  @Test
  void compilerSuffixesAndOffsetsAreDropped() {
    assertEquals("foo", StackFrames.frameOf(" foo.isra.7+0x1/0x2"));
    assertEquals("foo", StackFrames.frameOf(" foo.constprop.0.cold+0x1/0x2 net/x.c:3"));
    assertEquals("foo", StackFrames.frameOf(" foo.part.3+0x1a/0x30"));
    assertEquals("foo", StackFrames.frameOf(" foo.llvm.1234567890+0x1a/0x30"));
    assertEquals("bar", StackFrames.frameOf("  bar.isra.2 fs/x/y.c:12 [inline]"));
    assertEquals("baz", StackFrames.frameOf("\tbaz+0x10/0x20"));
    assertEquals("qux", StackFrames.frameOf("[c0000000fb3e3b30] [c000000000ab1234] qux+0xb0/0xf0"));
  }

  @Test
  void questionableProseAndRegistersAreNotFrames() {
    assertNull(StackFrames.frameOf(" ? kasan_report+0x1/0x2"));
    assertNull(StackFrames.frameOf(" [<ffffffff81234567>] ? tcp_v4_rcv+0x1/0x2"));
    assertNull(StackFrames.frameOf("[c0000000fb3e3b30] [c000000000ab1234] dump_stack+0xb0/0xf0 (unreliable)"));
    assertNull(StackFrames.frameOf("Read of size 8 at addr ffff88801f2a3b40 by task syz-executor.0/8377"));
    assertNull(StackFrames.frameOf("RIP: 0033:0x45ca29"));
    assertNull(StackFrames.frameOf("RSP: 002b:00007f3a7d3e3c78 EFLAGS: 00000246"));
    assertNull(StackFrames.frameOf("BUG: KASAN: use-after-free in tcp_close+0x1/0x2"));
    assertNull(StackFrames.frameOf(" ffff88801f2a3a00: fb fb fb fb"));
    assertNull(StackFrames.frameOf(" write_blk fs/quota/quota_tree.c:64"));
    assertNull(StackFrames.frameOf(" <IRQ>"));
    assertNull(StackFrames.frameOf(""));
  }

  @Test
  void disassemblyBlockEndsTheTraces() throws IOException {
    StackFrames st = StackFrames.of(fixture("x86-kasan.txt"));
    assertEquals(-1, st.frames().indexOf("bogus_after_disassembly"));
    assertEquals(-1, st.files().indexOf("net/ipv4/tcp.c"));
  }

  @Test
  void filesAreCleanedAndDeduplicated() {
    StackFrames st =
        StackFrames.of(" a+0x1/0x2 ./net/x/../core/a.c:1\n b+0x1/0x2 net/core/a.c:7\n c+0x1/0x2 arch/x86/entry/entry_64.S:9\n");
    assertEquals(List.of("a", "b", "c"), st.frames());
    assertEquals(List.of("net/core/a.c", "arch/x86/entry/entry_64.S"), st.files());
  }
}
