package org.crashdex.index;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * {@link LogTokens}' rules over a Reader: the query-time twin of {@link LogTokenStream}. Reads its
 * whole input (queries and titles are short) and cuts the UTF-8 bytes exactly as the index side
 * cuts the mapped record.
 */
public final class LogTokenizer extends Tokenizer {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
  private final LogTokens tokens = new LogTokens();
  private final StringBuilder text = new StringBuilder();
  private final char[] chunk = new char[4096];

  @Override
  public void reset() throws IOException {
    super.reset();
    text.setLength(0);
    for (int n; (n = input.read(chunk)) > 0; ) {
      text.append(chunk, 0, n);
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    tokens.reset(MemorySegment.ofArray(bytes), bytes.length);
  }

  @Override
  public boolean incrementToken() {
    clearAttributes();
    if (!tokens.next(term)) {
      return false;
    }
    // Offsets are byte offsets; exact for the ASCII text queries are made of.
    offsets.setOffset(correctOffset((int) tokens.tokenStart()), correctOffset((int) tokens.tokenEnd()));
    return true;
  }

  @Override
  public void end() throws IOException {
    super.end();
    int end = correctOffset((int) tokens.end());
    offsets.setOffset(end, end);
  }
}
