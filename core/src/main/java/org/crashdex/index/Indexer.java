package org.crashdex.index;

import static org.crashdex.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.AlreadyClosedException;
import org.crashdex.scan.RecordKind;
import org.crashdex.scan.RecordScanner;
import org.crashdex.scan.RecordSpan;
import org.crashdex.source.Source;

/**
 * Indexes files into a crashdex index: {@link SourceReader} → {@link RecordScanner} →
 * {@link FieldExtractor} → {@link DocumentWriter}.
 *
 * <h2>Threads</h2>
 *
 * The walk runs in the caller's thread. Each file to index becomes a task on a fork-join pool of
 * {@link Options#threads} threads; a file larger than {@value #FAN_OUT_BYTES} bytes forks its
 * records in batches, so a single huge console log still uses every core. At most four times as
 * many files as threads, and no more than {@value #MAX_IN_FLIGHT}, are in flight ({@link JobWindow}),
 * which bounds memory together with the writer's RAM buffer.
 *
 * <h2>Commits</h2>
 *
 * The walker commits every {@link Options#commitEveryFiles} files or
 * {@link Options#commitIntervalMillis} milliseconds, and once at the end; see {@link DocumentWriter}
 * for why a crash at any moment loses nothing that was committed and doubles nothing.
 */
public final class Indexer implements Closeable {
  /** Files at least this large spread their records over the pool. */
  static final long FAN_OUT_BYTES = 8L << 20;
  /** Most files in flight however many threads: their copies ({@link SourceReader#COPY_BYTES} each) stay within 128 MB. */
  static final int MAX_IN_FLIGHT = 32;
  private static final int BATCH_RECORDS = 64;
  private static final long BATCH_BYTES = 4L << 20;

