package org.crashdex.index;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;

/**
 * A short text value as tokens with positions, read straight from its bytes (no String, no Reader):
 * the title and author fields, whose phrases are positional (the full text is a {@link TextDigest}). Reusable: {@link #setInput} before each document. Cuts
 * exactly as {@link LogTokenizer} does at query time; the rules are in {@link LogTokens}.
 *
 * <p>Terms are handed to the indexer as UTF-8 bytes ({@link BytesTermAttribute}), the form the
 * tokenizer cuts them in: an ASCII token (nearly all of them) goes from the record to the terms hash
 * without ever becoming chars. A token with other bytes is decoded and encoded again, so invalid
 * UTF-8 becomes U+FFFD exactly as in a query.
 */
final class LogTokenStream extends TokenStream {
  private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
  private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
  private final LogTokens tokens;
  private final BytesRef ascii;
  private final BytesRefBuilder decoded = new BytesRefBuilder();
  private MemorySegment data = MemorySegment.ofArray(new byte[0]);
  private long limit;

  LogTokenStream() {
    tokens = new LogTokens();
    ascii = new BytesRef(tokens.token());
  }

  /** The next document's text: the first {@code limit} bytes of {@code data}. */
  LogTokenStream setInput(MemorySegment data, long limit) {
    this.data = data;
    this.limit = limit;
    return this;
  }

  @Override
  public void reset() {
    clearAttributes(); // once per value: end() of the last one left the position increment at 0
    tokens.reset(data, limit);
  }

  @Override
  public boolean incrementToken() {
    // Cleared once in reset(), not per token: every token sets the term and its offsets, and nothing
    // else changes (position increments stay 1, frequencies 1); clearing all of them per token cost
    // ~3% of indexing.
    if (!tokens.next()) {
      return false;
    }
    if (tokens.tokenHigh()) {
      decoded.copyChars(new String(tokens.token(), 0, tokens.tokenLength(), StandardCharsets.UTF_8));
      term.setBytesRef(decoded.get());
    } else {
      ascii.length = tokens.tokenLength();
      term.setBytesRef(ascii);
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
