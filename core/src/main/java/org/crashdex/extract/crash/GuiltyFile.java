package org.crashdex.extract.crash;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crashdex.extract.ConsoleLine;

/**
 * The source file syzkaller blames for a crash: the file whose maintainers get the report.
 *
 * <p>The rule (spec §9, list A8) walks the symbolised report from its oops line. On each line the
 * first "path.c:N" or "path.h:N" is a candidate. Files that are everybody's helpers (headers, lib/,
 * locking, the scheduler, the allocators, KASAN, arch trap and fault handlers, the core of the
 * network stack …) and lines that only describe locks ("hardirqs last enabled at", ", at: ",
 * "#0:" lock lists, "Register rN information") are passed over. The first candidate left wins; when
 * none is left, the very first candidate is returned so that a report always has someone to go to.
 *
 * <p>After the winner, a later candidate that lies deeper in the winner's own directory replaces it
 * ("sound/core/pcm_native.c" gives way to "sound/core/oss/pcm_oss.c"): a subsystem's core calling
 * into one of its drivers usually means the driver is at fault. For RCU stalls the walk starts at
 * the interrupt that reported the stall, because the frames above it are the stall machinery.
 */
public final class GuiltyFile {
  private GuiltyFile() {}

  /** syzkaller's file pattern: the first "dir/name.c:N" or "dir/name.h:N" of a line. */
  private static final Pattern FILE = Pattern.compile("([a-zA-Z0-9_\\-./]*[a-zA-Z0-9_\\-]+\\.(?:c|h)):[0-9]+");

  /**
   * Files never blamed (A8). The patterns are syzkaller's, dots unescaped as there: "mm/sl.b.c"
   * also passes over mm/slab_common.c, and the test data expects exactly that.
   */
  private static final Pattern IGNORED_FILE =
      Pattern.compile(
          ".*\\.h"
              + "|^lib/|^virt/lib/|^mm/kasan/|^mm/kmsan/|^kernel/rcu/|^kernel/locking/|^trusty/"
              + "|^kernel/sched/.*.c|^mm/percpu|^kernel/kcov.c|^mm/sl.b.c"
              + "|^mm/filemap.c|^mm/folio-compat.c|^mm/truncate.c|^mm/memory.c|^mm/vmalloc.c"
              + "|^mm/page_alloc.c|^mm/mempool.c|^mm/util.c"
              + "|^arch/.*/kernel/traps.c|^arch/.*/kernel/unwind.*.c|^arch/.*/kernel/stacktrace.c"
              + "|^arch/.*/kernel/apic/apic.c|^arch/.*/mm/fault.c|^arch/.*/mm/physaddr.c"
              + "|^arch/arm64/kernel/entry.*.c|^arch/arm64/kernel/process.c|^arch/.*/lib/crc"
              + "|^kernel/panic.c|^kernel/printk/printk.*.c|^kernel/softirq.c|^kernel/kthread.c"
              + "|^kernel/stacktrace.c|^kernel/time/timer.c|^kernel/workqueue.c"
              + "|^net/core/dev.c|^net/core/sock.c|^net/core/skbuff.c|^fs/proc/generic.c"
              + "|^drivers/usb/core/urb.c");

  /** Lines whose file names say where a lock was taken, not where the bug is. */
  private static final Pattern IGNORED_LINE =
      Pattern.compile(
          "(?:hardirqs|softirqs)\\s+last\\s+(?:enabled|disabled)|,\\s*at: |^\\s*#[0-9]+:|Register r[0-9]+ information");

  /** A deeper path adds at least one directory below the winner's directory. */
  private static final Pattern DEEPER = Pattern.compile("^/[a-zA-Z0-9_\\-]+/[a-zA-Z0-9_\\-]+");

  /** Where an RCU stall's own stack starts, in order of preference. */
  private static final String[] STALL_INTERRUPTS = {"apic_timer_interrupt+0x", "el1h_64_irq+0x", "Exception stack"};

  /**
   * The guilty file of a report, or null when no line names a source file.
   *
   * <p>{@code report} is the report text as syzkaller saves it: from the oops line on, without the
   * prefix lines before it (questionable lines are skipped here in any case). {@code title} may be
   * null; it is only consulted to recognise RCU stalls ("INFO: rcu detected stall…").
   *
   * <pre>{@code String file = GuiltyFile.find(reportLines, title); // "net/ipv6/ip6_output.c"}</pre>
   */
  public static String find(List<ConsoleLine> report, String title) {
    String[] texts = texts(report);
    if (title != null && title.startsWith("INFO: rcu detected stall")) {
      for (String interrupt : STALL_INTERRUPTS) {
        for (int i = 0; i < texts.length; i++) {
          int pos = texts[i].indexOf(interrupt);
          if (pos >= 0) {
            String[] tail = new String[texts.length - i];
            System.arraycopy(texts, i, tail, 0, tail.length);
            tail[0] = texts[i].substring(pos);
            String file = fromLines(tail);
            if (file != null) {
              return file;
            }
            break;
          }
        }
      }
    }
    return fromLines(texts);
  }

  private static String[] texts(List<ConsoleLine> report) {
    String[] texts = new String[report.size()];
    int n = 0;
    for (ConsoleLine line : report) {
      if (line.text().startsWith(StackFrames.DISASSEMBLY)) {
        break;
      }
      if (!line.questionable()) {
        texts[n++] = line.text();
      }
    }
    return n == texts.length ? texts : Arrays.copyOf(texts, n);
  }

  private static String fromLines(String[] lines) {
    String guilty = null;
    int i = 0;
    for (; i < lines.length; i++) {
      String file = candidate(lines[i]);
      if (file == null) {
        continue;
      }
      if (guilty == null) {
        guilty = file; // the fallback: better a helper's file than nobody to mail
      }
      if (!ignored(file, lines[i])) {
        guilty = StackFrames.cleanPath(file);
        i++;
        break;
      }
    }
    if (guilty == null) {
      return null;
    }
    String deepest = parent(guilty);
    for (; i < lines.length; i++) {
      String file = candidate(lines[i]);
      if (file == null || ignored(file, lines[i])) {
        continue;
      }
      String clean = StackFrames.cleanPath(file);
      if (clean.startsWith(deepest) && DEEPER.matcher(clean.substring(deepest.length())).find()) {
        guilty = clean;
        deepest = parent(guilty);
      }
    }
    return guilty;
  }

  /** The line's first source-file mention, or null. */
  private static String candidate(String line) {
    // Cheap reject: a mention needs ".c:" or ".h:".
    boolean possible = false;
    for (int colon = line.indexOf(':'); colon >= 0; colon = line.indexOf(':', colon + 1)) {
      if (colon >= 2 && line.charAt(colon - 2) == '.') {
        char ext = line.charAt(colon - 1);
        if (ext == 'c' || ext == 'h') {
          possible = true;
          break;
        }
      }
    }
    if (!possible) {
      return null;
    }
    Matcher m = FILE.matcher(line);
    return m.find() ? m.group(1) : null;
  }

  private static boolean ignored(String file, String line) {
    return IGNORED_FILE.matcher(file).find() || IGNORED_LINE.matcher(line).find();
  }

  /** Go's {@code filepath.Dir}: the path without its last element; "." for a bare name. */
  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : path.substring(0, slash);
  }
}
