package org.crashdex.bench;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;
import org.crashdex.scan.MappedFile;
import org.crashdex.scan.RecordKind;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSink;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast the record scanner splits a large archive, against the cheapest way to merely find its
 * lines.
 *
 * <p>Every benchmark method makes one full pass, on one thread, over the same archive of at least
 * one gibibyte, mapped with {@link MappedFile} and already in the page cache: the archive that
 * {@link ArchiveGenerator} writes from the bundled samples (mostly console output, some crash
 * reports, bisection logs at the end). The archive is generated on the first run, which takes a
 * minute, and reused afterwards.
 *
 * <ul>
 *   <li>{@code scan}: {@link RecordScanner#scan(MemorySegment, RecordSink)}, counting the records.
 *   <li>{@code memchrBaseline}: libc {@code memchr} called once per line through an FFM downcall,
 *       counting lines. This is the bar: a scanner that finds records no slower than a C library
 *       finds newlines, one call per line, costs the indexer nothing it could save.
 *   <li>{@code vectorNewlineCount}: counts newlines with the Vector API and nothing else, the
 *       ceiling for any scanner that must at least see every newline.
 * </ul>
 *
 * <p>Read the {@code ·gigabytes} secondary result: with the {@link Bytes} counter each pass adds the
 * archive's size in gigabytes (10<sup>9</sup> bytes), so its "ops/s" are <b>GB/s</b>. The primary
 * score is passes per second. The jar's main class ({@link BenchMain}) prints, after the run, each
 * method's median throughput relative to {@code memchrBaseline}.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar ScanBenchmark
 * </pre>
 *
 * <p>The archive is {@code bench/target/scan-archive-SIZE.log} relative to the working directory;
 * {@code -p archive=PATH} or {@code -Dcrashdex.bench.archive=PATH} picks another file and {@code -p
 * size=256m} another size (for a quick run).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ScanBenchmark {

  /** The mapped archive, shared by the trial; generated when absent. */
  @State(Scope.Benchmark)
  public static class Archive {
    /** The archive's path; empty for the default under {@code bench/target}. */
    @Param({""})
    public String archive;

    /** The archive's minimum size, with a k, m or g suffix. */
    @Param({"1g"})
    public String size;

    MappedFile file;
    MemorySegment segment;
    double gigabytes;

    @Setup(Level.Trial)
    public void open() throws IOException {
      long bytes = ArchiveGenerator.parseSize(size);
      Path path = path();
      if (!Files.isRegularFile(path) || Files.size(path) < bytes) {
        System.out.println("generating " + path + " (" + size + ", once) ...");
        ArchiveGenerator.generate(path, bytes);
      }
      file = MappedFile.open(path);
      segment = file.segment();
      gigabytes = segment.byteSize() / 1e9;
      // Fault every page in now, so that the first measured pass reads memory, not the disk.
      long sum = 0;
      for (long p = 0; p < segment.byteSize(); p += 4096) {
        sum += segment.get(ValueLayout.JAVA_BYTE, p);
      }
      System.out.printf("archive %s: %,d bytes (checksum %d)%n", path, segment.byteSize(), sum);
    }

    Path path() {
      if (!archive.isEmpty()) {
        return Path.of(archive);
      }
      String configured = System.getProperty("crashdex.bench.archive");
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
      return Path.of("bench", "target", "scan-archive-" + size + ".log");
    }

    @TearDown(Level.Trial)
    public void close() {
      file.close();
    }
  }

  /**
   * Gigabytes processed, reported by JMH per second: the GB/s of the method. Thread scope because
   * JMH sums auxiliary counters over threads.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public double gigabytes;

    @Setup(Level.Iteration)
    public void reset() {
      gigabytes = 0;
    }
  }

  /** Counts records by kind; the count is returned so that no work can be discarded. */
  static final class CountingSink implements RecordSink {
    long crashes;
    long bisections;

    @Override
    public void record(long offset, long length, RecordKind kind) {
      if (kind == RecordKind.CRASH) {
        crashes++;
      } else {
        bisections++;
      }
    }
  }

  /** libc {@code memchr(const void *s, int c, size_t n)}, pointers passed as {@code long}. */
  static final MethodHandle MEMCHR =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("memchr").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

  private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;

  @Benchmark
  public long scan(Archive archive, Bytes bytes) {
    CountingSink sink = new CountingSink();
    RecordScanner.scan(archive.segment, sink);
    bytes.gigabytes += archive.gigabytes;
    return sink.crashes * 31 + sink.bisections;
  }

  @Benchmark
  public long memchrBaseline(Archive archive, Bytes bytes) throws Throwable {
    long p = archive.segment.address();
    long end = p + archive.segment.byteSize();
    long lines = 0;
    while (p < end) {
      long newline = (long) MEMCHR.invokeExact(p, (int) '\n', end - p);
      if (newline == 0) {
        lines++; // a last line without a newline
        break;
      }
      lines++;
      p = newline + 1;
    }
    bytes.gigabytes += archive.gigabytes;
    return lines;
  }

  @Benchmark
  public long vectorNewlineCount(Archive archive, Bytes bytes) {
    MemorySegment data = archive.segment;
    long size = data.byteSize();
    int lanes = SPECIES.length();
    long vectorEnd = size - size % lanes;
    long lines = 0;
    long i = 0;
    for (; i < vectorEnd; i += lanes) {
      lines += ByteVector.fromMemorySegment(SPECIES, data, i, ByteOrder.nativeOrder()).eq((byte) '\n').trueCount();
    }
    for (; i < size; i++) {
      if (data.get(ValueLayout.JAVA_BYTE, i) == '\n') {
        lines++;
      }
    }
    bytes.gigabytes += archive.gigabytes;
    return lines;
  }
}