  /**
   * How to index.
   *
   * @param threads indexing threads
   * @param commitIntervalMillis longest time between commits
   * @param commitEveryFiles most files between commits
   * @param prune drop the records of files that no longer exist
   * @param maxTextBytes how much of a record's text goes into the full-text field; the parsed
   *     fields always see the whole record
   * @param ramBufferMb the writer's RAM buffer
   */
  public record Options(
      int threads, long commitIntervalMillis, int commitEveryFiles, boolean prune, long maxTextBytes, double ramBufferMb) {
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), 15_000, 20_000, false, 16L << 20, 64);
    }

    public Options withThreads(int n) {
      return new Options(Math.max(1, n), commitIntervalMillis, commitEveryFiles, prune, maxTextBytes, ramBufferMb);
    }

    public Options withPrune(boolean p) {
      return new Options(threads, commitIntervalMillis, commitEveryFiles, p, maxTextBytes, ramBufferMb);
    }

    public Options withCommitEvery(int files, long millis) {
      return new Options(threads, millis, Math.max(1, files), prune, maxTextBytes, ramBufferMb);
    }
  }

  private final Path dir;
  private final Options options;
  private final DocumentWriter writer;
  private final IndexProgress progress = new IndexProgress();
  private final ThreadLocal<FieldExtractor> extractors;
  /** The indexing threads of the run in progress; they also flush the writer's buffers at commits. */
  private ForkJoinPool pool;

  private Indexer(Path dir, Options options, DocumentWriter writer) {
    this.dir = dir;
    this.options = options;
    this.writer = writer;
    this.extractors = ThreadLocal.withInitial(() -> new FieldExtractor(options.maxTextBytes()));
  }

  /** Opens the index in {@code dir} for writing, creating it if needed. One writer per index at a time. */
  public static Indexer open(Path dir, Options options) throws IOException {
    return new Indexer(dir, options, DocumentWriter.open(dir, options.ramBufferMb()));
  }

  /** Live counters of the run in progress. */
  public IndexProgress progress() {
    return progress;
  }

  /** Indexes everything under {@code roots}; see the class comment. */
  public IndexSummary index(List<Path> roots, IndexListener listener) throws Exception {
    int threads = options.threads();
    ForkJoinPool pool = this.pool = new ForkJoinPool(threads);
    JobWindow slots = new JobWindow(Math.min(4 * threads, MAX_IN_FLIGHT));
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    long[] lastCommit = {System.nanoTime()};
    try (IndexState state = IndexState.open(writer.directory())) {
      SourceReader.FileSink sink =
          new SourceReader.FileSink() {
            int sinceCommit;

            @Override
            public void start(FileJob job) throws Exception {
              rethrow(fatal.get());
              slots.enter();
              try {
                job.batch = writer.begin(job.origin, job.replaces);
              } catch (Exception | Error e) {
                slots.leave();
                throw e;
              }
              sinceCommit++;
            }

            @Override
            public void detached(FileJob job) {
              pool.execute(new DetachedTask(job, slots, fatal, listener));
            }

            @Override
            public void piece(FileJob job, Source piece) throws Exception {
              if (job.error() != null) {
                return;
              }
              try {
                if (piece.mapped()) {
                  // The walker's own mapping, readable in this thread only (it is copied or mapped
                  // again when small or settled; this is the rare file that changed in between).
                  new RecordsTask(job, piece.data(), piece.offset(), true).compute();
                } else {
                  pool.invoke(new RecordsTask(job, piece.data(), piece.offset(), false));
                }
              } catch (RuntimeException e) {
                if (isFatal(e)) {
                  fatal.compareAndSet(null, e);
                  throw e;
                }
                job.pieceFailed(e);
              }
            }

            @Override
            public void complete(FileJob job) {
              end(job, slots, fatal, listener);
            }

            @Override
            public void emptied(String origin) throws Exception {
              writer.drop(origin);
            }

            @Override
            public void settle() throws Exception {
              slots.drain();
              rethrow(fatal.get());
            }

            @Override
            public void idle() throws Exception {
              rethrow(fatal.get());
              if (sinceCommit >= options.commitEveryFiles()
                  || System.nanoTime() - lastCommit[0] >= TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMillis())) {
                commit();
                sinceCommit = 0;
                lastCommit[0] = System.nanoTime();
              }
            }
          };
      SourceReader reader = new SourceReader(state, progress, listener, sink);
      reader.read(roots);
      slots.drain(); // every job has ended
      rethrow(fatal.get());
      commit();
      return finish(reader.seen(), state);
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** Ends a job's batch: committed-to-be when complete and intact, dropped otherwise. */
  private void end(FileJob job, JobWindow slots, AtomicReference<Throwable> fatal, IndexListener listener) {
    try {
      if (job.error() == null && job.failure() == null) {
        job.batch.finish(job.fingerprint(), job.records.get());
        progress.filesIndexed.incrementAndGet();
        progress.records.addAndGet(job.records.get());
        progress.bytesIndexed.addAndGet(job.size());
      } else {
        job.batch.close();
        if (job.failure() == null) { // the walker reported its own failures already
          if (isFatal(job.error())) {
            fatal.compareAndSet(null, job.error());
          } else {
            progress.filesFailed.incrementAndGet();
            listener.failed(job.name, describe(job.error()));
          }
        }
      }
    } catch (Throwable t) {
      fatal.compareAndSet(null, t);
    } finally {
      job.release();
      slots.leave();
    }
  }

  private boolean isFatal(Throwable t) {
    return t instanceof AlreadyClosedException || t instanceof Error || writer.writer().getTragicException() != null;
  }

  private void commit() throws IOException, InterruptedException {
    writer.commit(pool, options.threads());
    progress.commits.incrementAndGet();
  }

  /** Counts vanished files, prunes them when asked, and totals the index. */
  private IndexSummary finish(java.util.Set<String> seen, IndexState before) throws IOException, InterruptedException {
    long vanished = 0, pruned = 0;
    List<String> gone = new ArrayList<>();
    long[] totals;
    // Only a file the index held before this run can have vanished: every file the run indexed, it
    // came to (a first run over an empty index looks at nothing here).
    before.forEachFile(
        origin -> {
          if (seen.contains(origin)) {
            return; // read (or found unchanged) by this run: it exists
          }
          int member = origin.indexOf("!/");
          Path file = Path.of(member < 0 ? origin : origin.substring(0, member));
          if (!Files.exists(file)) {
            gone.add(origin);
          }
        });
    try (IndexState after = new IndexState(DirectoryReader.open(writer.writer()))) {
      totals = after.totals();
    }
    vanished = gone.size();
    if (options.prune() && !gone.isEmpty()) {
      for (String origin : gone) {
        writer.drop(origin);
      }
      pruned = gone.size();
      commit();
      try (IndexState afterPrune = new IndexState(DirectoryReader.open(writer.writer()))) {
        totals = afterPrune.totals();
      }
    }
    long totalRecords = totals[0], totalFiles = totals[1];
    return new IndexSummary(
        progress.filesIndexed(),
        progress.skipped(),
        progress.filesFailed(),
        progress.records(),
        progress.bytesIndexed(),
        progress.seconds(),
        vanished - pruned,
        pruned,
        totalRecords,
        totalFiles);
  }

  private static void rethrow(Throwable t) throws Exception {
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  /** Closes the index; what was not committed (nothing, after {@link #index} returns) is dropped. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  public Path directory() {
    return dir;
  }

  /** A settled plain file indexed from its own mapping while the walk goes on. */
  private final class DetachedTask extends RecursiveAction {
    private final FileJob job;
    private final JobWindow slots;
    private final AtomicReference<Throwable> fatal;
    private final IndexListener listener;

    DetachedTask(FileJob job, JobWindow slots, AtomicReference<Throwable> fatal, IndexListener listener) {
      this.job = job;
      this.slots = slots;
      this.fatal = fatal;
      this.listener = listener;
    }

    @Override
    protected void compute() {
      Throwable error = null;
      try {
        new RecordsTask(job, job.data(), 0, false).compute();
      } catch (Throwable t) {
        error = t;
      }
      if (job.recordsDone(error)) {
        end(job, slots, fatal, listener);
      }
    }
  }

  /**
   * The records of one segment of a job's input ({@code base} is the segment's offset in the
   * input): inline for a small segment, spread over the pool in batches for a large one.
   */
  private final class RecordsTask extends RecursiveAction {
    private final FileJob job;
    private final MemorySegment data;
    private final long base;
    /** Index every record in the calling thread (data readable by it alone). */
    private final boolean here;

    RecordsTask(FileJob job, MemorySegment data, long base, boolean here) {
      this.job = job;
      this.data = data;
      this.base = base;
      this.here = here;
    }

    @Override
    protected void compute() {
      if (here || data.byteSize() < FAN_OUT_BYTES || options.threads() == 1) {
        FieldExtractor fx = extractors.get();
        if (!job.detached()) {
          RecordScanner.scan(data, (offset, length, kind) -> add(fx, offset, length, kind, false));
          return;
        }
        // The whole file, in order, on this thread: each record is added once the next is found, so
        // the last one, known at the end, carries the file's state (DocumentWriter.FileBatch#addLast).
        RecordSpan[] held = {null};
        RecordScanner.scan(
            data,
            (offset, length, kind) -> {
              if (held[0] != null) {
                add(fx, held[0].offset(), held[0].length(), held[0].kind(), false);
              }
              held[0] = new RecordSpan(offset, length, kind);
            });
        if (held[0] != null) {
          add(fx, held[0].offset(), held[0].length(), held[0].kind(), true);
        }
        return;
      }
      ArrayDeque<ForkJoinTask<?>> pending = new ArrayDeque<>();
      List<RecordSpan>[] spans = new List[] {new ArrayList<>()};
      long[] bytes = {0};
      RecordScanner.scan(
          data,
          (offset, length, kind) -> {
            spans[0].add(new RecordSpan(offset, length, kind));
            bytes[0] += length;
            if (spans[0].size() >= BATCH_RECORDS || bytes[0] >= BATCH_BYTES) {
              pending.add(new BatchTask(spans[0]).fork());
              spans[0] = new ArrayList<>();
              bytes[0] = 0;
              if (pending.size() > 4 * options.threads()) {
                pending.poll().join();
              }
            }
          });
      if (!spans[0].isEmpty()) {
        pending.add(new BatchTask(spans[0]).fork());
      }
      for (ForkJoinTask<?> t : pending) {
        t.join();
      }
    }

    /** Adds one record; the file's {@code last} one carries the file's state. */
    private void add(FieldExtractor fx, long offset, long length, RecordKind kind, boolean last) {
      try {
        Document doc =
            fx.document(job.name, job.origin, base + offset, data.asSlice(offset, length), kind, job.crash, job.modifiedMillis);
        if (last) {
          job.batch.addLast(doc, job.fingerprint(), job.records.incrementAndGet());
        } else {
          job.batch.add(doc);
          job.records.incrementAndGet();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A run of records of a large segment, indexed on whichever thread takes it. */
    private final class BatchTask extends RecursiveAction {
      private final List<RecordSpan> spans;

      BatchTask(List<RecordSpan> spans) {
        this.spans = spans;
      }

      @Override
      protected void compute() {
        FieldExtractor fx = extractors.get();
        for (RecordSpan s : spans) {
          add(fx, s.offset(), s.length(), s.kind(), false);
        }
      }
    }
  }

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && (root instanceof UncheckedIOException || root.getMessage() == null)) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
