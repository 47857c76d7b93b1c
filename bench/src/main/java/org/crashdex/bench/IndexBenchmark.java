package org.crashdex.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.crashdex.index.IndexListener;
import org.crashdex.index.IndexSummary;
import org.crashdex.index.Indexer;
import org.crashdex.scan.MappedFile;
import org.crashdex.scan.RecordScanner;

/**
 * Indexing throughput, end to end, against a baseline in the same run: a plain Lucene
 * {@code IndexWriter} with {@code StandardAnalyzer} that indexes each record (found by the same
 * scanner) as one String, with the same number of threads (files spread over a pool) and the same
 * RAM buffer. crashdex does more per record (parsers, harvested fields, doc values, file documents,
 * periodic commits) and is still measured wall clock from walk to final commit.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx512m \
 *   -XX:+UseParallelGC -cp bench/target/benchmarks.jar org.crashdex.bench.IndexBenchmark \
 *   ../shared/corpus [MB] [rounds] [workdir] [warm-up rounds]
 * </pre>
 *
 * Prints MB/s (10^6 bytes of input per second) of each, the ratio, and each index's size as a share
 * of the input. Runs alternate (baseline, crashdex, baseline, …) and medians are reported, since the
 * machines this runs on are shared; the first rounds (4 by default) are warm-up and not counted. The
 * GC is the one the {@code crashdex} launcher runs with (parallel), for both.
 */
public final class IndexBenchmark {
  private IndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
    long mb = args.length > 1 ? Long.parseLong(args[1]) : 128;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path work = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"), "crashdex-bench");
    int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int threads = Runtime.getRuntime().availableProcessors();
    Path input = IndexBenchInput.build(corpus, mb << 20, work);
    long bytes = IndexBenchInput.sizeOf(input);
    System.out.printf(Locale.ROOT, "input: %s, %.1f MB, %d threads, heap %d MB%n", input, bytes / 1e6, threads, Runtime.getRuntime().maxMemory() >> 20);
    double[] base = new double[rounds], ours = new double[rounds];
    double[] baseCpu = new double[rounds], ourCpu = new double[rounds];
    long baseSize = 0, ourSize = 0, baseRecords = 0, ourRecords = 0;
    for (int round = -warmups; round < rounds; round++) {
      // Warm-up rounds (negative) let the JIT compile both indexers, as JMH's warm-up iterations do:
      // crashdex has far more code to compile, so counting them would measure the compiler.
      int r = Math.max(round, 0);
      Path bdir = work.resolve("baseline-index");
      delete(bdir);
      long t0 = System.nanoTime(), c0 = processCpuNanos();
      baseRecords = baseline(input, bdir, threads);
      base[r] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
      baseCpu[r] = (processCpuNanos() - c0) / 1e9;
      baseSize = IndexBenchInput.sizeOf(bdir);

      Path cdir = work.resolve("crashdex-index");
      delete(cdir);
      long t1 = System.nanoTime(), c1 = processCpuNanos();
      IndexSummary s;
      try (Indexer indexer = Indexer.open(cdir, Indexer.Options.defaults().withThreads(threads))) {
        s = indexer.index(List.of(input), IndexListener.NONE);
      }
      ours[r] = bytes / 1e6 / ((System.nanoTime() - t1) / 1e9);
      ourCpu[r] = (processCpuNanos() - c1) / 1e9;
      ourSize = IndexBenchInput.sizeOf(cdir);
      ourRecords = s.records();
      System.out.printf(
          Locale.ROOT,
          "%s %d: baseline %.1f MB/s (%.2f s CPU), crashdex %.1f MB/s (%.2f s CPU) (%.2fx)%n",
          round < 0 ? "warm-up" : "round", round < 0 ? warmups + round : round, base[r], baseCpu[r], ours[r], ourCpu[r], ours[r] / base[r]);
    }
    double b = median(base), c = median(ours);
    System.out.printf(Locale.ROOT, "%-10s %10s %10s %10s %12s%n", "indexer", "MB/s", "CPU s", "records", "index/input");
    System.out.printf(Locale.ROOT, "%-10s %10.1f %10.2f %10d %11.1f%%%n", "baseline", b, median(baseCpu), baseRecords, 100.0 * baseSize / bytes);
    System.out.printf(Locale.ROOT, "%-10s %10.1f %10.2f %10d %11.1f%%%n", "crashdex", c, median(ourCpu), ourRecords, 100.0 * ourSize / bytes);
    System.out.printf(Locale.ROOT, "ratio crashdex/baseline: %.2fx (medians of %d rounds after %d warm-up), CPU %.2fx%n", c / b, rounds, warmups, median(baseCpu) / median(ourCpu));
    // Each round runs the two back to back, so a round's own ratio is the least touched by the
    // machine's speed drifting between rounds; the ratio of medians above stays the headline.
    double[] paired = new double[rounds];
    StringBuilder each = new StringBuilder();
    for (int r = 0; r < rounds; r++) {
      paired[r] = ours[r] / base[r];
      each.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", paired[r]));
    }
    System.out.printf(Locale.ROOT, "paired: median of the rounds' own ratios %.2fx (%s)%n", median(paired), each);
  }

  /** Plain Lucene: every record as one String through StandardAnalyzer, files spread over a pool. */
  static long baseline(Path input, Path indexDir, int threads) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(input)) {
      files = s.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
    IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
    config.setRAMBufferSizeMB(Indexer.Options.defaults().ramBufferMb());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long records = 0;
    try (FSDirectory dir = FSDirectory.open(indexDir);
        IndexWriter writer = new IndexWriter(dir, config)) {
      List<Future<Long>> results = new ArrayList<>();
      for (Path f : files) {
        results.add(
            pool.submit(
                () -> {
                  long n = 0;
                  try (MappedFile m = MappedFile.open(f)) {
                    MemorySegment data = m.segment();
                    List<long[]> spans = new ArrayList<>();
                    RecordScanner.scan(data, (offset, length, kind) -> spans.add(new long[] {offset, length}));
                    for (long[] span : spans) {
                      byte[] bytes = data.asSlice(span[0], span[1]).toArray(ValueLayout.JAVA_BYTE);
                      Document doc = new Document();
                      doc.add(new StoredField("source", f.toString()));
                      doc.add(new StoredField("offset", span[0]));
                      doc.add(new TextField("text", new String(bytes, StandardCharsets.UTF_8), Field.Store.NO));
                      writer.addDocument(doc);
                      n++;
                    }
                  }
                  return n;
                }));
      }
      for (Future<Long> r : results) {
        records += r.get();
      }
      writer.commit();
    } finally {
      pool.shutdown();
    }
    return records;
  }

  /** CPU time of the whole process (all threads, GC and JIT included), the fair measure on a shared machine. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void delete(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
