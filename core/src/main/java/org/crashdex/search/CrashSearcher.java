package org.crashdex.search;

import static org.crashdex.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.crashdex.index.FileFingerprint;
import org.crashdex.index.IndexState;

/**
 * Reads a crashdex index: search, top values, statistics, and the lookups {@code show} needs.
 * Opens the last commit; thread-safe.
 */
public final class CrashSearcher implements Closeable {
  private final Path dir;
  private final Directory directory;
  private final DirectoryReader reader;
  /** Searches the records (file documents hidden: {@link RecordsOnlyReader}). */
  private final IndexSearcher searcher;
  /** Sees every document, file documents included: statistics. */
  private final IndexSearcher all;

  private CrashSearcher(Path dir, Directory directory, DirectoryReader reader) throws IOException {
    this.dir = dir;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(new RecordsOnlyReader(reader));
    this.searcher.setQueryCache(null); // the view's documents differ from the index's
    this.all = new IndexSearcher(reader);
  }

  /** Opens the index in {@code dir}; an IOException that says so when there is none. */
  public static CrashSearcher open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no index at " + dir + " (run 'crashdex index' first, or name one with --index)");
    }
    Directory directory = FSDirectory.open(dir);
    try {
      org.crashdex.index.IndexSchema.checkVersion(directory, dir);
      return new CrashSearcher(dir, directory, DirectoryReader.open(directory));
    } catch (IndexNotFoundException e) {
      directory.close();
      throw new IOException("no index at " + dir + " (run 'crashdex index' first, or name one with --index)");
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /** The best {@code limit} records for {@code query} (from {@link CrashQueryParser#parse}), best first. */
  public List<Hit> search(Query query, int limit) throws IOException {
    TopDocs top = searcher.search(query, Math.max(1, limit));
    StoredFields stored = searcher.storedFields();
    List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      hits.add(hit(stored.document(sd.doc), sd.score));
    }
    return hits;
  }

  /** How many records match. */
  public long count(Query query) throws IOException {
    return searcher.count(query);
  }

  private static Hit hit(Document d, float score) {
    String origin = d.get(ORIGIN);
    String source = d.get(SOURCE); // absent when the user named the file by its absolute path
    return new Hit(
        source != null ? source : origin,
        origin,
        d.getField(OFFSET).numericValue().longValue(),
        d.getField(LENGTH).numericValue().longValue(),
        d.get(KIND),
        d.get(TITLE),
        score);
  }

  /** The record that starts at {@code offset} of {@code source}, or null. */
  public Hit record(String source, long offset) throws IOException {
    Query q =
        new BooleanQuery.Builder()
            .add(
                CrashQueryParser.sourceQuery(new TermQuery(new Term(SOURCE, source)), new TermQuery(new Term(ORIGIN, source))),
                BooleanClause.Occur.FILTER)
            .add(LongField.newExactQuery(OFFSET, offset), BooleanClause.Occur.FILTER)
            .build();
    List<Hit> hits = search(q, 1);
    return hits.isEmpty() ? null : hits.getFirst();
  }

  /** What the index recorded about the file {@code origin} when it indexed it, or null. */
  public FileFingerprint indexedState(String origin) throws IOException {
    return new IndexState(reader).lookup(origin); // not closed: shares this searcher's reader
  }

  /** The {@code limit} most frequent values of {@code by} among the records matching {@code query}. */
  public List<Count> top(Query query, TopField by, int limit) throws IOException {
    FieldInfo info = FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(by.field);
    Map<String, long[]> counts =
        info != null && info.getDocValuesType() == DocValuesType.SORTED_SET
            ? searcher.search(query, new ValueCounter(by.field))
            : countTerms(query, by.field);
    return counts.entrySet().stream()
        .map(e -> new Count(e.getKey(), e.getValue()[0]))
        .sorted(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::value))
        .limit(Math.max(1, limit))
        .toList();
  }

  /**
   * Counts the terms of a keyword field over the matching records, for a field without doc values:
   * the matches of each segment in a bit set, then every term's postings against it (a record
   * counts once per term, as with doc values). A pass over the field's postings: tens of
   * milliseconds for a million records.
   */
  private Map<String, long[]> countTerms(Query query, String field) throws IOException {
    Map<String, long[]> counts = new HashMap<>();
    Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      Terms terms = leaf.reader().terms(field);
      if (scorer == null || terms == null) {
        continue;
      }
      FixedBitSet matches = new FixedBitSet(leaf.reader().maxDoc());
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          matches.set(doc);
        }
      }
      TermsEnum te = terms.iterator();
      PostingsEnum postings = null;
      for (BytesRef term = te.next(); term != null; term = te.next()) {
        postings = te.postings(postings, PostingsEnum.NONE);
        long n = 0;
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (matches.get(doc)) {
            n++;
          }
        }
        if (n > 0) {
          counts.computeIfAbsent(term.utf8ToString(), k -> new long[1])[0] += n;
        }
      }
    }
    return counts;
  }

  /** Counts the values of a sorted-set doc-values field over the matching documents, segment by segment. */
  private static final class ValueCounter implements CollectorManager<ValueCounter.Counting, Map<String, long[]>> {
    private final String field;

    ValueCounter(String field) {
      this.field = field;
    }

    @Override
    public Counting newCollector() {
      return new Counting(field);
    }

    @Override
    public Map<String, long[]> reduce(java.util.Collection<Counting> collectors) {
      Map<String, long[]> all = new HashMap<>();
      for (Counting c : collectors) {
        c.totals.forEach((k, v) -> all.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
      }
      return all;
    }

    /** Counts per ordinal within a segment (an array, no hashing per document), then by value. */
    static final class Counting implements Collector {
      final Map<String, long[]> totals = new HashMap<>();
      private final String field;

      Counting(String field) {
        this.field = field;
      }

      @Override
      public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        SortedSetDocValues values = context.reader().getSortedSetDocValues(field);
        long[] perOrd = new long[values == null ? 0 : (int) Math.min(Integer.MAX_VALUE - 8, values.getValueCount())];
        return new LeafCollector() {
          @Override
          public void setScorer(Scorable scorer) {}

          @Override
          public void collect(int doc) throws IOException {
            if (values != null && values.advanceExact(doc)) {
              for (int i = 0, n = values.docValueCount(); i < n; i++) {
                perOrd[(int) values.nextOrd()]++;
              }
            }
          }

          @Override
          public void finish() throws IOException {
            for (int ord = 0; ord < perOrd.length; ord++) {
              if (perOrd[ord] > 0) {
                totals.computeIfAbsent(values.lookupOrd(ord).utf8ToString(), k -> new long[1])[0] += perOrd[ord];
              }
            }
          }
        };
      }

      @Override
      public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
      }
    }
  }

  /** Describes the index. */
  public IndexStats stats() throws IOException {
    long records = all.count(new TermQuery(new Term(DOC, DOC_RECORD)));
    long crash = searcher.count(new TermQuery(new Term(KIND, "crash")));
    long bisection = searcher.count(new TermQuery(new Term(KIND, "bisection")));
    long files = 0; // a file's state is on its last record or on a file document: one size each
    long input = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues sizes = leaf.reader().getNumericDocValues(STATE_SIZE);
      Bits live = leaf.reader().getLiveDocs();
      if (sizes != null) {
        for (int doc = sizes.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = sizes.nextDoc()) {
          if (live == null || live.get(doc)) {
            input += sizes.longValue();
            files++;
          }
        }
      }
    }
    long indexBytes;
    try (Stream<Path> s = Files.list(dir)) {
      indexBytes = s.mapToLong(p -> {
        try {
          return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
    String committed = reader.getIndexCommit().getUserData().get("crashdex.committed");
    return new IndexStats(
        dir.toString(),
        records,
        crash,
        bisection,
        files,
        input,
        indexBytes,
        distinct(TITLE_EXACT),
        distinct(FUNC),
        distinct(COMMIT),
        distinct(SIG),
        reader.leaves().size(),
        committed == null ? 0 : Long.parseLong(committed));
  }

  private long distinct(String field) throws IOException {
    Terms terms = MultiTerms.getTerms(reader, field);
    if (terms == null) {
      return 0;
    }
    long n = 0;
    TermsEnum te = terms.iterator();
    for (BytesRef t = te.next(); t != null; t = te.next()) {
      n++;
    }
    return n;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
