package org.crashdex.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crashdex.scan.RecordKind;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSpan;

/**
 * Writes a large synthetic log archive, deterministically, from the bundled samples ({@code
 * samples/} at the repository root, packaged into this jar): the input of {@link ScanBenchmark}.
 *
 * <p>The archive is what a fuzzing operator's directory of logs looks like when concatenated: mostly
 * VM console output (kernel chatter with {@code [  772.918915][ T5120]} prefixes, syzkaller programs)
 * with a crash every few hundred KiB to few MiB, a few percent of standalone crash reports, and syzbot
 * bisection logs at the end (a bisection record runs to the next bisection, so bisections placed
 * among console logs would swallow them). Every copy of a sample line gets fresh timestamps, pids,
 * addresses, frame offsets, commits, signatures and function names, so the data is not one block
 * repeated and the scanner sees as many distinct lines as in a real archive.
 *
 * <p>The same seed and samples always give the same bytes. Writing streams through one 1 MiB
 * buffer; the output appears under its final name only when complete.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.crashdex.bench.ArchiveGenerator OUT [SIZE]
 * </pre>
 *
 * SIZE is a byte count with an optional k, m or g suffix (binary units); the default is 1g. The
 * archive is at least SIZE bytes: the last log is finished, not cut.
 */
public final class ArchiveGenerator {

  /** Default archive size: the benchmark's one gibibyte. */
  public static final long DEFAULT_BYTES = 1L << 30;

  /** The seed of every random choice; change it and the archive changes. */
  public static final long SEED = 0x63726173_68646578L; // "crashdex"

  /** Share of the archive's bytes in bisection logs, written at its end. */
  static final double BISECTION_SHARE = 0.06;

  /** Share of the bytes before the bisections in standalone crash reports. */
  static final double REPORT_SHARE = 0.03;

  static final String SAMPLE_DIR = "/org/crashdex/bench/samples/";

  /**
   * Frames too common to vary: every report has them, and a made-up name in their place would
   * make the archive less, not more, like real output.
   */
  private static final Set<String> GENERIC_FRAMES =
      Set.of(
          "dump_stack", "dump_stack_lvl", "__dump_stack", "print_address_description", "print_report",
          "kasan_report", "kasan_save_stack", "kasan_set_track", "kasan_save_free_info",
          "____kasan_kmalloc", "__kasan_kmalloc", "____kasan_slab_free", "kasan_slab_free",
          "slab_free_hook", "slab_free_freelist_hook", "slab_free", "__kmem_cache_free", "kmalloc",
          "kzalloc", "vfs_ioctl", "__do_sys_ioctl", "__se_sys_ioctl", "__x64_sys_ioctl",
          "do_syscall_x64", "do_syscall_64", "entry_SYSCALL_64_after_hwframe", "__fput",
          "task_work_run", "resume_user_mode_work", "exit_to_user_mode_loop",
          "exit_to_user_mode_prepare", "__syscall_exit_to_user_mode_work",
          "syscall_exit_to_user_mode", "process_one_work", "worker_thread", "kthread",
          "ret_from_fork", "compound_head", "TASK");

  private static final Pattern CONSOLE_PREFIX =
      Pattern.compile("^\\[ *[0-9]+\\.[0-9]{6}\\]\\[ *([TC])([0-9]+)\\] ");
  private static final Pattern FRAME =
      Pattern.compile("^ (?:\\? )?([A-Za-z_][A-Za-z0-9_]*)(?:\\+0x| [a-z_]+/)|RIP: 00[0-9]{2}:([A-Za-z_][A-Za-z0-9_]*)\\+");
  private static final Pattern PROGRAM_HEADER = Pattern.compile("executing program");

