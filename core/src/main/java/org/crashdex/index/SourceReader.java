package org.crashdex.index;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crashdex.scan.MappedFile;
import org.crashdex.source.ReadLimits;
import org.crashdex.source.Source;
import org.crashdex.source.SourceVisitor;
import org.crashdex.source.SourceWalker;

/**
 * First stage of the pipeline: walks what the user named with {@link SourceWalker} (files,
 * directories, compressed files, tarballs, syz-manager crash directories) and decides, input by
 * input, what needs indexing.
 *
 * <p>An input whose fingerprint equals the one its file document recorded is <em>unchanged</em> and
 * passed over (for an input that arrives in several pieces, the time and the hash of its first KiB
 * decide, since the rest is not known yet). Every other input becomes a {@link FileJob}:
 *
 * <ul>
 *   <li>an input of at most {@link #COPY_BYTES} that arrives whole is copied and indexed on an
 *       indexing thread while the walk goes on: this is what keeps both cores busy on a directory of
 *       small logs;
 *   <li>a larger plain file that has settled (the walker maps those) and arrives whole is mapped again by
 *       the job itself, so the job outlives the walker's callback in the same way;
 *   <li>anything else (an archive member, a young file read through a buffer, an input in pieces) is
 *       valid only during the callback and is indexed before the callback returns, its records spread
 *       over the indexing threads.
 * </ul>
 *
 * Either way the job's batch ends only once the walker says the input was read intact.
 */
final class SourceReader implements SourceVisitor {

  /** Where jobs go. Called in the walker's thread. */
  interface FileSink {
    /** A new job: open its batch. */
    void start(FileJob job) throws Exception;

    /** Index a detached job's records on the pool. */
    void detached(FileJob job);

    /** Index the records of one piece of a job before returning. */
    void piece(FileJob job, Source piece) throws Exception;

    /** The job is complete when this returns true from one of its two parts; end its batch. */
    void complete(FileJob job) throws Exception;

    /** A file the index holds that is now empty or binary: its records must go. */
    void emptied(String origin) throws Exception;

    /** The walker holds no open batch: a commit may happen now. */
    void idle() throws Exception;

    /** Waits until every job in flight has ended. */
    void settle() throws Exception;
  }

  static final String UNCHANGED = "unchanged";

  /**
   * Inputs up to this size that arrive whole are copied to the heap and indexed detached from the
   * walker: a copy of a small log costs less than mapping it a second time (closing a shared mapping
   * stops every thread for a handshake), and works for every kind of input. At most
   * {@link Indexer#MAX_IN_FLIGHT} jobs are in flight, so the copies stay bounded.
   */
  static final long COPY_BYTES = 4L << 20;

  private final CopyBuffers copies = new CopyBuffers();
  /** The origin of every input this walk came to (the walker's thread only). */
  private final java.util.Set<String> seen = new java.util.HashSet<>();
  private final IndexState state;
  private final IndexProgress progress;
  private final IndexListener listener;
  private final FileSink sink;
  private FileJob current;
  private String skipping;

  SourceReader(IndexState state, IndexProgress progress, IndexListener listener, FileSink sink) {
    this.state = state;
    this.progress = progress;
    this.listener = listener;
    this.sink = sink;
  }

  /** The origins of the inputs the walk came to, indexed or not: they exist. */
  java.util.Set<String> seen() {
    return seen;
  }

  void read(List<Path> roots) throws Exception {
    SourceWalker.walk(roots, this);
  }

  @Override
  public void source(Source piece) throws Exception {
    if (piece.offset() == 0) {
      if (current != null) { // a new input before the verdict on the last: treat that one as failed
        endCurrent("not read to its end");
      }
      skipping = null;
      progress.filesSeen.incrementAndGet();
      String origin = originOf(piece.name());
      boolean firstVisit = seen.add(origin);
      FileFingerprint indexed = state.lookup(origin);
      boolean unchanged =
          piece.last()
              ? FileFingerprint.of(piece.data(), piece.modifiedMillis()).equals(indexed)
              : new FileFingerprint(0, piece.modifiedMillis(), FileFingerprint.head(piece.data()), 0).sameStart(indexed);
      if (unchanged) {
        skipping = piece.name();
        progress.bytesSeen.addAndGet(indexed.size());
        return;
      }
      MappedFile own = null;
      MemorySegment copy = null;
      byte[] buffer = null;
      if (piece.last() && piece.data().byteSize() <= COPY_BYTES) {
        int size = (int) piece.data().byteSize();
        buffer = copies.take(size);
        copy = MemorySegment.ofArray(buffer).asSlice(0, size);
        MemorySegment.copy(piece.data(), 0, copy, 0, size);
      } else if (piece.last()) {
        own = remap(piece);
      }
      if (!firstVisit) {
        // A file named twice: its first visit may still be in flight, and a delete only reaches
        // documents added before it, so the second visit waits for the first to be written.
        sink.settle();
      }
      // Only an origin the last commit holds, or one this run has met before, can have documents to
      // replace: for any other, a delete would be a term every indexing thread applies for nothing.
      current = new FileJob(piece, origin, indexed != null || !firstVisit, own, copy, buffer, copies);
      sink.start(current);
      if (current.detached()) {
        sink.detached(current);
        return;
      }
    }
    if (current == null || !current.name.equals(piece.name())) {
      return; // pieces of an unchanged input, or of one already given up
    }
    if (!current.detached()) {
      current.absorb(piece);
      sink.piece(current, piece);
      if (piece.last() && current.recordsDone(null)) {
        sink.complete(current);
      }
    }
  }

