package org.crashdex.bench;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crashdex.extract.ConsoleLine;
import org.crashdex.extract.crash.CrashReportParser;
import org.crashdex.extract.crash.GuiltyFile;
import org.crashdex.extract.crash.KernelFacts;
import org.crashdex.extract.crash.StackFrames;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast crash reports become fields: title, frames, guilty file, kernel facts.
 *
 * <p>Every record the scanner finds goes through {@link CrashReportParser}, so extraction must keep
 * up with reading. The aim is 100 MB/s of report text per core. Each benchmark method
 * processes the whole set of texts once per invocation, on one thread, and counts the megabytes it
 * went through: read the {@code megabytes} secondary result ("·megabytes", in MB/s), not the
 * invocation rate.
 *
 * <p>{@code baseline} is the least any extractor must do: decode the bytes and split them into
 * lines. The ratio of {@code extract} to {@code baseline} says how much of the cost is the
 * parser's own. {@code frames}, {@code guiltyFile} and {@code kernelFacts} time the field extractors
 * alone, to show where the time goes when {@code extract} is slow.
 *
 * <p>The texts are syzbot's published reports when {@code corpus} names a directory of them
 * (the shared development corpus by default), otherwise synthesised reports of the same shape
 * ({@code -p corpus=synthetic}); {@code megabytes} caps how much is read.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar ExtractBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class ExtractBenchmark {

  /** The report texts, shared by all threads; loaded once per trial. */
  @State(Scope.Benchmark)
  public static class Texts {
    /** A directory of {@code *.txt} reports, or "synthetic". */
    @Param({"../shared/corpus/syzbot-reports"})
    public String corpus;

    /** How many megabytes of report text to run over. */
    @Param({"1", "8"})
    public double megabytes;

    byte[][] texts;
    String[] decoded;
    double totalMegabytes;

    @Setup(Level.Trial)
    public void load() {
      List<byte[]> list = ExtractCorpus.load(corpus, megabytes);
      texts = list.toArray(new byte[0][]);
      decoded = new String[texts.length];
      for (int i = 0; i < texts.length; i++) {
        decoded[i] = new String(texts[i], StandardCharsets.ISO_8859_1);
      }
      long bytes = ExtractCorpus.totalBytes(list);
      totalMegabytes = bytes / (1024.0 * 1024.0);
      System.out.printf(
          "%n%s: %d reports, %.2f MB%n",
          ExtractCorpus.readsDirectory(corpus) ? corpus : "synthesised reports", texts.length, totalMegabytes);
    }
  }

  /** Megabytes processed, reported by JMH as a rate (MB/s) next to the invocation rate. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Megabytes {
    public double megabytes;

    @Setup(Level.Iteration)
    public void reset() {
      megabytes = 0;
    }
  }

  /** Decode and split into lines: the floor under any line-oriented extractor. */
  @Benchmark
  public void baseline(Texts t, Megabytes m, Blackhole bh) {
    for (byte[] bytes : t.texts) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int start = 0;
      int n = text.length();
      while (start < n) {
        int end = text.indexOf('\n', start);
        if (end < 0) {
          end = n;
        }
        bh.consume(text.substring(start, end));
        start = end + 1;
      }
    }
    m.megabytes += t.totalMegabytes;
  }

  /** The whole crash extraction, from bytes: what the indexer pays per record. */
  @Benchmark
  public void extract(Texts t, Megabytes m, Blackhole bh) {
    for (byte[] bytes : t.texts) {
      bh.consume(CrashReportParser.parse(MemorySegment.ofArray(bytes)));
    }
    m.megabytes += t.totalMegabytes;
  }

  /** The whole crash extraction from already decoded text. */
  @Benchmark
  public void extractText(Texts t, Megabytes m, Blackhole bh) {
    for (String text : t.decoded) {
      bh.consume(CrashReportParser.parse(text));
    }
    m.megabytes += t.totalMegabytes;
  }

  /** Frames and files alone, over the whole text. */
  @Benchmark
  public void frames(Texts t, Megabytes m, Blackhole bh) {
    for (String text : t.decoded) {
      bh.consume(StackFrames.of(text));
    }
    m.megabytes += t.totalMegabytes;
  }

  /** Line prefixes ({@link ConsoleLine#parse}) plus the guilty file over every line. */
  @Benchmark
  public void guiltyFile(Texts t, Megabytes m, Blackhole bh) {
    for (String text : t.decoded) {
      bh.consume(GuiltyFile.find(text.lines().map(ConsoleLine::parse).toList(), null));
    }
    m.megabytes += t.totalMegabytes;
  }

  /** Kernel release, task and taint, over every line. */
  @Benchmark
  public void kernelFacts(Texts t, Megabytes m, Blackhole bh) {
    for (String text : t.decoded) {
      bh.consume(KernelFacts.of(text));
    }
    m.megabytes += t.totalMegabytes;
  }
}
