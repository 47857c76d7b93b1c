package org.crashdex.scan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The substrings that open a kernel crash report ("oops line"), in syzkaller's order of precedence,
 * each with the strings that disqualify a line that contains it.
 *
 * <p>A header may stand anywhere in a line ("watchdog: BUG: soft lockup", "rcu: INFO: …"). When one
 * line holds several, the first in declaration order wins.
 */
public enum OopsHeader {
  BUG("BUG:", List.of("ODEBUG:", "Boot_DEBUG:", "xlog_status:", "DEBUG:", "BUG: no syscalls can create resource")),
  WARNING(
      "WARNING:",
      List.of(
          "WARNING: /etc/ssh/moduli does not exist",
          "WARNING: workqueue cpumask: online intersect > possible intersect",
          "WARNING: The mand mount option",
          "WARNING: the mand mount option",
          "WARNING: Unsupported flag value(s) of 0x",
          "WARNING: Unprivileged eBPF is enabled with eIBRS",
          "missed to adjust virtual screen size",
          "for mitigation options.",
          "WARNING: kernel not compiled with CPU_SRSO",
          "EXT4-fs:",
          "EXT4-fs (",
          ": WARNING"),
      Pattern.compile("(?i)warning: .* uses (?:deprecated v2 capabilities|wireless extensions)|XFS \\(\\w+\\): WARNING")),
  INFO(
      "INFO:",
      List.of(
          "INFO: lockdep is turned off",
          "INFO: Stall ended before state dump start",
          "INFO: NMI handler",
          "INFO: recovery required on readonly filesystem",
          "INFO: no syscalls can create resource",
          "rmt_storage:INFO:",
          "_INFO:"),
      Pattern.compile("(?:handler|interrupt).*took too long|INFO: sys_.* is not present in /proc/kallsyms")),
  UNABLE_TO_HANDLE("Unable to handle kernel", List.of()),
  GENERAL_PROTECTION_FAULT("general protection fault", List.of(), Pattern.compile("general protection fault.*error:\\d+ in ")),
  STACK_SEGMENT("stack segment: ", List.of()),
  KERNEL_PANIC("Kernel panic", List.of()),
  DOUBLE_FAULT("PANIC: double fault", List.of()),
  RUST_PANIC("rust_kernel: panicked", List.of()),
  KERNEL_BUG("kernel BUG", List.of()),
  KERNEL_BUG_UPPER("Kernel BUG", List.of()),
  BUG_KMALLOC("BUG kmalloc-", List.of()),
  DIVIDE_ERROR("divide error:", List.of()),
  DIVIDE_ERROR_UNDERSCORE("divide_error:", List.of()),
  INVALID_OPCODE("invalid opcode:", List.of()),
  INT3("int3:", List.of()),
  UBSAN("UBSAN:", List.of()),
  BOOTING("Booting the kernel.", List.of("Parsing ELF", "Decompressing Linux", "Unknown parameter '")),
  UNREGISTER_NETDEVICE("unregister_netdevice: waiting for", List.of()),
  VFS_CLOSE("VFS: Close: file count is 0", List.of()),
  VFS_BUSY_INODES("VFS: Busy inodes after unmount", List.of()),
  INTERNAL_ERROR("Internal error:", List.of()),
  UNHANDLED_FAULT("Unhandled fault:", List.of()),
  ALIGNMENT_TRAP("Alignment trap:", List.of()),
  TRUSTY_PANIC("trusty: panic", List.of()),
  GO_FATAL_ERROR("fatal error:", List.of("ALSA", "fatal error: cannot create timer")),
  SYZFAIL("SYZFAIL:", List.of()),
  SYZFATAL("SYZFATAL:", List.of()),
  GO_PANIC("panic:", List.of("_panic:", "xlog_status:", "ddb.onpanic:", "evtlog_status:"));

  private static final OopsHeader[] VALUES = values();

  private final String text;
  private final byte[] bytes;
  private final List<String> exclusions;
  private final Pattern exclusionPattern;

  OopsHeader(String text, List<String> exclusions) {
    this(text, exclusions, null);
  }

  OopsHeader(String text, List<String> exclusions, Pattern exclusionPattern) {
    this.text = text;
    this.bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    this.exclusions = exclusions;
    this.exclusionPattern = exclusionPattern;
  }

  /** The header substring, e.g. "BUG:". */
  public String text() {
    return text;
  }

  byte[] bytes() {
    return bytes;
  }

  /** True when {@code line} contains this header and nothing that disqualifies it. */
  public boolean matches(String line) {
    return line.contains(text) && !excluded(line);
  }

  boolean excluded(String line) {
    for (String e : exclusions) {
      if (line.contains(e)) {
        return true;
      }
    }
    return exclusionPattern != null && mayExclude(line) && exclusionPattern.matcher(line).find();
  }

  /**
   * A necessary condition for {@link #exclusionPattern} to match: literals each of its alternatives
   * holds. The patterns open with ".*"-style scans that cost a walk over the whole line, and
   * nearly no header line holds their literals.
   */
  private boolean mayExclude(String line) {
    return switch (this) {
      // (?i): " uses " or "XFS (" in any ASCII case.
      case WARNING -> containsIgnoreCase(line, " uses ") || containsIgnoreCase(line, "xfs (");
      case INFO -> line.contains("took too long") || line.contains("/proc/kallsyms");
      case GENERAL_PROTECTION_FAULT -> line.contains("error:");
      default -> true;
    };
  }

  /** Whether {@code s} holds {@code lower} (lower case ASCII) with ASCII letters in either case, as (?i) compares them. */
  private static boolean containsIgnoreCase(String s, String lower) {
    char first = lower.charAt(0);
    int last = s.length() - lower.length();
    for (int i = 0; i <= last; i++) {
      char c = s.charAt(i);
      if ((c == first || toLower(c) == first) && s.regionMatches(true, i, lower, 0, lower.length())) {
        return true;
      }
    }
    return false;
  }

  private static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /**
   * The header that makes {@code line} an oops line, or null. Headers are tried in precedence
   * order; a header whose exclusion matches does not stop later headers from being tried.
   */
  public static OopsHeader find(String line) {
    for (OopsHeader h : VALUES) {
      if (h.matches(line)) {
        return h;
      }
    }
    return null;
  }

  /**
   * True for headers that do not end the title text of the report before them (a panic that follows
   * a WARNING is part of that crash, not a new one).
   */
  public static boolean continuesReport(String line) {
    return line.contains("invalid opcode: 0000")
        || line.contains("Kernel panic - not syncing")
        || line.contains("unregister_netdevice: waiting for")
        || line.contains("PANIC: double fault")
        || line.contains("Internal error:");
  }
}
