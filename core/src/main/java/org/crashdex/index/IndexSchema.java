package org.crashdex.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * The fields of a crashdex index: their names, what they hold, and how they are analysed.
 *
 * <p>An index holds two kinds of documents, told apart by {@link #DOC}:
 *
 * <ul>
 *   <li><b>record</b> documents, one per crash report or bisection log, with the searchable fields
 *       below and the stored location ({@link #ORIGIN}, {@link #SOURCE}, {@link #OFFSET}, {@link
 *       #LENGTH}) that lets {@code show} read the original bytes back from the file;
 *   <li><b>file</b> documents, for a file whose state has no record to ride on (a file without
 *       records, or one whose records were added by several threads).
 * </ul>
 *
 * A file's <em>state</em> is what the incremental indexer needs to tell an unchanged file from a
 * changed one ({@link #STATE_SIZE}, {@link #STATE_MODIFIED}, {@link #STATE_HEAD}, {@link
 * #STATE_TAIL}); it is on the file's last record, else on its file document, and is committed in the
 * same commit as the file's records, so the index never claims a file whose records it lacks.
 *
 * <h2>Hashes</h2>
 *
 * Commit hashes and signatures are indexed whole, lower-cased, as single terms. A query for an
 * abbreviation (7 to 64 hex digits, git-style) becomes a prefix query on those terms: the terms
 * dictionary seeks straight to the prefix, so an abbreviation costs about as much as an exact term,
 * and the index carries no n-grams.
 */
public final class IndexSchema {
  private IndexSchema() {}

  /** Bumped when the layout changes incompatibly; stored in every commit's user data. */
  public static final String VERSION = "5";

  /** Commit user-data key of {@link #VERSION}. */
  public static final String VERSION_KEY = "crashdex.schema";

  // ---- document kinds ----
  public static final String DOC = "doc";
  public static final String DOC_RECORD = "record";
  public static final String DOC_FILE = "file";

  // ---- record location (stored) ----
  /**
   * The source name as the user gave it (stored and indexed), only when it differs from {@link
   * #ORIGIN}: a path given absolute is kept once. A {@code source:} query looks in both fields.
   */
  public static final String SOURCE = "source";
  /**
   * The absolute path of the file the record was read from (stored and indexed): the unit of
   * re-indexing, on the file's records and on its file document if it has one.
   */
  public static final String ORIGIN = "origin";
  public static final String OFFSET = "offset";
  public static final String LENGTH = "length";

  // ---- file state documents ----
  /** With a file's state: the origin, stored (looked up through {@link #ORIGIN}, see {@link IndexState}). */
  public static final String STATE = "state";
  public static final String STATE_SIZE = "state.size";
  public static final String STATE_MODIFIED = "state.modified";
  public static final String STATE_HEAD = "state.head";
  public static final String STATE_TAIL = "state.tail";
  public static final String STATE_RECORDS = "state.records";

  // ---- searchable record fields ----
  public static final String KIND = "kind";
  public static final String TITLE = "title";
  public static final String TITLE_EXACT = "title.exact";
  public static final String TYPE = "type";
  public static final String FRAME = "frame";
  public static final String FUNC = "func";
  public static final String FILE = "file";
  public static final String GUILTY = "guilty";
  public static final String KERNEL = "kernel";
  public static final String CRASH_ID = "crashid";
  public static final String CORRUPTED = "corrupted";
  public static final String COMM = "comm";
  public static final String COMMIT = "commit";
  public static final String CULPRIT = "culprit";
  /**
   * The commits a bisection tested: a {@link HashList} doc value, not terms (each is a term of
   * {@link #COMMIT} already); a {@code tested:} query finds them through {@code commit:}.
   */
  public static final String TESTED = "tested";
  public static final String START = "start";
  public static final String CANDIDATE = "candidate";
  public static final String SYZKALLER = "syzkaller";
  public static final String SIG = "sig";
  public static final String VERDICT = "verdict";
  public static final String RESULT = "result";
  public static final String DIRECTION = "direction";
  public static final String AUTHOR = "author";
  /**
   * Full text of the record, analysed by {@link LogAnalyzer}: each distinct word once, without
   * positions; phrases are checked against {@link #TEXT_PAIRS}.
   */
  public static final String TEXT = "text";
  /** The record's adjacent word pairs, a binary doc value ({@link PhrasePairs}). */
  public static final String TEXT_PAIRS = "text.pairs";

  /**
   * When the record happened, epoch milliseconds (a point, doc values and stored): a bisection's
   * "starts bisection" time, else its file's modification time (for a syz-manager crash log, when
   * the manager saved it). What {@code --since}/{@code --until} filter on.
   */
  public static final String TIME = "time";

  /** How a searchable field is indexed, which decides how a query term for it is analysed. */
  public enum FieldKind {
    /** Tokenised by {@link LogAnalyzer}: terms and phrases. */
    TEXT,
    /** One exact term per value, case kept (function names, file paths). */
    KEYWORD,
    /** One exact term per value, lower-cased on both sides (types, kinds, kernels). */
    KEYWORD_LOWER,
    /** A lower-case hex hash; a query of 7 or more hex digits matches it as an abbreviation. */
    HASH
  }

  private static final Map<String, FieldKind> FIELDS;
  private static final Map<String, String> DESCRIPTIONS;

  static {
    Map<String, FieldKind> f = new LinkedHashMap<>();
    Map<String, String> d = new LinkedHashMap<>();
    def(f, d, TEXT, FieldKind.TEXT, "full text of the record (the default field)");
    def(f, d, TITLE, FieldKind.TEXT, "crash title and alternative titles, words and phrases");
    def(f, d, TITLE_EXACT, FieldKind.KEYWORD, "a title exactly, e.g. title.exact:\"WARNING in foo\"");
    def(f, d, TYPE, FieldKind.KEYWORD_LOWER, "crash type, e.g. type:KASAN*");
    def(f, d, FRAME, FieldKind.KEYWORD, "the function the title names");
    def(f, d, FUNC, FieldKind.KEYWORD, "any function of any call trace of the record");
    def(f, d, FILE, FieldKind.KEYWORD, "a source file named in the traces, e.g. file:net/ipv4/tcp.c");
    def(f, d, GUILTY, FieldKind.KEYWORD, "the guilty source file");
    def(f, d, KERNEL, FieldKind.KEYWORD_LOWER, "kernel release, e.g. kernel:5.7.0-rc5*");
    def(f, d, KIND, FieldKind.KEYWORD_LOWER, "crash or bisection");
    def(f, d, CRASH_ID, FieldKind.HASH, "SHA-1 of the title (syz-manager crash directory)");
    def(f, d, CORRUPTED, FieldKind.KEYWORD_LOWER, "true when the report is corrupted");
    def(f, d, COMM, FieldKind.KEYWORD, "the task that crashed");
    def(f, d, COMMIT, FieldKind.HASH, "any kernel commit the record names");
    def(f, d, CULPRIT, FieldKind.HASH, "the bisection's culprit commit");
    def(f, d, TESTED, FieldKind.HASH, "a commit the bisection tested");
    def(f, d, START, FieldKind.HASH, "the commit the bisection started from");
    def(f, d, CANDIDATE, FieldKind.HASH, "a commit of an inconclusive bisection's candidates");
    def(f, d, SYZKALLER, FieldKind.HASH, "the syzkaller commit the bisection ran");
    def(f, d, SIG, FieldKind.HASH, "any signature: kernel, culprit or parent signature");
    def(f, d, VERDICT, FieldKind.KEYWORD_LOWER,
        "a run verdict or the title a run saw, whole, any case, e.g. verdict:\"boot failed\", verdict:KASAN*");
    def(f, d, RESULT, FieldKind.KEYWORD_LOWER, "bisection result: culprit, inconclusive, error, ...");
    def(f, d, DIRECTION, FieldKind.KEYWORD_LOWER, "bisection direction: cause or fix");
    def(f, d, AUTHOR, FieldKind.TEXT, "the culprit's author");
    def(f, d, SOURCE, FieldKind.KEYWORD, "the file the record was read from, as given or as an absolute path");
    FIELDS = Collections.unmodifiableMap(f);
    DESCRIPTIONS = Collections.unmodifiableMap(d);
  }

  private static void def(Map<String, FieldKind> f, Map<String, String> d, String name, FieldKind kind, String description) {
    f.put(name, kind);
    d.put(name, description);
  }

  /**
   * Refuses an index in {@code directory} written with another layout (fields analysed or encoded
   * otherwise would silently answer wrongly); an empty directory passes.
   */
  public static void checkVersion(Directory directory, Path dir) throws IOException {
    if (DirectoryReader.indexExists(directory)) {
      String version = SegmentInfos.readLatestCommit(directory).getUserData().get(VERSION_KEY);
      if (!VERSION.equals(version)) {
        throw new IOException(
            dir + " holds an index of another layout (schema " + version + "; this crashdex reads and writes schema "
                + VERSION + "): delete it and run 'crashdex index' again");
      }
    }
  }

  /** Every searchable field, in the order the help lists them. */
  public static Map<String, FieldKind> fields() {
    return FIELDS;
  }

  /** One line per searchable field, for help texts. */
  public static Map<String, String> descriptions() {
    return DESCRIPTIONS;
  }

  /** The kind of a searchable field, or null when no such field exists. */
  public static FieldKind kindOf(String field) {
    return FIELDS.get(field);
  }

  /** The analyzer of every field, for queries (documents are built with pre-analysed values). */
  public static Analyzer analyzer() {
    Map<String, Analyzer> perField = new LinkedHashMap<>();
    Analyzer lower = new LowercaseKeywordAnalyzer();
    Analyzer log = new LogAnalyzer();
    for (Map.Entry<String, FieldKind> e : FIELDS.entrySet()) {
      perField.put(
          e.getKey(),
          switch (e.getValue()) {
            case TEXT -> log;
            case KEYWORD -> new KeywordAnalyzer();
            case KEYWORD_LOWER, HASH -> lower;
          });
    }
    perField.put(ORIGIN, new KeywordAnalyzer()); // searched through source:
    return new PerFieldAnalyzerWrapper(log, perField);
  }
}
