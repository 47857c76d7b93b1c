/**
 * Scanning: finding where records start and end in a mapped log, without copying it.
 *
 * <p>A log is mapped whole ({@link org.crashdex.scan.MappedFile}) and read as a
 * {@link java.lang.foreign.MemorySegment}; {@link org.crashdex.scan.RecordScanner} walks it once with
 * the Vector API, stopping only on newlines and on the few bytes that can open a crash report, and hands
 * each record to a {@link org.crashdex.scan.RecordSink} as a half-open byte range with its
 * {@link org.crashdex.scan.RecordKind}. Nothing here knows what a title or a culprit is: the scanner
 * decides boundaries, {@link org.crashdex.extract} reads fields from the bytes inside them.
 *
 * <p>The headers that open a crash report, and the strings that disqualify them, are listed once in
 * {@link org.crashdex.scan.OopsHeader}, shared with the title extractor so that the two always agree
 * on where a report starts.
 */
package org.crashdex.scan;
