package org.crashdex.search;

import static org.crashdex.index.IndexSchema.DOC;
import static org.crashdex.index.IndexSchema.DOC_FILE;

import java.io.IOException;
import org.apache.lucene.index.IndexReader.CacheHelper;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The index as searches see it: record documents only. An index also holds a file document for each
 * indexed file whose state has no record to ride on (what the incremental indexer checks); here they
 * are deleted documents, so no query
 * needs a clause that filters them out. (Such a filter clause would also keep Lucene from skipping
 * non-competitive blocks when collecting top hits.)
 */
final class RecordsOnlyReader extends FilterDirectoryReader {
  RecordsOnlyReader(DirectoryReader in) throws IOException {
    super(in, new SubReaderWrapper() {
      @Override
      public LeafReader wrap(LeafReader reader) {
        try {
          return new RecordsOnlyLeaf(reader);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
  }

  @Override
  protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
    return new RecordsOnlyReader(in);
  }

  @Override
  public CacheHelper getReaderCacheHelper() {
    return null; // live documents differ from the wrapped reader's: never share its cache entries
  }

  /** One segment, its file documents hidden as if deleted. */
  private static final class RecordsOnlyLeaf extends FilterLeafReader {
    private final Bits live;
    private final int numDocs;

    RecordsOnlyLeaf(LeafReader in) throws IOException {
      super(in);
      Bits inLive = in.getLiveDocs();
      FixedBitSet records = new FixedBitSet(in.maxDoc());
      records.set(0, in.maxDoc());
      PostingsEnum files = in.postings(new Term(DOC, DOC_FILE), PostingsEnum.NONE);
      if (files != null) {
        for (int doc = files.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = files.nextDoc()) {
          records.clear(doc);
        }
      }
      if (inLive != null) {
        for (int doc = 0; doc < in.maxDoc(); doc++) {
          if (!inLive.get(doc)) {
            records.clear(doc);
          }
        }
      }
      this.live = records;
      this.numDocs = records.cardinality();
    }

    @Override
    public Bits getLiveDocs() {
      return live;
    }

    @Override
    public int numDocs() {
      return numDocs;
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return null;
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return null;
    }
  }
}
