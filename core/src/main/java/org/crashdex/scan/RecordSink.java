package org.crashdex.scan;

/** Receives the records a {@link RecordScanner} finds, in file order, as half-open byte ranges. */
@FunctionalInterface
public interface RecordSink {
  /**
   * One record: bytes {@code [offset, offset + length)} of the scanned segment.
   *
   * @param kind what the record holds
   */
  void record(long offset, long length, RecordKind kind);
}
