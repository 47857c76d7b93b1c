package org.crashdex.index;

import static org.crashdex.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * What an index knows about the files it holds: one state per file (on the file's last record, or
 * on a file document of its own), looked up by origin (absolute path). Reads one snapshot;
 * thread-safe.
 *
 * <p>A file document carries its origin in the same field as the file's records ({@link
 * IndexSchema#ORIGIN}), so a path is one term of the index, not two: the document holding the state,
 * record or file document, is the one among the term's documents that has a {@link
 * IndexSchema#STATE_SIZE} value. (One delete
 * term also drops a file's records and its state together.)
 */
public final class IndexState implements Closeable {
  private final IndexReader reader;

  public IndexState(IndexReader reader) {
    this.reader = reader;
  }

  /** A state over the last commit in {@code directory}, or an empty one when there is none. */
  static IndexState open(org.apache.lucene.store.Directory directory) throws IOException {
    return new IndexState(DirectoryReader.indexExists(directory) ? DirectoryReader.open(directory) : null);
  }

  /** What the index recorded for the file {@code origin}, or null when it holds no such file. */
  public FileFingerprint lookup(String origin) throws IOException {
    Document d = stateDocument(origin);
    if (d == null) {
      return null;
    }
    return new FileFingerprint(
        d.getField(STATE_SIZE).numericValue().longValue(),
        d.getField(STATE_MODIFIED).numericValue().longValue(),
        d.getField(STATE_HEAD).numericValue().longValue(),
        d.getField(STATE_TAIL).numericValue().longValue());
  }

  /** The stored document that holds the state of {@code origin} (a record or a file document), or null. */
  public Document stateDocument(String origin) throws IOException {
    if (reader == null) {
      return null;
    }
    BytesRef term = new BytesRef(origin);
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(ORIGIN);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (!te.seekExact(term)) {
        continue;
      }
      NumericDocValues sizes = leaf.reader().getNumericDocValues(STATE_SIZE);
      if (sizes == null) {
        continue; // a segment of records only
      }
      int doc = stateHolder(leaf, te.postings(null, PostingsEnum.NONE), sizes::advanceExact);
      if (doc != DocIdSetIterator.NO_MORE_DOCS) {
        return leaf.reader().storedFields().document(doc);
      }
    }
    return null;
  }

  /** Whether a document holds a file's state (has a {@link IndexSchema#STATE_SIZE} value). */
  private interface HoldsState {
    boolean at(int doc) throws IOException;
  }

  /**
   * The live document that holds the file's state among {@code postings} (one origin's documents in
   * {@code leaf}), or NO_MORE_DOCS.
   */
  private static int stateHolder(LeafReaderContext leaf, PostingsEnum postings, HoldsState holds) throws IOException {
    Bits live = leaf.reader().getLiveDocs();
    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
      if ((live == null || live.get(doc)) && holds.at(doc)) {
        return doc;
      }
    }
    return DocIdSetIterator.NO_MORE_DOCS;
  }

  /** Calls {@code visitor} with the origin of every file in the index (terms only: no stored fields read). */
  public void forEachFile(Consumer<String> visitor) throws IOException {
    if (reader == null) {
      return;
    }
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(ORIGIN);
      NumericDocValues sizes = leaf.reader().getNumericDocValues(STATE_SIZE);
      if (terms == null || sizes == null) {
        continue;
      }
      // The state holders of the segment, read once: the terms' documents come in no common order.
      FixedBitSet holders = new FixedBitSet(leaf.reader().maxDoc());
      for (int doc = sizes.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = sizes.nextDoc()) {
        holders.set(doc);
      }
      TermsEnum te = terms.iterator();
      PostingsEnum postings = null;
      for (BytesRef t = te.next(); t != null; t = te.next()) {
        postings = te.postings(postings, PostingsEnum.NONE);
        if (stateHolder(leaf, postings, holders::get) != DocIdSetIterator.NO_MORE_DOCS) {
          visitor.accept(t.utf8ToString());
        }
      }
    }
  }

  /** How many records and how many files the index holds. */
  public long[] totals() throws IOException {
    if (reader == null) {
      return new long[2];
    }
    IndexSearcher searcher = new IndexSearcher(reader);
    return new long[] {
      searcher.count(new TermQuery(new Term(DOC, DOC_RECORD))), searcher.count(new FieldExistsQuery(STATE_SIZE))
    };
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
