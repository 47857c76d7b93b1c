package org.crashdex.search;

/**
 * What an index holds.
 *
 * @param directory where it is
 * @param records record documents
 * @param crashRecords of those, crash reports
 * @param bisectionRecords of those, bisection logs
 * @param files files indexed
 * @param inputBytes their total size
 * @param indexBytes the index's size on disk
 * @param titles distinct titles
 * @param functions distinct functions
 * @param commits distinct commits
 * @param signatures distinct signatures
 * @param segments Lucene segments
 * @param lastCommitMillis time of the last commit (epoch ms), or 0
 */
public record IndexStats(
    String directory,
    long records,
    long crashRecords,
    long bisectionRecords,
    long files,
    long inputBytes,
    long indexBytes,
    long titles,
    long functions,
    long commits,
    long signatures,
    int segments,
    long lastCommitMillis) {

  /** Index size as a share of the input, 0 when nothing was indexed. */
  public double indexShare() {
    return inputBytes == 0 ? 0 : (double) indexBytes / inputBytes;
  }
}
