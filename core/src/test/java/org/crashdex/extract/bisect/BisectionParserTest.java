package org.crashdex.extract.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BisectionParserTest {

  private static final String H1 = "e5fa44f2b31c1fb553b6021e7360d07d5d91ff5e";
  private static final String H2 = "7448d8798a4380162d4b56f9b452e2f6f9e24e7a";
  private static final String H3 = "a3db5c13ff90a36963278c6a39e4ee3c22e2a436";
  private static final String H4 = "9c6b057a2b9d96a4067a749ee3b3b0158d390cf1";
  private static final String H5 = "5d9474c0309b7ca09a182d888f73b37a8fe1362c";
  private static final String H6 = "ccf271b7830882da1791852baeca1737fcbe4b90";

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = BisectionParserTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      return in.readAllBytes();
    }
  }

  static String text(String name) throws IOException {
    return new String(fixture(name), StandardCharsets.ISO_8859_1);
  }

  private static Bisection parse(String name) throws IOException {
    return BisectionParser.parse(MemorySegment.ofArray(fixture(name)));
  }

  @Test
  void oldGenerationWithGccAndCc() throws IOException {
    Bisection b = parse("old-gcc-cc.txt");
    assertEquals(Bisection.CAUSE, b.direction());
    assertEquals(H1, b.startCommit());
    assertEquals("0767f13fbd87c99aea7893eb64199b76be42cd61", b.syzkallerCommit());
    assertEquals(Bisection.CULPRIT, b.result());
    assertEquals(H6, b.culprit());
    assertEquals(List.of(), b.candidates());
    assertEquals("soc: mediatek: Fix SCPSYS compilation", b.culpritTitle());
    assertEquals("Matthias Brugger <matthias.bgg@gmail.com>", b.culpritAuthor());
    assertEquals("Fri Jul 31 17:03:13 2015 +0200", b.culpritDate());
    // 2019-20: the culprit's signature is a padded "kernel signature:" after git's block
    assertEquals("dcacbf8cb5583b11d9bc5b7377fb830bd1af61f4", b.culpritSignature());
    assertEquals("e9eddc9ab46000ce26a7201b8419d2455059bbd8", b.parentSignature());
    assertEquals(6, b.revisionsTested());
    assertEquals("1h20m40.146110379s", b.totalTime());
    assertEquals("48m46.70240357s", b.buildTime());
    assertEquals("30m7.178080488s", b.testTime());
    assertEquals(
        List.of("linux-arm-kernel@lists.infradead.org", "linux-kernel@vger.kernel.org", "matthias.bgg@gmail.com"),
        b.recipients());
    assertEquals("KASAN: use-after-free Read in ntfs_attr_find", b.crashTitle());
    assertNull(b.error());
    assertNull(b.host());
    assertFalse(b.flaky());

    List<TestedCommit> tested = b.tested();
    assertEquals(List.of(H1, H2, H3, H4, H5, H6), tested.stream().map(TestedCommit::commit).toList());
    TestedCommit first = tested.get(0);
    assertEquals("gcc (GCC) 8.1.0", first.compiler());
    assertNull(first.release());
    assertNull(first.gitVerdict());
    assertEquals(
        List.of(
            new RunVerdict(0, "crashed", "KASAN: use-after-free Read in ntfs_attr_find"),
            new RunVerdict(1, "basic kernel testing failed",
                "BUG: sleeping function called from invalid context in sta_info_move_state"),
            new RunVerdict(2, "boot failed", "can't ssh into the instance"),
            new RunVerdict(3, "OK", null)),
        first.runs());
    assertEquals("v4.15", tested.get(1).release());
    assertEquals(List.of(new RunVerdict(null, "crashed", "KASAN: use-after-free Read in ntfs_attr_find")),
        tested.get(1).runs());
    assertEquals("gcc (GCC) 7.3.0", tested.get(2).compiler());
    assertEquals("v4.14", tested.get(2).release());

    TestedCommit failedBuild = tested.get(3);
    assertEquals("skip", failedBuild.gitVerdict());
    assertEquals("Merge tag 'arm-soc-5.8' of git://git.kernel.org/pub/scm/linux/kernel/git/soc/soc", failedBuild.title());
    assertTrue(failedBuild.buildError().startsWith("failed to run [\"make\" \"bzImage\""), failedBuild.buildError());
    assertNull(failedBuild.kernelSignature());
    assertEquals(List.of(), failedBuild.runs());

    // ssh noise before the signature is not a build error
    assertNull(tested.get(4).buildError());
    assertEquals("good", tested.get(4).gitVerdict());
    assertEquals("bad", tested.get(5).gitVerdict());
    assertEquals("soc: mediatek: Fix SCPSYS compilation", tested.get(5).title());

    assertEquals(
        List.of(
            "1a70dc5ebe78f1c4bd555ccb2d6721ac48cdf8f0",
            "0b8da2b6d2f4bf50fecff183aa411862214d245f",
            "44468dbe4b37cc3f09b435234a863b39b42d68da",
            "e9eddc9ab46000ce26a7201b8419d2455059bbd8",
            "dcacbf8cb5583b11d9bc5b7377fb830bd1af61f4"),
        b.kernelSignatures());
    // the "Fixes: 5d9474c0309b" inside the commit message is not a role
    assertEquals(List.of(H1, H2, H3, H4, H5, H6), b.commits());
  }

  @Test
  void compilerLinesAndRecipients() throws IOException {
    Bisection b = parse("compiler-recipients.txt");
    assertEquals(H4, b.culprit());
    assertEquals("Bluetooth: switch to lock_sock in SCO", b.culpritTitle());
    assertEquals("Desmond Cheong Zhi Xi <desmondcheongzx@gmail.com>", b.culpritAuthor());
    assertEquals("02319367e7011940b29a0b2cfba999d9341cc3a7d23ec19d6e12aa1286bf61c8", b.culpritSignature());
    assertEquals("bb43890c6b305d8871355da31484953aa5d468b38b7e896648c2e2d22a92b51f", b.parentSignature());
    assertTrue(b.flaky());
    assertEquals("2h14m3.71s", b.totalTime());
    // to and cc together, unquoted, each once
    assertEquals(
        List.of("davem@davemloft.net", "desmondcheongzx@gmail.com", "linux-bluetooth@vger.kernel.org",
            "linux-kernel@vger.kernel.org"),
        b.recipients());
    List<TestedCommit> tested = b.tested();
    assertEquals(5, tested.size());
    assertEquals("gcc (GCC) 10.2.1 20210217, GNU ld (GNU Binutils for Debian) 2.35.1", tested.get(0).compiler());
    assertEquals("c16536a72c4b685dd4b73915f1588f3edbdc95eb2cbba408ba85db12ffc491de", tested.get(0).kernelSignature());
    // a bare "failed:" line: the whole test failed
    assertEquals(
        List.of(new RunVerdict(null, "failed",
            "failed to create VM pool: failed to create GCE image: create image operation failed")),
        tested.get(2).runs());
    assertEquals("skip", tested.get(2).gitVerdict());
    assertEquals(new RunVerdict(0, "failed",
        "failed to run command in VM: broken console: Permission denied (publickey)"), tested.get(3).runs().get(0));
    // the parent build tested after the culprit was found
    assertEquals(H5, tested.get(4).commit());
    assertNull(tested.get(4).gitVerdict());
    assertEquals(List.of(H1, H2, H3, H4, H5), b.commits());
  }

  @Test
  void hostLineCompilerTypeAndNewerLines() throws IOException {
    Bisection b = parse("host-compiler-type.txt");
    assertEquals("ci2", b.host());
    assertEquals("2022-12-20 13:27:04.129612253 +0000 UTC", b.startedAt());
    assertEquals(H1, b.startCommit());
    assertEquals(H3, b.culprit());
    assertEquals(3, b.revisionsTested());
    assertEquals("38m0.5s", b.totalTime());
    assertEquals(List.of("kuba@kernel.org", "netdev@vger.kernel.org"), b.recipients());
    assertTrue(b.flaky());
    TestedCommit first = b.tested().get(0);
    assertEquals("gcc (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2", first.compiler());
    assertEquals(
        List.of(
            new RunVerdict(0, "crashed", "INFO: rcu detected stall in corrupted"),
            new RunVerdict(1, "infra problem", "failed to copy binary"),
            new RunVerdict(2, "ignore", "lost connection to test machine"),
            new RunVerdict(3, "OK", null)),
        first.runs());
    assertEquals("INFO: rcu detected stall in corrupted", first.representativeCrash());
    assertEquals("Debian clang version 15.0.7, GNU ld (GNU Binutils for Debian) 2.35.2", b.tested().get(1).compiler());
    assertEquals("v5.19", b.tested().get(1).release());
    assertEquals("tls: rx: factor out writing ContentType to cmsg", b.tested().get(2).title());
  }

  @Test
  void compilerTypeStandsInWhenNoCompilerLineFollows() throws IOException {
    Bisection b = parse("fix-not-fixed.txt");
    assertEquals("gcc", b.tested().get(0).compiler());
  }

  @Test
  void inconclusiveListsEveryCandidate() throws IOException {
    Bisection b = parse("inconclusive.txt");
    assertEquals(Bisection.INCONCLUSIVE, b.result());
    assertNull(b.culprit());
    assertNull(b.culpritTitle());
    assertEquals(List.of(H3, H4, H5), b.candidates());
    assertTrue(b.commits().containsAll(List.of(H3, H4, H5)));
    assertEquals(List.of("linux-kernel@vger.kernel.org"), b.recipients());
    assertEquals("WARNING in sysfs_warn_dup", b.crashTitle());
    // "git bisect start X v4.17": tags are not commit hashes
    assertFalse(b.commits().contains("v4.17"));
    TestedCommit skipped = b.tested().get(2);
    assertEquals("skip", skipped.gitVerdict());
    assertNull(skipped.compiler());
    assertTrue(skipped.buildError().contains("error: 'elf_getshnum' is deprecated"), skipped.buildError());
    assertEquals("certs/signing_key.pem: Permission denied", b.tested().get(3).buildError());
  }

  @Test
  void oldestReleaseAlreadyHadTheBug() throws IOException {
    Bisection b = parse("oldest-release.txt");
    assertEquals(Bisection.OLDEST_RELEASE, b.result());
    assertNull(b.culprit());
    assertEquals("Linux 4.18", b.commitMessage());
    assertEquals("no output from test machine", b.crashTitle());
    assertEquals("v4.18", b.tested().get(1).release());
  }

  @Test
  void errorEndingKeepsTheWholeMessage() throws IOException {
    Bisection b = parse("error-ending.txt");
    assertEquals(Bisection.ERROR, b.result());
    assertEquals(
        "kernel clean failed: failed to run [\"make\" \"distclean\" \"-j=64\"]: exit status 2\n"
            + "make: the '-j' option requires a positive integer argument\n"
            + "Usage: make [options] [target] ...",
        b.error());
    assertEquals(0, b.revisionsTested());
    assertEquals("3.963704455s", b.totalTime());
    assertEquals("0s", b.buildTime());
    assertEquals("ci", b.host());
    assertEquals(List.of(), b.tested());
  }

  @Test
  void aStrayErrorLineDoesNotSwallowTheBuildsAfterIt() throws IOException {
    String log = text("compiler-recipients.txt")
        .replace("testing release v5.14\n", "error: unexpected console noise\nmore noise\ntesting release v5.14\n");
    Bisection b = BisectionParser.parse(log);
    assertEquals(5, b.tested().size());
    assertEquals("v5.14", b.tested().get(1).release());
    assertEquals("unexpected console noise\nmore noise", b.error());
    assertEquals(Bisection.CULPRIT, b.result()); // the summary, read later, decides
  }

  @Test
  void aBareErrorMessageIsAnErrorRecord() throws IOException {
    Bisection b = parse("error-only.txt");
    assertNull(b.direction());
    assertEquals(Bisection.ERROR, b.result());
    assertEquals("bisection is taking too long (>8h0m0s), aborting", b.error());
  }

  @Test
  void fixBisectionFindsTheFirstGoodCommit() throws IOException {
    Bisection b = parse("fix-bisection.txt");
    assertEquals(Bisection.FIX, b.direction());
    assertEquals(H1, b.startCommit());
    assertEquals(Bisection.CULPRIT, b.result());
    assertEquals(H3, b.culprit());
    assertEquals("tcp: fix use-after-free in tcp_close", b.culpritTitle());
    assertEquals("Eric Dumazet <edumazet@google.com>", b.culpritAuthor());
    assertEquals(List.of(H1, H2, H3), b.commits());
    assertEquals(List.of("edumazet@google.com", "netdev@vger.kernel.org"), b.recipients());
    assertNull(b.crashTitle());
  }

  @Test
  void fixBisectionWithTheCrashStillThere() throws IOException {
    Bisection b = parse("fix-not-fixed.txt");
    assertEquals(Bisection.FIX, b.direction());
    assertEquals(Bisection.NOT_FIXED, b.result());
    assertNull(b.culprit());
    assertEquals("KASAN: use-after-free Read in tcp_close", b.crashTitle());
  }

  @Test
  void earlyTryLinesAreRuns() throws IOException {
    Bisection b = parse("early-2018-try.txt");
    assertEquals("gcc (GCC) 5.5.0", b.tested().get(0).compiler());
    assertEquals(
        List.of(new RunVerdict(0, "crashed", "general protection fault in batadv_iv_ogm_queue_add"),
            new RunVerdict(1, "OK", null)),
        b.tested().get(0).runs());
    assertNull(b.result()); // the log stops before any outcome
    assertNull(b.totalTime());
  }

  @Test
  void rawBytesSurviveAndAuthorsReadAsUtf8() throws IOException {
    Bisection b = parse("non-utf8.txt");
    assertEquals("e5fa44f2b31c1fb553b6021e7360d07d5d91ff5e", b.culprit());
    assertEquals("Ville Syrj\u00e4l\u00e4 <ville.syrjala@linux.intel.com>", b.culpritAuthor());
    // not valid UTF-8: kept one char per byte
    assertEquals("drm/i915: \u00e9t\u00e9 fix", b.culpritTitle());
    assertEquals("10m0.5s", b.totalTime());
    assertEquals("WARNING in afs_lookup_cell", b.crashTitle());
  }

  @Test
  void crlfLinesParseLikeLfLines() throws IOException {
    for (String name : List.of("old-gcc-cc.txt", "compiler-recipients.txt", "host-compiler-type.txt",
        "inconclusive.txt", "error-ending.txt", "fix-bisection.txt")) {
      String lf = text(name);
      Bisection expected = BisectionParser.parse(lf);
      Bisection crlf = BisectionParser.parse(lf.replace("\n", "\r\n"));
      assertEquals(withoutCrash(expected), withoutCrash(crlf), name);
    }
  }

  @Test
  void severalBisectionsSplitAtEachStart() throws IOException {
    String all = text("concatenated.txt");
    long[] starts = BisectionStart.starts(all);
    assertEquals(3, starts.length);
    assertEquals(0, starts[0]);
    // the second record starts at its host line, not at its "bisecting" line
    assertTrue(all.startsWith("ci starts bisection", (int) starts[1]));
    assertTrue(all.startsWith(BisectionStart.FIX, (int) starts[2]));

    List<Bisection> records = BisectionParser.parseAll(all);
    assertEquals(List.of(Bisection.OLDEST_RELEASE, Bisection.ERROR, Bisection.NOT_FIXED),
        records.stream().map(Bisection::result).toList());
    assertEquals("ci", records.get(1).host());
    assertEquals(List.of(Bisection.CAUSE, Bisection.CAUSE, Bisection.FIX),
        records.stream().map(Bisection::direction).toList());
    // parse() reads one record: it stops where the next one starts
    Bisection first = BisectionParser.parse(all);
    assertEquals(withoutCrash(records.get(0)), withoutCrash(first));
  }

  @Test
  void boundaryLines() {
    assertTrue(BisectionStart.isStart(BisectionStart.CAUSE + H1));
    assertTrue(BisectionStart.isStart(BisectionStart.FIX + H1));
    assertFalse(BisectionStart.isStart(" " + BisectionStart.CAUSE + H1));
    assertTrue(BisectionStart.isHostLine("ci2 starts bisection 2022-10-02 12:00:00 +0000 UTC"));
    assertFalse(BisectionStart.isHostLine("the ci starts bisection"));
    assertEquals(0, BisectionStart.starts("testing commit " + H1 + "\n").length);
  }

  @Test
  void crashTextFollowsTheLastCrashLine() throws IOException {
    String report = BisectionParser.crashText(text("compiler-recipients.txt"));
    assertTrue(report.startsWith("------------[ cut here ]------------\nWARNING: CPU: 0 PID: 8445"), report);
    assertTrue(report.endsWith("sock_sendmsg+0xcf/0x120 net/socket.c:724\n"), report);
    assertNull(BisectionParser.crashText(text("fix-bisection.txt")));
  }

  @Test
  void theCrashReportIsParsedFromTheCrashText() throws IOException {
    Bisection b = parse("compiler-recipients.txt");
    assertEquals("WARNING in sco_sock_sendmsg", b.crash().title());
    assertEquals(8445, b.crash().pid());
    assertNull(parse("fix-bisection.txt").crash());
  }

  @Test
  void withoutACrashLineTheLastConsoleReportIsTheCrash() throws IOException {
    String report = BisectionParser.crashText(text("console-crash.txt"));
    // the panic continues the BUG report; the run verdict naming a BUG is not console output
    assertEquals(
        "BUG: unable to handle kernel paging request at ffffffffffffffff\n"
            + "RIP: 0010:second_fault+0x3/0x4 kernel/second.c:2\n"
            + "Call Trace:\n"
            + " second_caller+0x5/0x6\n"
            + "Kernel panic - not syncing: Fatal exception\n",
        report);
  }

  @Test
  void emptyAndOddInputNeverThrow() {
    Bisection empty = BisectionParser.parse("");
    assertNull(empty.direction());
    assertNull(empty.result());
    assertEquals(List.of(), empty.tested());
    Bisection segment = BisectionParser.parse(MemorySegment.ofArray(new byte[0]));
    assertEquals(empty, segment);
    Bisection odd = BisectionParser.parse("run #0: OK\n# git bisect good " + H1 + "\nkernel signature:\n\u0000\u00ff");
    assertEquals(List.of(), odd.tested());
  }

  @Test
  void handReadersReadLinesAsThePatternsDo() throws IOException {
    for (String name : List.of("old-gcc-cc.txt", "compiler-recipients.txt", "host-compiler-type.txt",
        "inconclusive.txt", "error-ending.txt", "fix-bisection.txt", "early-2018-try.txt", "non-utf8.txt",
        "console-crash.txt", "oldest-release.txt", "fix-not-fixed.txt", "error-only.txt")) {
      String text = text(name);
      assertEquals(BisectionParser.parseWithPatterns(text), BisectionParser.parse(text), name);
    }
    // Lines at the edges of each hand-read kind: hash lengths, spacing, a word char after a hash,
    // odd verdicts, build errors found by their literals.
    String short7 = H1.substring(0, 7);
    String log = String.join("\n",
        BisectionStart.CAUSE + H1,
        "testing commit " + H1 + " with    ",
        "run #0: OK",
        "testing commit " + H2 + " with ",
        "run #7: crashed:  KASAN: use-after-free  ",
        "testing commit " + H3 + "  gcc",
        "testing commit " + H3 + " gcc (GCC) 10.1.0 \t",
        "all runs: boot failed:",
        "testing commit " + short7,
        "kernel signature:   abc  def",
        "run #01: weird: x",
        "try #3:OK",
        "# git bisect good " + short7 + "g",
        "# git bisect bad " + short7 + "-x",
        "# git bisect skip " + H1 + H1,
        "[" + H2 + "] the title",
        "[" + H2 + "]no space",
        "testing commit " + H2,
        "compiler: gcc \t ",
        "failed to run [\"make\"]: exit status 2",
        "testing commit " + H4,
        "make[2]: *** [Makefile:12: all] Error 2",
        "testing commit " + H5,
        "drivers/x.c:7:1: fatal ERROR: no such file",
        "testing commit " + H6,
        "ld: cannot open output file vmlinux: Permission denied",
        "picked 3 out of 9 release tags",
        "ci starts bisection 2022-10-02 12:00:00 +0000 UTC m=+1.5");
    Bisection b = BisectionParser.parse(log);
    assertEquals(BisectionParser.parseWithPatterns(log), b);
    List<TestedCommit> t = b.tested();
    assertEquals(" ", t.get(0).compiler());
    assertEquals("with", t.get(1).compiler());
    assertEquals(new RunVerdict(7, RunVerdict.CRASHED, "KASAN: use-after-free"), t.get(1).runs().getFirst());
    assertEquals(H3, t.get(2).commit()); // two spaces: not a testing line, so H3 is tested once
    assertEquals("gcc (GCC) 10.1.0", t.get(2).compiler());
    assertEquals(short7, t.get(3).commit());
    assertEquals("abc", t.get(3).kernelSignature());
    assertEquals(List.of(new RunVerdict(1, "weird", "x")), t.get(3).runs());
    // "g" after the hash is no word boundary, "-" is: the second line names the commit
    assertEquals("bad", t.get(3).gitVerdict());
    assertEquals("the title", t.get(4).title());
    assertEquals("gcc", t.get(4).compiler());
    assertEquals("failed to run [\"make\"]: exit status 2", t.get(4).buildError());
    assertEquals("make[2]: *** [Makefile:12: all] Error 2", t.get(5).buildError());
    assertEquals("drivers/x.c:7:1: fatal ERROR: no such file", t.get(6).buildError());
    assertEquals("ld: cannot open output file vmlinux: Permission denied", t.get(7).buildError());
    assertEquals("ci", b.host());
  }

  private static Bisection withoutCrash(Bisection b) {
    return new Bisection(b.direction(), b.host(), b.startedAt(), b.startCommit(), b.syzkallerCommit(),
        b.result(), b.culprit(), b.candidates(), b.culpritTitle(), b.culpritAuthor(), b.culpritDate(),
        b.culpritSignature(), b.parentSignature(), b.commitMessage(), b.revisionsTested(), b.totalTime(),
        b.buildTime(), b.testTime(), b.recipients(), b.error(), b.flaky(), b.crashTitle(),
        b.kernelSignatures(), b.commits(), b.tested(), null);
  }
}