  @Override
  public void finished(String name) throws Exception {
    if (name.equals(skipping)) {
      skipping = null;
      progress.skip(UNCHANGED);
    } else if (current != null && current.name.equals(name)) {
      progress.bytesSeen.addAndGet(current.size());
      FileJob job = current;
      current = null;
      if (job.verdict(null)) {
        sink.complete(job);
      }
    }
    sink.idle();
  }

  @Override
  public void skipped(String name, String reason) {
    progress.filesSeen.incrementAndGet();
    progress.skip(reason);
    listener.skipped(name, reason);
    try {
      String origin = originOf(name);
      if (state.lookup(origin) != null) {
        sink.emptied(origin);
      }
      sink.idle();
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void failed(String name, String message) {
    if (name.equals(skipping)) {
      skipping = null;
    } else if (current == null || !current.name.equals(name)) {
      progress.filesSeen.incrementAndGet(); // never opened: not counted yet
    }
    progress.filesFailed.incrementAndGet();
    listener.failed(name, message);
    try {
      if (current != null && current.name.equals(name)) {
        endCurrent(message);
      }
      sink.idle();
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private void endCurrent(String failure) throws Exception {
    FileJob job = current;
    current = null;
    boolean complete = false;
    if (!job.detached()) {
      complete = job.recordsDone(null); // no more pieces will come
    }
    complete |= job.verdict(failure);
    if (complete) {
      sink.complete(job);
    }
  }

  /** The absolute, normalised form of a source name; for an archive member, of the archive's part. */
  static String originOf(String name) {
    int member = name.indexOf("!/");
    if (member < 0) {
      return Path.of(name).toAbsolutePath().normalize().toString();
    }
    return Path.of(name.substring(0, member)).toAbsolutePath().normalize() + name.substring(member);
  }

  /**
   * The job's own mapping of a settled plain file that arrived whole, or null. Young files are not
   * mapped (the walker reads them instead: a file that shrinks under a mapping kills the JVM).
   */
  private static MappedFile remap(Source piece) {
    if (piece.name().contains("!/")
        || System.currentTimeMillis() - piece.modifiedMillis() <= ReadLimits.DEFAULT.settleMillis()) {
      return null;
    }
    Path path = Path.of(piece.name());
    try {
      if (!Files.isRegularFile(path) || Files.getLastModifiedTime(path).toMillis() != piece.modifiedMillis()) {
        return null;
      }
      MappedFile m = MappedFile.open(path);
      if (m.size() == piece.data().byteSize()) {
        return m;
      }
      m.close();
    } catch (IOException | RuntimeException e) {
      // index from the walker's bytes instead
    }
    return null;
  }

  /**
   * Heap buffers for the copies of small inputs, handed back when a job ends: a directory of small logs
   * would otherwise allocate (and have the JVM zero) a new array per file.
   */
  static final class CopyBuffers {
    /** Buffers kept for the next jobs (each job in flight holds one). */
    private static final int KEPT = 16;
    private static final int SMALLEST = 64 << 10;
    private final java.util.ArrayDeque<byte[]> free = new java.util.ArrayDeque<>();

    /** A buffer of at least {@code size} bytes. */
    synchronized byte[] take(int size) {
      for (java.util.Iterator<byte[]> i = free.iterator(); i.hasNext(); ) {
        byte[] b = i.next();
        if (b.length >= size) {
          i.remove();
          return b;
        }
      }
      return new byte[Math.max(SMALLEST, Integer.highestOneBit(Math.max(1, size - 1)) << 1)];
    }

    /** Takes back a buffer no one reads any more. */
    synchronized void give(byte[] buffer) {
      if (free.size() < KEPT) {
        free.addFirst(buffer);
      }
    }
  }
}
