package org.crashdex.scan;

/**
 * A record found by the scanner: bytes {@code [offset, offset + length)} of its source.
 *
 * @param offset byte offset of the record's first byte
 * @param length number of bytes
 * @param kind what the record holds
 */
public record RecordSpan(long offset, long length, RecordKind kind) {
  /** The offset just past the record's last byte. */
  public long end() {
    return offset + length;
  }
}
