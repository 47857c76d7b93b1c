/**
 * Indexing: turning logs into an embedded Lucene index that answers "every crash with
 * {@code unpin_user_pages} in its stack" or "which bisections blamed {@code dbfe7d74}" in
 * milliseconds.
 *
 * <h2>The pipeline</h2>
 *
 * Four stages, each named for what it does:
 *
 * <ol>
 *   <li>{@link org.crashdex.index.SourceReader} walks the inputs and passes over the ones the index
 *       already holds unchanged (same size, time and edge hashes, see
 *       {@link org.crashdex.index.FileFingerprint});
 *   <li>{@link org.crashdex.scan.RecordScanner} splits each input into records;
 *   <li>{@link org.crashdex.index.FieldExtractor} runs the parsers and the
 *       {@link org.crashdex.index.LogHarvester} over each record and builds its document, the full
 *       text cut straight from the mapped bytes by {@link org.crashdex.index.TextDigest};
 *   <li>{@link org.crashdex.index.DocumentWriter} writes each input as one batch and commits only
 *       between batches.
 * </ol>
 *
 * {@link org.crashdex.index.Indexer} runs them: the walk in the caller's thread, records on a
 * fork-join pool as wide as the machine. Memory is bounded by the number of inputs in flight (four
 * times the threads, at most 32: {@link org.crashdex.index.JobWindow}), the writer's RAM buffer, and
 * a record's parsed fields; never by a file's size.
 *
 * <h2>Incremental, and safe to kill</h2>
 *
 * Every input leaves its <em>state</em> (size, time, edge hashes, record count) in the same batch as
 * its records: on its last record, or on a file document of its own when it has none. A run skips
 * inputs whose state matches, re-indexes changed ones (the batch first deletes the old documents, so
 * nothing doubles) and, with {@code prune}, drops files that vanished. Because commits
 * fall only between batches and Lucene commits are atomic, a run killed at any moment leaves an index
 * that opens with every record of every committed input, and the next run picks up the rest.
 *
 * <h2>Schema and analysis</h2>
 *
 * {@link org.crashdex.index.IndexSchema} lists the fields. Hashes are single lower-case terms that
 * match git-style abbreviations through prefix queries (the commits a bisection tested, all terms of
 * {@code commit} already, are kept as a {@link org.crashdex.index.HashList} instead). Full text goes through
 * {@link org.crashdex.index.LogAnalyzer}, which keeps identifiers whole ({@code __x64_sys_getsockopt}
 * out of {@code __x64_sys_getsockopt+0xb5/0x150}) and leaves addresses, register dumps and
 * {@code Code:} bytes out of the index. A record's full text is indexed as its set of distinct words
 * (a log says the same words over and over, and a word's presence is what a search asks) plus the
 * set of its adjacent word pairs, which is what tells a phrase; see
 * {@link org.crashdex.index.PhrasePairs}.
 */
package org.crashdex.index;
