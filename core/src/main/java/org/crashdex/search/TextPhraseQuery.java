package org.crashdex.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.crashdex.index.PhrasePairs;

/**
 * A phrase in the full text, which the index keeps without positions: the records that hold every
 * word of the phrase (a conjunction of term queries, scored as one) and, checked second and only for
 * those ({@link CheckedQuery}), every adjacent pair of its words ({@link PhrasePairs}, a binary doc
 * value per record).
 */
public final class TextPhraseQuery extends CheckedQuery {
  /** Rough cost of checking one record's pair set: decoding a few hundred variable-length ints. */
  private static final float MATCH_COST = 200f;

  private final String field;
  private final String pairsField;
  private final Term[] terms;
  private final long[] pairs;

  /**
   * @param field the full-text field the words are in
   * @param pairsField the binary doc-values field that holds each record's pair set
   * @param words the phrase's words, analysed, in order (two or more)
   */
  public TextPhraseQuery(String field, String pairsField, List<BytesRef> words) {
    if (words.size() < 2) {
      throw new IllegalArgumentException("a phrase has two or more words");
    }
    this.field = field;
    this.pairsField = pairsField;
    this.terms = words.stream().map(w -> new Term(field, BytesRef.deepCopyOf(w))).toArray(Term[]::new);
    this.pairs = PhrasePairs.pairsOf(words);
  }

  @Override
  Query candidates() {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (Term t : terms) {
      all.add(new TermQuery(t), BooleanClause.Occur.MUST);
    }
    return all.build();
  }

  @Override
  Check check(LeafReaderContext context) throws IOException {
    BinaryDocValues values = context.reader().getBinaryDocValues(pairsField);
    return doc -> values != null && values.advanceExact(doc) && PhrasePairs.containsAll(values.binaryValue(), pairs);
  }

  @Override
  float checkCost() {
    return MATCH_COST;
  }

  @Override
  String failure() {
    return "the words are there but not next to each other";
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      visitor.getSubVisitor(BooleanClause.Occur.MUST, this).consumeTerms(this, terms);
    }
  }

  @Override
  public String toString(String defaultField) {
    StringBuilder s = new StringBuilder();
    if (!field.equals(defaultField)) {
      s.append(field).append(':');
    }
    s.append('"');
    for (int i = 0; i < terms.length; i++) {
      s.append(i == 0 ? "" : " ").append(terms[i].text());
    }
    return s.append('"').toString();
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && field.equals(((TextPhraseQuery) other).field)
        && pairsField.equals(((TextPhraseQuery) other).pairsField)
        && Arrays.equals(terms, ((TextPhraseQuery) other).terms);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), field, pairsField, Arrays.hashCode(terms));
  }
}
