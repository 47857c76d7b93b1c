package org.crashdex.extract;

import java.lang.foreign.MemorySegment;
import org.crashdex.scan.RecordKind;

/** Extracts the fields of one record from its bytes. */
public final class RecordExtractor {
  private RecordExtractor() {}

  /** The fields of a record of {@code kind} whose bytes are {@code bytes}. Never throws. */
  public static ExtractedRecord extract(MemorySegment bytes, RecordKind kind) {
    return new ExtractedRecord(null, null);
  }
}
