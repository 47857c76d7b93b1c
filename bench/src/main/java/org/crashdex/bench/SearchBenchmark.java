package org.crashdex.bench;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.lucene.search.Query;
import org.crashdex.index.IndexListener;
import org.crashdex.index.IndexSummary;
import org.crashdex.index.Indexer;
import org.crashdex.search.CrashQueryParser;
import org.crashdex.search.CrashSearcher;

/**
 * Search latency on an index of a million or more records: term ({@code func:}), prefix (a commit
 * abbreviation, {@code commit:} with 8 hex digits) and phrase queries, each parsed, run for the top 10
 * and its hits' stored fields loaded, as {@code crashdex search} does. One thread, after warm-up;
 * p50 and p99 in milliseconds.
 *
 * <p>The records are synthesised (deterministically) as console logs of short KASAN reports: a
 * title naming one of 20 000 functions, a six-frame trace drawn from the same names with a skew (a
 * few functions are in most traces, most in few, as in real archives), a HEAD commit and a kernel
 * signature; they go through the real pipeline ({@code Indexer}). The index is kept in the work
 * directory and reused by later runs of the same schema version.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx512m \
 *   -cp bench/target/benchmarks.jar org.crashdex.bench.SearchBenchmark [records] [workdir]
 * </pre>
 */
public final class SearchBenchmark {
  static final int FUNCTIONS = 20_000;
  static final int RECORDS_PER_FILE = 1000;
  static final long SEED = 0x5EA2C4L;

  private SearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path work = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"), "crashdex-bench");
    Path index = work.resolve("search-index-" + records);
    // The marker names the schema: an index of an older layout is built again.
    Path complete = index.resolve(".complete-schema-" + org.crashdex.index.IndexSchema.VERSION);
    if (!Files.exists(complete)) {
      Path logs = work.resolve("search-input-" + records);
      generate(logs, records);
      IndexBenchmark.delete(index);
      long t0 = System.nanoTime();
      IndexSummary s;
      try (Indexer indexer = Indexer.open(index, Indexer.Options.defaults())) {
        s = indexer.index(List.of(logs), IndexListener.NONE);
      }
      System.out.printf(Locale.ROOT, "indexed %d records (%.0f MB) in %.1f s%n", s.records(), s.bytes() / 1e6, (System.nanoTime() - t0) / 1e9);
      Files.writeString(complete, Long.toString(s.records()));
    }
    SplittableRandom random = new SplittableRandom(7);
    List<String> commits = commits(records);
    try (CrashSearcher searcher = CrashSearcher.open(index)) {
      System.out.printf(Locale.ROOT, "index: %s, %d records%n", index, searcher.count(CrashQueryParser.parse("")));
      System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s%n", "query", "p50 ms", "p99 ms", "hits/q");
      run(searcher, "term    func:<name>", () -> "func:" + function(random.nextInt(FUNCTIONS)));
      run(searcher, "prefix  commit:<8 hex>", () -> "commit:" + commits.get(random.nextInt(commits.size())).substring(0, 8));
      run(searcher, "phrase  \"read in <name>\"", () -> "\"read in " + function(random.nextInt(FUNCTIONS)) + "\"");
      run(searcher, "phrase  \"use-after-free Read\" (1/4)", () -> "\"use-after-free Read\"");
      run(searcher, "bool    func:<a> AND type:KASAN*", () -> "func:" + function(skewed(random)) + " AND type:KASAN*");
    }
  }

  interface QuerySource {
    String next();
  }

  private static void run(CrashSearcher searcher, String label, QuerySource queries) throws Exception {
    for (int i = 0; i < 300; i++) { // warm-up
      searcher.search(CrashQueryParser.parse(queries.next()), 10);
    }
    int n = 2000;
    double[] ms = new double[n];
    long hits = 0;
    for (int i = 0; i < n; i++) {
      String q = queries.next();
      long t0 = System.nanoTime();
      Query query = CrashQueryParser.parse(q);
      hits += searcher.search(query, 10).size();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %9.1f%n", label, ms[n / 2], ms[(int) (n * 0.99)], (double) hits / n);
  }

  /** Function names: letters only, so no two differ by digits alone. */
  static String function(int i) {
    StringBuilder b = new StringBuilder("fn_");
    for (int v = i + 1; v > 0; v /= 26) {
      b.append((char) ('a' + v % 26));
    }
    return b.toString();
  }

  /** A skewed pick: low indexes far more often (a few functions are in most traces). */
  static int skewed(SplittableRandom r) {
    double u = r.nextDouble();
    return (int) Math.min(FUNCTIONS - 1, Math.floor(Math.pow(FUNCTIONS, u * u)) - 1);
  }

  static String hex(SplittableRandom r, int digits) {
    StringBuilder b = new StringBuilder(digits);
    while (b.length() < digits) {
      String h = Long.toHexString(r.nextLong());
      b.append("0".repeat(16 - h.length())).append(h);
    }
    return b.substring(0, digits);
  }

  /** The HEAD commits of the synthetic records: one per file, as a CI run of one kernel would have. */
  static List<String> commits(int records) {
    SplittableRandom r = new SplittableRandom(SEED ^ 0xC0);
    List<String> out = new ArrayList<>();
    for (int f = 0; f < (records + RECORDS_PER_FILE - 1) / RECORDS_PER_FILE; f++) {
      out.add(hex(r, 40));
    }
    return out;
  }

  static void generate(Path dir, int records) throws Exception {
    if (Files.exists(dir.resolve(".complete"))) {
      return;
    }
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(SEED);
    List<String> commits = commits(records);
    String[] kinds = {"use-after-free Read", "use-after-free Write", "slab-out-of-bounds Read", "null-ptr-deref Write"};
    FileTime settled = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    for (int f = 0, done = 0; done < records; f++) {
      Path file = dir.resolve(String.format("console-%05d.log", f));
      try (BufferedWriter w = Files.newBufferedWriter(file)) {
        for (int i = 0; i < RECORDS_PER_FILE && done < records; i++, done++) {
          String top = function(r.nextInt(FUNCTIONS));
          w.write("[ 100.000000][ T1] BUG: KASAN: " + kinds[r.nextInt(kinds.length)] + " in " + top + "+0x1f/0x80\n");
          w.write("[ 100.000001][ T1] Read of size 8 at addr ffff8880" + hex(r, 8) + " by task syz-executor/" + r.nextInt(30000) + "\n");
          w.write("[ 100.000002][ T1] CPU: 1 PID: 1 Comm: syz-executor Not tainted 6.1." + r.nextInt(90) + "-syzkaller #0\n");
          w.write("[ 100.000003][ T1] Call Trace:\n");
          w.write("[ 100.000004][ T1]  " + top + "+0x1f/0x80 net/core/f" + r.nextInt(500) + ".c:" + r.nextInt(3000) + "\n");
          for (int k = 0; k < 5; k++) {
            w.write("[ 100.000005][ T1]  " + function(skewed(r)) + "+0x" + Integer.toHexString(r.nextInt(4096)) + "/0x1000\n");
          }
          w.write("[ 100.000006][ T1] HEAD commit: " + commits.get(f) + "\n");
        }
      }
      Files.setLastModifiedTime(file, settled);
    }
    Files.writeString(dir.resolve(".complete"), Integer.toString(records));
  }
}
