package org.crashdex.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.crashdex.source.Source;
import org.crashdex.source.SourceVisitor;
import org.crashdex.source.SourceWalker;

/**
 * Decompress-and-scan throughput of compressed tarballs against the command-line decoders in the same
 * run: {@code crashdex}'s {@link SourceWalker} (streaming decoder, tar, piece buffer, {@code
 * RecordScanner}) over a {@code .tar.zst} and a {@code .tar.gz}, timed against {@code zstd -dc FILE |
 * wc -l} and {@code gzip -dc FILE | wc -l}: the least work any tool that reads every line must do.
 *
 * <p>Not a JMH benchmark: the baseline is another process. Each measurement alternates crashdex and
 * the baseline, {@link #RUNS} times after one warm-up of each, and reports medians of the wall time,
 * as MB/s of uncompressed bytes (MB = 10^6 bytes), and the ratio crashdex / baseline (above 1: faster
 * than the pipe). The archives are built once in a work directory: a tarball of log files cycled from
 * a source directory (the shared corpus by default) up to the requested size, then compressed by the
 * {@code zstd} ({@code -3}) and {@code gzip} ({@code -6}) commands, which must be installed
 * ({@code apt-get install zstd}); the test suite and CI do not need them.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp bench/target/benchmarks.jar org.crashdex.bench.DecompressBenchmark [SOURCE_DIR] [SIZE_MB] [WORK_DIR]
 * </pre>
 */
public final class DecompressBenchmark {
  static final int RUNS = 5;

  private DecompressBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path source = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
    long sizeMb = args.length > 1 ? Long.parseLong(args[1]) : 512;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"), "crashdex-decompress-bench"));
    Path tar = work.resolve("logs-" + sizeMb + "m.tar");
    if (!Files.exists(tar)) {
      writeTar(source, sizeMb * 1_000_000, tar);
    }
    long bytes = Files.size(tar);
    System.out.printf(Locale.ROOT, "input: %s, %.0f MB uncompressed, from %s%n", tar.getFileName(), bytes / 1e6, source);
    System.out.printf(Locale.ROOT, "%-10s %10s %14s %14s %8s %10s%n", "format", "packed MB", "crashdex MB/s", "baseline MB/s", "ratio", "records");
    for (String[] format : List.of(new String[] {"zstd", "zst", "-3"}, new String[] {"gzip", "gz", "-6"})) {
      Path packed = work.resolve(tar.getFileName() + "." + format[1]);
      if (!Files.exists(packed)) {
        run("sh", "-c", format[0] + " " + format[2] + " -c '" + tar + "' > '" + packed + ".part' && mv '" + packed + ".part' '" + packed + "'");
      }
      long[] records = {0};
      scan(packed, records); // warm-up: JIT, page cache
      pipe(format[0], packed);
      double[] ours = new double[RUNS];
      double[] theirs = new double[RUNS];
      for (int i = 0; i < RUNS; i++) {
        records[0] = 0;
        long t0 = System.nanoTime();
        scan(packed, records);
        ours[i] = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        pipe(format[0], packed);
        theirs[i] = (System.nanoTime() - t1) / 1e9;
      }
      double oursMbs = bytes / 1e6 / median(ours);
      double theirsMbs = bytes / 1e6 / median(theirs);
      System.out.printf(Locale.ROOT, "%-10s %10.1f %14.1f %14.1f %8.2f %10d%n",
          "tar." + format[1], Files.size(packed) / 1e6, oursMbs, theirsMbs, oursMbs / theirsMbs, records[0]);
    }
  }

  /** Walks the archive as crashdex does and counts records; fails on any input error. */
  static void scan(Path archive, long[] records) throws Exception {
    SourceWalker.walk(List.of(archive), new SourceVisitor() {
      @Override
      public void source(Source source) {
        source.scan((offset, length, kind) -> records[0]++);
      }

      @Override
      public void failed(String name, String message) {
        throw new IllegalStateException(name + ": " + message);
      }
    });
  }

  static void pipe(String tool, Path archive) throws IOException, InterruptedException {
    run("sh", "-c", tool + " -dc '" + archive + "' | wc -l > /dev/null");
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", command) + " (is it installed? apt-get install zstd)");
    }
  }

  /** A tarball of the files under {@code source}, cycled, each copy under its own directory, until {@code size}. */
  static void writeTar(Path source, long size, Path target) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(source)) {
      s.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    if (files.isEmpty()) {
      throw new IOException("no files under " + source);
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long written = 0;
    try (OutputStream out = Files.newOutputStream(part);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int round = 0; written < size; round++) {
        for (Path f : files) {
          byte[] content = Files.readAllBytes(f);
          TarArchiveEntry e = new TarArchiveEntry("round" + round + "/" + source.relativize(f));
          e.setSize(content.length);
          tar.putArchiveEntry(e);
          tar.write(content);
          tar.closeArchiveEntry();
          written += content.length;
          if (written >= size) {
            break;
          }
        }
      }
    }
    Files.move(part, target);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