  /** Kernel chatter beyond what the console sample holds, so chatter is not a handful of lines. */
  private static final String[] EXTRA_CHATTER = {
    "netdevsim netdevsim0 netdevsim0: renamed from eth0",
    "netdevsim netdevsim0 netdevsim1: renamed from eth1",
    "IPv6: ADDRCONF(NETDEV_CHANGE): veth0_to_bridge: link becomes ready",
    "IPv6: ADDRCONF(NETDEV_CHANGE): hsr_slave_1: link becomes ready",
    "bridge0: port 1(bridge_slave_0) entered blocking state",
    "bridge0: port 1(bridge_slave_0) entered disabled state",
    "bridge0: port 2(bridge_slave_1) entered forwarding state",
    "device bridge_slave_0 entered promiscuous mode",
    "batman_adv: batadv0: Adding interface: batadv_slave_0",
    "batman_adv: batadv0: The MTU of interface batadv_slave_0 is too small (1500) to handle the transport"
        + " of batman-adv packets. Packets going over this interface will be fragmented on layer2 which"
        + " could impact the performance. Setting the MTU to 1560 would solve the problem.",
    "batman_adv: batadv0: Interface activated: batadv_slave_1",
    "hsr_slave_0: entered promiscuous mode",
    "wlan0: Created IBSS using preconfigured BSSID 50:50:50:50:50:50",
    "wlan1: Creating new IBSS network, BSSID 50:50:50:50:50:50",
    "syz-executor.3: vmalloc error: size 4096, page order 0, failed to allocate pages,"
        + " mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null),cpuset=syz3,mems_allowed=0",
    "FAULT_INJECTION: forcing a failure.",
    "name failslab, interval 1, probability 0, space 0, times 0",
    "EXT4-fs error (device loop2): ext4_fill_super:5123: inode #2: comm syz-executor.2: iget: root inode"
        + " unallocated",
    "EXT4-fs (loop1): Unrecognized mount option \"nouser_xattr\" or missing value",
    "Bluetooth: hci0: command 0x0409 tx timeout",
    "Bluetooth: hci2: unexpected cc 0x0c03 length: 249 > 1",
    "usb 2-1: USB disconnect, device number 12",
    "usb 3-1: device descriptor read/64, error -71",
    "kvm: emulating exchange as write",
    "SELinux:  Context system_u:object_r:tmpfs_t:s0 is not valid (left unmapped).",
    "ieee802154 phy0 wpan0: encryption failed: -22",
    "overlayfs: upper fs does not support tmpfile.",
    "program syz-executor.0 is using a deprecated SCSI ioctl, please convert it to SG_IO",
    "block nbd0: shutting down sockets",
    "TCP: request_sock_TCP: Possible SYN flooding on port 20002. Sending cookies.  Check SNMP counters.",
    "sched: RT throttling activated",
    "kobject: 'batman_adv' (000000009b3df4c1): kobject_cleanup, parent 00000000c3a1e12f",
    "kobject: 'rx-0' (00000000d41a9c3e): kobject_add_internal: parent: 'queues', set: 'queues'",
    "loop4: detected capacity change from 0 to 2048",
    "xt_TCPMSS: Only works on TCP SYN packets",
    "ntfs3: loop3: Different NTFS' sector size (4096) and media sector size (512)",
    "validate_nla: 2 callbacks suppressed",
    "kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
    "raw_sendmsg: syz-executor.4 forgot to set AF_INET. Fix it!",
  };

  private final List<LineTemplate> chatter = new ArrayList<>();
  private final List<List<LineTemplate>> programs = new ArrayList<>();
  private final List<ConsoleBlock> crashes = new ArrayList<>();
  private final List<LineTemplate> report;
  private final List<LineTemplate> bisection;

  /** A crash as it appears in console output: prefixed lines, each with the task that printed it. */
  private record ConsoleBlock(List<String> tasks, List<LineTemplate> lines, boolean fatal) {}

  private ArchiveGenerator(String console, String report, String bisection) {
    Set<String> functions = new HashSet<>();
    for (String text : List.of(console, report, bisection)) {
      for (String line : text.split("\n")) {
        Matcher p = CONSOLE_PREFIX.matcher(line);
        Matcher f = FRAME.matcher(p.lookingAt() ? line.substring(p.end()) : line);
        if (f.find()) {
          String name = f.group(1) != null ? f.group(1) : f.group(2);
          if (!GENERIC_FRAMES.contains(name)) {
            functions.add(name);
          }
        }
      }
    }
    splitConsole(console, functions);
    for (String line : EXTRA_CHATTER) {
      chatter.add(LineTemplate.parse(line, functions));
    }
    this.report = templates(report, functions);
    this.bisection = templates(bisection, functions);
  }

  /** Loads the samples packaged with this class. */
  static ArchiveGenerator fromBundledSamples() {
    return new ArchiveGenerator(
        sample("console-two-crashes.log"), sample("syzbot-report.txt"), sample("bisection.log"));
  }

