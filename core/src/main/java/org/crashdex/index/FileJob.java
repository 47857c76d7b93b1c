package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.crashdex.scan.MappedFile;
import org.crashdex.source.Source;
import org.crashdex.source.WorkdirCrash;

/**
 * One input being indexed: its batch, its fingerprint as the pieces go by, and the two things that
 * must both happen before the batch may be committed: every record written, and the walker's verdict
 * that the input was read intact ({@code finished}) rather than damaged or changed ({@code failed}).
 * Whichever comes second ends the batch, on whatever thread it happens.
 */
final class FileJob {
  final String name;
  final String origin;
  /** Whether the index may hold documents of {@link #origin} from before: its batch deletes them first. */
  final boolean replaces;
  final long modifiedMillis;
  final WorkdirCrash crash;
  final long headHash;
  /** The job's own mapping of the whole file (close when done), or null. */
  final MappedFile mapping;
  /** The whole input when the job runs detached from the walker (its own mapping or copy); else null. */
  private final MemorySegment detachedData;
  final AtomicLong records = new AtomicLong();

  private final AtomicInteger pending = new AtomicInteger(2);
  private final java.util.concurrent.atomic.AtomicBoolean recordsReported = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long size;
  private volatile long tailHash;
  private volatile Throwable error;
  private volatile String failure;
  DocumentWriter.FileBatch batch;

  /** The pooled buffer {@link #detachedData} is a copy in, given back by {@link #release}; or null. */
  private final byte[] copyBuffer;
  private final SourceReader.CopyBuffers copies;
  private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

  FileJob(
      Source first, String origin, boolean replaces, MappedFile mapping, MemorySegment copy, byte[] copyBuffer, SourceReader.CopyBuffers copies) {
    this.replaces = replaces;
    this.copyBuffer = copyBuffer;
    this.copies = copies;
    this.name = first.name();
    this.origin = origin;
    this.modifiedMillis = first.modifiedMillis();
    this.crash = first.crash();
    this.headHash = FileFingerprint.head(first.data());
    this.mapping = mapping;
    this.detachedData = mapping != null ? mapping.segment() : copy;
    if (detachedData != null) {
      absorb(new Source(first.name(), detachedData, first.modifiedMillis(), 0, true, first.crash()));
    }
  }

  /** Frees the job's own bytes (its mapping, or its pooled copy); no one may read them after. */
  void release() {
    if (!released.compareAndSet(false, true)) {
      return; // a buffer given back twice would be handed to two jobs
    }
    if (mapping != null) {
      mapping.close();
    }
    if (copyBuffer != null && copies != null) {
      copies.give(copyBuffer);
    }
  }

  boolean detached() {
    return detachedData != null;
  }

  /** The whole input, for a detached job. */
  MemorySegment data() {
    return detachedData;
  }

  /** Takes note of a piece: the last one gives the size and the tail hash. */
  void absorb(Source piece) {
    if (piece.last()) {
      size = piece.end();
      tailHash = FileFingerprint.tail(piece.data());
    }
  }

  FileFingerprint fingerprint() {
    return new FileFingerprint(size, modifiedMillis, headHash, tailHash);
  }

  long size() {
    return size;
  }

  /** The records are written (error null) or could not be (the batch will be dropped). True when the job is complete. */
  boolean recordsDone(Throwable error) {
    if (error != null && this.error == null) {
      this.error = error;
    }
    return recordsReported.compareAndSet(false, true) && pending.decrementAndGet() == 0;
  }

  /** A piece failed to index: the batch will be dropped, later pieces are passed over. */
  void pieceFailed(Throwable error) {
    if (this.error == null) {
      this.error = error;
    }
  }

  /** The walker's verdict: null when the input was read intact. True when the job is complete. */
  boolean verdict(String failure) {
    this.failure = failure;
    return pending.decrementAndGet() == 0;
  }

  Throwable error() {
    return error;
  }

  String failure() {
    return failure;
  }
}
