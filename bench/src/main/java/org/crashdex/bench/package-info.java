/**
 * Benchmarks of crashdex's hot paths, each against a baseline measured in the same run.
 *
 * <p>JMH benchmarks: {@link org.crashdex.bench.ScanBenchmark} (record splitting against libc
 * {@code memchr} per line) and {@link org.crashdex.bench.ExtractBenchmark} (crash-report extraction
 * against a bare line split). Programs with their own {@code main}, for work that spans processes or
 * minutes: {@link org.crashdex.bench.IndexBenchmark} (end-to-end indexing against plain Lucene),
 * {@link org.crashdex.bench.SearchBenchmark} (latency percentiles on a million records) and
 * {@link org.crashdex.bench.DecompressBenchmark} (decompress-and-scan against {@code zstd -dc}/{@code
 * gzip -dc | wc -l}). {@link org.crashdex.bench.ArchiveGenerator} writes the large deterministic input
 * from the bundled samples. bench/README.md says how to run each and records the last results.
 */
package org.crashdex.bench;
