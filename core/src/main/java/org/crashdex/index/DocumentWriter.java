package org.crashdex.index;

import static org.crashdex.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Last stage of the pipeline: writes documents, a file at a time, and commits only between files.
 *
 * <h2>Crash safety</h2>
 *
 * A file is written as one {@link FileBatch}: delete the file's old documents, add its records, add
 * its state (the fields {@link IndexState} reads: on its last record, else on a file document of its
 * own). An open batch holds the commit gate open; {@link #commit} closes the gate to new batches and
 * waits for the open ones to end, so a commit never falls inside a batch. (The gate is not a
 * thread-bound lock: a batch may be begun by the walker and ended by an indexing thread.) Lucene
 * commits are atomic (a new {@code segments_N} is written and synced last, and on open everything not
 * named by the newest one is discarded), hence after a {@code kill -9} at any moment the index holds,
 * for every file, either all records of one complete batch (with its state) or none of them, and
 * never both an old and a new version. The next run finds the files that lack a current state and
 * indexes them again.
 *
 * <p>Between commits the writer flushes segments as its RAM buffer fills, so memory stays bounded
 * however large a file is; flushed but uncommitted segments are simply dropped by a crash.
 */
final class DocumentWriter implements Closeable {
  private final Directory directory;
  private final IndexWriter writer;
  private final Gate gate = new Gate();

  private DocumentWriter(Directory directory, IndexWriter writer) {
    this.directory = directory;
    this.writer = writer;
  }

  /** Opens (or creates) the index in {@code dir}; refuses an index of another schema version. */
  static DocumentWriter open(Path dir, double ramBufferMb) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    try {
      IndexSchema.checkVersion(directory, dir);
      IndexWriterConfig config = new IndexWriterConfig(IndexSchema.analyzer());
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setRAMBufferSizeMB(ramBufferMb);
      config.setCommitOnClose(false);
      // Bulk loading: a compound file is a second copy of every flushed segment, written by whichever
      // thread flushes (at a commit, the committing thread alone). An index has few segments and a
      // process of its own, so the file handles a compound file would save are not scarce.
      config.setUseCompoundFile(false);
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setNoCFSRatio(0.0);
      config.setMergePolicy(merges);
      return new DocumentWriter(directory, new IndexWriter(directory, config));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  IndexWriter writer() {
    return writer;
  }

  Directory directory() {
    return directory;
  }

  /**
   * Starts writing the documents of the file {@code origin}; its old documents go, when {@code
   * replaces} says there may be some. (Each delete term is applied to every indexing thread's buffer
   * and looked up in every segment at the next flush, so a new file is better off without.)
   */
  FileBatch begin(String origin, boolean replaces) throws IOException, InterruptedException {
    gate.enter();
    try {
      if (replaces) {
        writer.deleteDocuments(new Term(ORIGIN, origin));
      }
      return new FileBatch(origin);
    } catch (IOException | RuntimeException e) {
      gate.leave();
      throw e;
    }
  }

  /** Drops every document of {@code origin} (a vanished file), outside any batch. */
  void drop(String origin) throws IOException, InterruptedException {
    gate.enter();
    try {
      writer.deleteDocuments(new Term(ORIGIN, origin));
    } finally {
      gate.leave();
    }
  }

  /** Commits everything written so far; waits for the files being written to be complete. */
  void commit() throws IOException, InterruptedException {
    commit(null, 1);
  }

  /**
   * Commits everything written so far, flushing the writer's buffers on {@code threads} threads
   * ({@code threads - 1} of them taken from {@code helpers}) first. A commit flushes every buffer
   * that is not yet a segment, and {@link IndexWriter#commit} does that in the calling thread alone,
   * one buffer after the other, while the indexing threads wait at the gate: with one buffer per
   * indexing thread, flushing them side by side shortens that pause by as many times.
   */
  void commit(java.util.concurrent.ExecutorService helpers, int threads) throws IOException, InterruptedException {
    gate.close();
    try {
      flushBuffers(helpers, threads);
      writer.setLiveCommitData(
          Map.of(VERSION_KEY, VERSION, "crashdex.committed", Long.toString(System.currentTimeMillis())).entrySet());
      writer.commit();
    } finally {
      gate.open();
    }
  }

  private void flushBuffers(java.util.concurrent.ExecutorService helpers, int threads) throws IOException {
    if (helpers == null || threads < 2) {
      return;
    }
    java.util.List<java.util.concurrent.Future<?>> flushes = new java.util.ArrayList<>();
    for (int i = 1; i < threads; i++) {
      flushes.add(helpers.submit(() -> {
        while (writer.flushNextBuffer()) {}
        return null;
      }));
    }
    IOException failure = null;
    try {
      while (writer.flushNextBuffer()) {}
    } catch (IOException e) {
      failure = e;
    }
    for (java.util.concurrent.Future<?> f : flushes) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes without committing what came after the last {@link #commit}. */
  @Override
  public void close() throws IOException {
    try {
      writer.rollback();
    } finally {
      directory.close();
    }
  }

  /** The documents of one file, written while the commit gate is held open. */
  final class FileBatch implements AutoCloseable {
    private final String origin;
    private boolean open = true;
    /** The last record carried the file's state: no file document is needed. */
    private boolean stateAdded;

    private FileBatch(String origin) {
      this.origin = origin;
    }

    /** Adds one record document. Thread-safe: helpers of a large file add in parallel. */
    void add(Document doc) throws IOException {
      writer.addDocument(doc);
    }

    /**
     * Adds the file's last record document carrying the file's state, the mark that the file is
     * completely indexed (once the batch ends intact), in place of a file document of its own: a
     * directory of small logs has about as many files as records, and a document costs the writer
     * as much to add as many a field does. Only for a batch whose records are added in order by one
     * thread, which knows which record is the last.
     */
    synchronized void addLast(Document doc, FileFingerprint fingerprint, long records) throws IOException {
      addState(doc, fingerprint, records);
      writer.addDocument(doc);
      stateAdded = true;
    }

    /**
     * Ends the batch; unless its last record carried the file's state ({@link #addLast}), adds a file
     * document with it first (a file without records, or one whose records came from several threads).
     */
    synchronized void finish(FileFingerprint fingerprint, long records) throws IOException {
      try {
        if (!stateAdded) {
          Document state = new Document();
          state.add(new StringField(DOC, DOC_FILE, Field.Store.NO));
          state.add(new StringField(ORIGIN, origin, Field.Store.NO));
          addState(state, fingerprint, records);
          writer.addDocument(state);
        }
      } finally {
        release();
      }
    }

    private void addState(Document doc, FileFingerprint fingerprint, long records) {
      doc.add(new StoredField(STATE, origin));
      doc.add(new StoredField(STATE_SIZE, fingerprint.size()));
      doc.add(new NumericDocValuesField(STATE_SIZE, fingerprint.size()));
      doc.add(new StoredField(STATE_MODIFIED, fingerprint.modifiedMillis()));
      doc.add(new StoredField(STATE_HEAD, fingerprint.headHash()));
      doc.add(new StoredField(STATE_TAIL, fingerprint.tailHash()));
      doc.add(new StoredField(STATE_RECORDS, records));
      doc.add(new NumericDocValuesField(STATE_RECORDS, records));
    }

    /**
     * Ends a batch that failed half-way: whatever of the file was added is deleted again, so the
     * next commit holds none of it (its old version is gone too; the next run tries again).
     */
    @Override
    public synchronized void close() throws IOException {
      if (!open) {
        return;
      }
      try {
        writer.deleteDocuments(new Term(ORIGIN, origin));
      } finally {
        release();
      }
    }

    private void release() {
      if (open) {
        open = false;
        gate.leave();
      }
    }
  }

  /** Open batches keep commits out; a commit waiting keeps new batches out. */
  private static final class Gate {
    private int open;
    private boolean closing;

    synchronized void enter() throws InterruptedException {
      while (closing) {
        wait();
      }
      open++;
    }

    synchronized void leave() {
      if (--open == 0) {
        notifyAll();
      }
    }

    synchronized void close() throws InterruptedException {
      while (closing) {
        wait();
      }
      closing = true;
      try {
        while (open > 0) {
          wait();
        }
      } catch (InterruptedException e) {
        closing = false;
        notifyAll();
        throw e;
      }
    }

    synchronized void open() {
      closing = false;
      notifyAll();
    }
  }
}