  private static String sample(String name) {
    try (InputStream in = ArchiveGenerator.class.getResourceAsStream(SAMPLE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled sample missing from the class path: " + SAMPLE_DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<LineTemplate> templates(String text, Set<String> functions) {
    List<LineTemplate> out = new ArrayList<>();
    for (String line : lines(text)) {
      out.add(LineTemplate.parse(line, functions));
    }
    return out;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }

  /**
   * Cuts the console sample into crash blocks (where the scanner finds a crash, up to the next
   * syzkaller program), programs, and single chatter lines.
   */
  private void splitConsole(String console, Set<String> functions) {
    List<String> lines = lines(console);
    long[] lineStart = new long[lines.size() + 1];
    for (int k = 0; k < lines.size(); k++) {
      lineStart[k + 1] = lineStart[k] + lines.get(k).length() + 1;
    }
    boolean[] inCrash = new boolean[lines.size()];
    byte[] bytes = console.getBytes(StandardCharsets.ISO_8859_1);
    for (RecordSpan span : RecordScanner.scan(MemorySegment.ofArray(bytes))) {
      if (span.kind() != RecordKind.CRASH) {
        continue;
      }
      int first = java.util.Arrays.binarySearch(lineStart, span.offset());
      List<String> tasks = new ArrayList<>();
      List<LineTemplate> block = new ArrayList<>();
      boolean fatal = false;
      for (int k = first; k < lines.size() && lineStart[k] < span.end(); k++) {
        String line = lines.get(k);
        if (PROGRAM_HEADER.matcher(line).find()) {
          break;
        }
        inCrash[k] = true;
        Matcher p = CONSOLE_PREFIX.matcher(line);
        String body = line;
        String task = "";
        if (p.lookingAt()) {
          task = p.group(1) + p.group(2);
          body = line.substring(p.end());
        }
        fatal |= body.startsWith("Kernel panic");
        tasks.add(task);
        block.add(LineTemplate.parse(body, functions));
      }
      crashes.add(new ConsoleBlock(tasks, block, fatal));
    }
    List<LineTemplate> program = null;
    for (int k = 0; k < lines.size(); k++) {
      if (inCrash[k]) {
        continue;
      }
      String line = lines.get(k);
      Matcher p = CONSOLE_PREFIX.matcher(line);
      if (PROGRAM_HEADER.matcher(line).find()) {
        program = new ArrayList<>();
        programs.add(program);
      } else if (p.lookingAt()) {
        program = null;
        chatter.add(LineTemplate.parse(line.substring(p.end()), functions));
      } else if (program != null && !line.isEmpty()) {
        program.add(LineTemplate.parse(line, functions));
      }
    }
    if (crashes.isEmpty() || programs.isEmpty() || chatter.isEmpty()) {
      throw new IllegalStateException("console sample must hold crashes, programs and kernel chatter");
    }
  }

  // ---- writing ----

  /**
   * Writes an archive of at least {@code minBytes} bytes to {@code out}, replacing it. The bytes
   * depend only on {@link #SEED}, {@code minBytes} and the bundled samples.
   */
  public static void generate(Path out, long minBytes) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
    try {
      try (OutputStream os = Files.newOutputStream(tmp);
          ByteSink sink = new ByteSink(os)) {
        fromBundledSamples().write(sink, minBytes);
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  void write(ByteSink out, long minBytes) {
    SplittableRandom random = new SplittableRandom(SEED);
    Variation v = new Variation(random);
    long consoleBytes = (long) (minBytes * (1 - BISECTION_SHARE));
    long reportBytes = 0;
    while (out.position() < consoleBytes) {
      long before = out.position();
      // Keep standalone reports at their share of the bytes written so far.
      if (reportBytes < REPORT_SHARE * before) {
        writeReport(out, v);
        reportBytes += out.position() - before;
      } else {
        writeConsoleLog(out, v, Math.min(consoleBytes - before, sessionBytes(random)));
      }
    }
    while (out.position() < minBytes) {
      writeBisection(out, v);
    }
  }

  /** 256 KiB to 4 MiB, log-uniform: most console logs are short, a few are long. */
  private static long sessionBytes(SplittableRandom random) {
    return (long) ((256 << 10) * Math.pow(2, 4 * random.nextDouble()));
  }

  /**
   * One VM's console output: chatter and programs, with zero, one or two crashes at random points.
   * A crash that panics ends the log, as it ends the machine.
   */
  private void writeConsoleLog(ByteSink out, Variation v, long bytes) {
    SplittableRandom random = v.random();
    long start = out.position();
    long end = start + Math.max(bytes, 4096);
    int crashCount = switch (random.nextInt(20)) {
      case 0, 1, 2, 3, 4, 5, 6 -> 0;
      case 7, 8, 9, 10, 11, 12, 13, 14, 15 -> 1;
      default -> 2;
    };
    long[] crashAt = new long[crashCount];
    for (int k = 0; k < crashCount; k++) {
      crashAt[k] = start + (long) (random.nextDouble() * (end - start));
    }
    java.util.Arrays.sort(crashAt);
    Console console = new Console(random);
    int nextCrash = 0;
    while (out.position() < end) {
      if (nextCrash < crashCount && out.position() >= crashAt[nextCrash]) {
        nextCrash++;
        ConsoleBlock crash = crashes.get(random.nextInt(crashes.size()));
        v.nextRecord();
        for (int k = 0; k < crash.lines.size(); k++) {
          console.prefix(out, crash.tasks.get(k), v);
          crash.lines.get(k).render(out, v);
          out.newline();
        }
        if (crash.fatal) {
          return;
        }
      } else if (random.nextInt(10) < 3) {
        console.program(out, programs.get(random.nextInt(programs.size())), v);
      } else {
        for (int n = 1 + random.nextInt(6); n > 0; n--) {
          console.chatterPrefix(out);
          chatter.get(random.nextInt(chatter.size())).render(out, v);
          out.newline();
        }
      }
    }
  }

  private void writeReport(ByteSink out, Variation v) {
    v.nextRecord();
    for (LineTemplate line : report) {
      line.render(out, v);
      out.newline();
    }
  }

  private void writeBisection(ByteSink out, Variation v) {
    v.nextRecord();
    for (LineTemplate line : bisection) {
      line.render(out, v);
      out.newline();
    }
  }

  /** The clock and the running tasks of one console log. */
  private static final class Console {
    private final SplittableRandom random;
    private final int[] tasks;
    private long micros;
    private int programNumber;

    Console(SplittableRandom random) {
      this.random = random;
      this.micros = 5_000_000L + random.nextLong(900_000_000L);
      this.tasks = new int[4 + random.nextInt(5)];
      int base = 2000 + random.nextInt(20000);
      for (int k = 0; k < tasks.length; k++) {
        base += 1 + random.nextInt(60);
        tasks[k] = base;
      }
    }

    /** "[  772.918915][ T5120] " for a chatter line: a fuzzing task, or a kernel worker, or a CPU. */
    void chatterPrefix(ByteSink out) {
      int pick = random.nextInt(10);
      if (pick < 6) {
        write(out, 'T', tasks[random.nextInt(tasks.length)]);
      } else if (pick < 9) {
        write(out, 'T', 1 + random.nextInt(200));
      } else {
        write(out, 'C', random.nextInt(2));
      }
    }

    /** The prefix of a crash line, printed by the sample's task mapped to this record's pid. */
    void prefix(ByteSink out, String task, Variation v) {
      if (task.isEmpty()) {
        return;
      }
      char kind = task.charAt(0);
      String id = task.substring(1);
      int number = kind == 'C' || id.length() < 3 ? Integer.parseInt(id) : v.pid(id);
      write(out, kind, number);
    }

    private void write(ByteSink out, char kind, int id) {
      micros += 4 + random.nextInt(4000);
      out.ascii('[');
      out.decimal(micros / 1_000_000, 5, ' ');
      out.ascii('.');
      out.decimal(micros % 1_000_000, 6, '0');
      out.ascii("][");
      int digits = Integer.toString(id).length() + 1;
      for (int k = digits; k < 6; k++) {
        out.ascii(' ');
      }
      out.ascii(kind);
      out.decimal(id);
      out.ascii("] ");
    }

    /** "2.300000s ago: executing program 6 (id=5162):", the program, and an empty line. */
    void program(ByteSink out, List<LineTemplate> program, Variation v) {
      long ago = random.nextLong(30_000_000L);
      out.decimal(ago / 1_000_000);
      out.ascii('.');
      out.decimal(ago % 1_000_000, 6, '0');
      out.ascii("s ago: executing program ");
      out.decimal(programNumber++);
      out.ascii(" (id=");
      out.decimal(tasks[random.nextInt(tasks.length)]);
      out.ascii("):\n");
      for (LineTemplate line : program) {
        line.render(out, v);
        out.newline();
      }
      out.newline();
    }
  }

  // ---- command line ----

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ArchiveGenerator OUT [SIZE]   (SIZE: bytes, or with k/m/g suffix; default 1g)");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    long size = args.length > 1 ? parseSize(args[1]) : DEFAULT_BYTES;
    long t0 = System.nanoTime();
    generate(out, size);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT, "wrote %s: %,d bytes in %.1f s%n", out, Files.size(out), seconds);
  }

  static long parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      default -> {}
    }
    if (unit != 1) {
      t = t.substring(0, t.length() - 1);
    }
    return Math.round(Double.parseDouble(t) * unit);
  }
}
