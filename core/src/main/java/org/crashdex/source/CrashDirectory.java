package org.crashdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a syz-manager crash directory ({@code <workdir>/crashes/<sha1 of title>/}, see
 * archives.md), recognised by its {@code description} file, and what becomes of each:
 *
 * <ul>
 *   <li>{@code log<N>} (console output) and {@code report<N>} (the extracted report) are read as logs,
 *       their records carrying a {@link WorkdirCrash}: the directory's id, its description, the
 *       occurrence's {@code tag<N>};
 *   <li>{@code description} and {@code tag<N>} are read into those records, not indexed themselves;
 *   <li>{@code machineInfo<N>}, {@code title-stat}, {@code repro.*}, {@code repro<N>}, {@code
 *       strace.log}: machine descriptions, statistics and reproducer artifacts, passed over with a note
 *       (a reproducer's log re-runs the same crash: indexing it would count the crash twice);
 *   <li>{@code vmcore}: a binary memory dump, passed over with a note;
 *   <li>anything else is read as an ordinary file.
 * </ul>
 */
final class CrashDirectory {
  /** The name of the file that makes a directory a crash directory. */
  static final String DESCRIPTION = "description";

  /** Longest description or tag read: one line of a title or a commit. */
  static final int MAX_META_BYTES = 4096;

  private static final Pattern OCCURRENCE = Pattern.compile("(log|report|tag)(\\d{1,6})");
  private static final Pattern SKIPPED = Pattern.compile("machineInfo\\d+|title-stat|repro\\..*|repro\\d+|strace\\.log");

  enum Role {
    LOG,
    REPORT,
    TAG,
    DESCRIPTION,
    SKIPPED,
    VMCORE,
    OTHER
  }

  /** A file's role, by its name, and its occurrence number (or -1). */
  record Entry(Role role, int occurrence) {
    /** Why a file of this role is not read as a log, or null when it is. */
    String skipReason() {
      return switch (role) {
        case DESCRIPTION, TAG -> "syz-manager crash metadata, carried by the records of its log/report files";
        case SKIPPED -> "syz-manager crash artifact (machine info, statistics or reproducer), not indexed as a log";
        case VMCORE -> "syz-manager memory dump (vmcore), binary, not indexed";
        default -> null;
      };
    }
  }

  private CrashDirectory() {}

  static Entry classify(String fileName) {
    Matcher m = OCCURRENCE.matcher(fileName);
    if (m.matches()) {
      int n = Integer.parseInt(m.group(2));
      return new Entry(
          switch (m.group(1)) {
            case "log" -> Role.LOG;
            case "report" -> Role.REPORT;
            default -> Role.TAG;
          },
          n);
    }
    if (fileName.equals(DESCRIPTION)) {
      return new Entry(Role.DESCRIPTION, -1);
    }
    if (fileName.equals("vmcore")) {
      return new Entry(Role.VMCORE, -1);
    }
    if (SKIPPED.matcher(fileName).matches()) {
      return new Entry(Role.SKIPPED, -1);
    }
    return new Entry(Role.OTHER, -1);
  }

  private static final Pattern CRASH_ID = Pattern.compile("[0-9a-f]{40}");

  /** Whether a directory name is a crash id: a SHA-1 in lower-case hex. */
  static boolean looksLikeCrashId(String dirName) {
    return CRASH_ID.matcher(dirName).matches();
  }

  /** Whether {@code dir} is a crash directory. */
  static boolean isCrashDirectory(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve(DESCRIPTION));
  }

  /** The crash info of a log/report file of a crash directory on disk. */
  static WorkdirCrash info(Path dir, Entry entry) throws IOException {
    String description = firstLine(dir.resolve(DESCRIPTION));
    Path tagFile = dir.resolve("tag" + entry.occurrence());
    String tag = Files.isRegularFile(tagFile) ? firstLine(tagFile) : null;
    return of(dir.getFileName().toString(), description, tag, entry);
  }

  static WorkdirCrash of(String crashId, String description, String tag, Entry entry) {
    return new WorkdirCrash(crashId, description, tag, entry.occurrence(), entry.role() == Role.LOG ? "log" : "report");
  }

  static String firstLine(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return firstLine(in.readNBytes(MAX_META_BYTES));
    }
  }

  /** The first line, trimmed; empty for an empty file. */
  static String firstLine(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
