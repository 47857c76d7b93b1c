/**
 * Searching: from a query a person types to the records and lines that answer it.
 *
 * <p>{@link org.crashdex.search.CrashQueryParser} reads Lucene's classic syntax over the fields of
 * {@link org.crashdex.index.IndexSchema}: {@code func:unpin_user_pages AND type:KASAN*},
 * {@code commit:dbfe7d74}, {@code sig:0321f959}, {@code "use-after-free"}. Words are ANDed; hash
 * fields take abbreviations of 7 or more hex digits; an unknown field or broken syntax is a
 * {@link org.crashdex.search.BadQueryException} with a one-line message.
 *
 * <p>The full text keeps no positions, so a phrase there is a {@link
 * org.crashdex.search.TextPhraseQuery}: the records holding its words, then, for each record that
 * could make the top hits, its set of adjacent word pairs ({@link org.crashdex.index.PhrasePairs}).
 * {@code tested:} works the same way ({@code ListedHashQuery}): the records that name the commit,
 * then their list of tested commits. Both are a {@code CheckedQuery}: candidates from the index, a
 * doc-value check second.
 *
 * <p>{@link org.crashdex.search.CrashSearcher} runs queries against the last commit, through a view
 * that holds the record documents only ({@link org.crashdex.search.RecordsOnlyReader}: the index's
 * per-file documents are hidden there rather than filtered out by every query): ranked
 * {@link org.crashdex.search.Hit}s, value counts for {@code top} (from doc values, segment by
 * segment; functions from their postings), and {@link org.crashdex.search.IndexStats}. An index written with another schema is
 * refused, never misread.
 *
 * <p>A hit names its record by source and byte offset; {@link org.crashdex.search.RecordSource}
 * reads the original bytes back from the mapped file after checking the file is still the one that
 * was indexed, and {@link org.crashdex.search.MatchingLines} finds the lines that show why the record
 * matched.
 */
package org.crashdex.search;
