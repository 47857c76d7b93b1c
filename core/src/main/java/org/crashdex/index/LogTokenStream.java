package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The full text of one record as tokens, read straight from its mapped bytes (no String, no Reader,
 * constant memory whatever the record's size). Reusable: {@link #setInput} before each document.
 * Cuts exactly as {@link LogTokenizer} does at query time, and indexes each distinct line of a
 * record once; the rules are in {@link LogTokens}.
 */
final class LogTokenStream extends TokenStream {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
  private final LogTokens tokens = new LogTokens(true);
  private MemorySegment data = MemorySegment.ofArray(new byte[0]);
  private long limit;

  /** The next document's text: the first {@code limit} bytes of {@code data}. */
  LogTokenStream setInput(MemorySegment data, long limit) {
    this.data = data;
    this.limit = limit;
    return this;
  }

  @Override
  public void reset() {
    tokens.reset(data, limit);
  }

  @Override
  public boolean incrementToken() {
    clearAttributes();
    if (!tokens.next(term)) {
      return false;
    }
    offsets.setOffset(clamp(tokens.tokenStart()), clamp(tokens.tokenEnd()));
    return true;
  }

  @Override
  public void end() throws java.io.IOException {
    super.end();
    int end = clamp(tokens.end());
    offsets.setOffset(end, end);
  }

  @Override
  public void close() {
    data = MemorySegment.ofArray(new byte[0]); // drop the reference: the mapping may be closed next
  }

  private static int clamp(long offset) {
    return (int) Math.min(offset, Integer.MAX_VALUE);
  }
}
