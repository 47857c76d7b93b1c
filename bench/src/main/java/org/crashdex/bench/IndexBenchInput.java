package org.crashdex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The input of {@link IndexBenchmark}: the shared corpus (bisection logs, syzbot reports, syzkaller
 * logs) copied round after round into a directory until it holds the size asked. Each round rotates
 * the hex digits of every long hex run (commits, signatures, addresses), so hashes do not repeat and
 * the terms dictionary grows as it would on a real archive. Deterministic; built once and reused.
 */
final class IndexBenchInput {
  private IndexBenchInput() {}

  static Path build(Path corpus, long minBytes, Path workDir) throws IOException {
    Path dir = workDir.resolve("index-input-" + (minBytes >> 20) + "m");
    Path done = dir.resolve(".complete");
    if (Files.exists(done)) {
      return dir;
    }
    List<Path> files = new ArrayList<>();
    for (String part : List.of("bisection-logs", "syzbot-reports", "syzkaller-reports")) {
      try (Stream<Path> s = Files.walk(corpus.resolve(part))) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    long written = 0;
    FileTime settled = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    for (int round = 0; written < minBytes; round++) {
      Path roundDir = Files.createDirectories(dir.resolve(String.format("r%03d", round)));
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        rotateHex(bytes, round);
        Path out = roundDir.resolve(f.getParent().getFileName() + "-" + f.getFileName());
        Files.write(out, bytes);
        Files.setLastModifiedTime(out, settled);
        written += bytes.length;
        if (written >= minBytes) {
          break;
        }
      }
    }
    Files.writeString(done, Long.toString(written));
    return dir;
  }

  /** Rotates each digit of hex runs of 12 or more characters by {@code round}. */
  private static void rotateHex(byte[] b, int round) {
    if (round == 0) {
      return;
    }
    int i = 0;
    while (i < b.length) {
      if (!isHex(b[i])) {
        i++;
        continue;
      }
      int j = i;
      while (j < b.length && isHex(b[j])) {
        j++;
      }
      if (j - i >= 12) {
        for (int k = i; k < j; k++) {
          int v = Character.digit(b[k], 16);
          b[k] = (byte) Character.forDigit((v + round) & 15, 16);
        }
      }
      i = j;
    }
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
