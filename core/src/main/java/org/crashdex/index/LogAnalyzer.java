package org.crashdex.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;

/**
 * The analyzer of kernel log text: full text, titles, authors. Finds identifiers inside frames
 * ({@code __x64_sys_getsockopt} in {@code __x64_sys_getsockopt+0xb5/0x150}) and leaves addresses,
 * register dumps and {@code Code:} bytes out; see {@link LogTokens} for the rules.
 */
public final class LogAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    return new TokenStreamComponents(new LogTokenizer());
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in); // wildcard and prefix terms: the index side is lower-case
  }
}
