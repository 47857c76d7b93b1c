package org.crashdex.index;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of an indexing run, safe to read from another thread (a progress display) while the
 * run goes on. Counts only go up.
 */
public final class IndexProgress {
  final long startNanos = System.nanoTime();
  final AtomicLong filesSeen = new AtomicLong();
  final AtomicLong filesIndexed = new AtomicLong();
  final AtomicLong filesFailed = new AtomicLong();
  final AtomicLong records = new AtomicLong();
  final AtomicLong bytesIndexed = new AtomicLong();
  final AtomicLong bytesSeen = new AtomicLong();
  final AtomicLong commits = new AtomicLong();
  private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();

  void skip(String reason) {
    skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Files looked at: indexed, skipped or failed. */
  public long filesSeen() {
    return filesSeen.get();
  }

  /** Files whose records were (re)written. */
  public long filesIndexed() {
    return filesIndexed.get();
  }

  public long filesFailed() {
    return filesFailed.get();
  }

  /** Files passed over, by reason ("unchanged", "binary, not a text log", "empty" …). */
  public Map<String, Long> skipped() {
    Map<String, Long> out = new TreeMap<>();
    skipped.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long filesSkipped() {
    return skipped.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Records written. */
  public long records() {
    return records.get();
  }

  /** Bytes of the files whose records were written. */
  public long bytesIndexed() {
    return bytesIndexed.get();
  }

  /** Bytes of every file looked at, skipped ones included. */
  public long bytesSeen() {
    return bytesSeen.get();
  }

  public long commits() {
    return commits.get();
  }

  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Indexing throughput so far, in MB (10^6 bytes) per second of wall time. */
  public double megabytesPerSecond() {
    double s = seconds();
    return s <= 0 ? 0 : bytesIndexed() / 1e6 / s;
  }
}
