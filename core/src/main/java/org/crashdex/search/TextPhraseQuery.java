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
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.crashdex.index.PhrasePairs;

/**
 * A phrase in the full text, which the index keeps without positions: the records that hold every
 * word of the phrase (a conjunction of term queries, scored as one) and, checked second and only for
 * those, every adjacent pair of its words ({@link PhrasePairs}, a binary doc value per record).
 */
public final class TextPhraseQuery extends Query {
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
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (Term t : terms) {
      all.add(new TermQuery(t), BooleanClause.Occur.MUST);
    }
    Weight words = searcher.createWeight(searcher.rewrite(all.build()), scoreMode, boost);
    return new PairsWeight(this, words);
  }

  /** The word conjunction's weight, its matches narrowed to records holding the phrase's pairs. */
  private final class PairsWeight extends FilterWeight {
    PairsWeight(Query query, Weight words) {
      super(query, words);
    }

    @Override
    public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
      ScorerSupplier words = in.scorerSupplier(context);
      if (words == null) {
        return null;
      }
      return new ScorerSupplier() {
        @Override
        public Scorer get(long leadCost) throws IOException {
          return new PairsScorer(words.get(leadCost), new PairCheck(context));
        }

        @Override
        public BulkScorer bulkScorer() throws IOException {
          // The words' own bulk scorer (block-max skipping for top hits), with the pairs checked for
          // each record it would collect: only competitive records ever reach the check.
          BulkScorer inner = words.bulkScorer();
          PairCheck check = new PairCheck(context);
          return new BulkScorer() {
            @Override
            public int score(LeafCollector collector, Bits acceptDocs, int min, int max) throws IOException {
              return inner.score(
                  new FilterLeafCollector(collector) {
                    @Override
                    public void collect(int doc) throws IOException {
                      if (check.holds(doc)) {
                        super.collect(doc);
                      }
                    }
                  },
                  acceptDocs,
                  min,
                  max);
            }

            @Override
            public long cost() {
              return inner.cost();
            }
          };
        }

        @Override
        public long cost() {
          return words.cost();
        }
      };
    }

    @Override
    public int count(LeafReaderContext context) {
      return -1; // not known without checking every candidate
    }

    @Override
    public Explanation explain(LeafReaderContext context, int doc) throws IOException {
      if (!new PairCheck(context).holds(doc)) {
        return Explanation.noMatch("the words are there but not next to each other");
      }
      return in.explain(context, doc);
    }

    @Override
    public Matches matches(LeafReaderContext context, int doc) throws IOException {
      return new PairCheck(context).holds(doc) ? in.matches(context, doc) : null;
    }
  }

  /** Reads records' pair sets in increasing document order. */
  private final class PairCheck {
    private final BinaryDocValues values;
    private int lastDoc = -1;
    private boolean lastResult;

    PairCheck(LeafReaderContext context) throws IOException {
      this.values = context.reader().getBinaryDocValues(pairsField);
    }

    boolean holds(int doc) throws IOException {
      if (doc == lastDoc) {
        return lastResult;
      }
      lastDoc = doc;
      lastResult = values != null && values.advanceExact(doc) && PhrasePairs.containsAll(values.binaryValue(), pairs);
      return lastResult;
    }
  }

  /** Scores as the word conjunction does; matches only where the pairs check too. */
  private static final class PairsScorer extends Scorer {
    private final Scorer words;
    private final TwoPhaseIterator twoPhase;

    PairsScorer(Scorer words, PairCheck check) {
      this.words = words;
      TwoPhaseIterator inner = words.twoPhaseIterator();
      DocIdSetIterator approximation = inner != null ? inner.approximation() : words.iterator();
      this.twoPhase =
          new TwoPhaseIterator(approximation) {
            @Override
            public boolean matches() throws IOException {
              return (inner == null || inner.matches()) && check.holds(approximation.docID());
            }

            @Override
            public float matchCost() {
              return (inner == null ? 0 : inner.matchCost()) + MATCH_COST;
            }
          };
    }

    @Override
    public int docID() {
      return twoPhase.approximation().docID();
    }

    @Override
    public DocIdSetIterator iterator() {
      return TwoPhaseIterator.asDocIdSetIterator(twoPhase);
    }

    @Override
    public TwoPhaseIterator twoPhaseIterator() {
      return twoPhase;
    }

    @Override
    public float score() throws IOException {
      return words.score();
    }

    @Override
    public int advanceShallow(int target) throws IOException {
      return words.advanceShallow(target);
    }

    @Override
    public float getMaxScore(int upTo) throws IOException {
      return words.getMaxScore(upTo);
    }

    @Override
    public void setMinCompetitiveScore(float minScore) throws IOException {
      words.setMinCompetitiveScore(minScore);
    }
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
