package org.crashdex.index;

import java.util.Map;

/**
 * The outcome of an indexing run.
 *
 * @param filesIndexed files whose records were (re)written
 * @param filesSkipped files passed over, by reason ("unchanged", "empty" …)
 * @param filesFailed files that could not be read or written (each reported to the listener)
 * @param records records written
 * @param bytes bytes of the files indexed
 * @param seconds wall time
 * @param vanished files in the index that no longer exist
 * @param pruned of those, how many were dropped (with {@code prune})
 * @param totalRecords records in the index after the run
 * @param totalFiles files in the index after the run
 */
public record IndexSummary(
    long filesIndexed,
    Map<String, Long> filesSkipped,
    long filesFailed,
    long records,
    long bytes,
    double seconds,
    long vanished,
    long pruned,
    long totalRecords,
    long totalFiles) {

  /** Throughput in MB (10^6 bytes) per second. */
  public double megabytesPerSecond() {
    return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
  }
}
