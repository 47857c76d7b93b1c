package org.crashdex.search;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * A query answered in two steps: a cheap query over the index finds the candidates and scores them,
 * and a check of each candidate's doc values, run second and only for the candidates, decides. The
 * index keeps a fact once where this is enough (a phrase's word pairs, the commits a bisection
 * tested) instead of as terms of their own.
 */
abstract class CheckedQuery extends Query {

  /** Decides one candidate; asked in increasing document order within a segment. */
  interface Check {
    boolean holds(int doc) throws IOException;
  }

  /** The candidates: every match of this query is one of them. */
  abstract Query candidates();

  /** A check for the documents of one segment. */
  abstract Check check(LeafReaderContext context) throws IOException;

  /** Rough cost of one check, in the units of {@link TwoPhaseIterator#matchCost()}. */
  abstract float checkCost();

  /** Why a candidate failed its check, for {@link Weight#explain}. */
  abstract String failure();

  @Override
  public final Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    return new CheckedWeight(searcher.createWeight(searcher.rewrite(candidates()), scoreMode, boost));
  }

  /** The candidates' weight, its matches narrowed to those that pass the check. */
  private final class CheckedWeight extends FilterWeight {
    CheckedWeight(Weight candidates) {
      super(CheckedQuery.this, candidates);
    }

    @Override
    public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
      ScorerSupplier candidates = in.scorerSupplier(context);
      if (candidates == null) {
        return null;
      }
      return new ScorerSupplier() {
        @Override
        public Scorer get(long leadCost) throws IOException {
          return new CheckedScorer(candidates.get(leadCost), memo(check(context)), checkCost());
        }

        @Override
        public BulkScorer bulkScorer() throws IOException {
          // The candidates' own bulk scorer (block-max skipping for top hits), checking each record it
          // would collect: only competitive records ever reach the check.
          BulkScorer inner = candidates.bulkScorer();
          Check check = check(context);
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
          return candidates.cost();
        }
      };
    }

    @Override
    public int count(LeafReaderContext context) {
      return -1; // not known without checking every candidate
    }

    @Override
    public Explanation explain(LeafReaderContext context, int doc) throws IOException {
      if (!check(context).holds(doc)) {
        return Explanation.noMatch(failure());
      }
      return in.explain(context, doc);
    }

    @Override
    public Matches matches(LeafReaderContext context, int doc) throws IOException {
      return check(context).holds(doc) ? in.matches(context, doc) : null;
    }
  }

  /** The check, asked once per document however often the scorer asks. */
  private static Check memo(Check check) {
    return new Check() {
      private int lastDoc = -1;
      private boolean lastResult;

      @Override
      public boolean holds(int doc) throws IOException {
        if (doc != lastDoc) {
          lastDoc = doc;
          lastResult = check.holds(doc);
        }
        return lastResult;
      }
    };
  }

  /** Scores as the candidates do; matches only where the check holds too. */
  private static final class CheckedScorer extends Scorer {
    private final Scorer candidates;
    private final TwoPhaseIterator twoPhase;

    CheckedScorer(Scorer candidates, Check check, float checkCost) {
      this.candidates = candidates;
      TwoPhaseIterator inner = candidates.twoPhaseIterator();
      DocIdSetIterator approximation = inner != null ? inner.approximation() : candidates.iterator();
      this.twoPhase =
          new TwoPhaseIterator(approximation) {
            @Override
            public boolean matches() throws IOException {
              return (inner == null || inner.matches()) && check.holds(approximation.docID());
            }

            @Override
            public float matchCost() {
              return (inner == null ? 0 : inner.matchCost()) + checkCost;
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
      return candidates.score();
    }

    @Override
    public int advanceShallow(int target) throws IOException {
      return candidates.advanceShallow(target);
    }

    @Override
    public float getMaxScore(int upTo) throws IOException {
      return candidates.getMaxScore(upTo);
    }

    @Override
    public void setMinCompetitiveScore(float minScore) throws IOException {
      candidates.setMinCompetitiveScore(minScore);
    }
  }
}
