package org.crashdex.index;

import static org.crashdex.index.IndexSchema.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.extract.RecordExtractor;
import org.crashdex.extract.bisect.Bisection;
import org.crashdex.extract.bisect.RunVerdict;
import org.crashdex.extract.bisect.TestedCommit;
import org.crashdex.extract.crash.CrashReport;
import org.crashdex.scan.RecordKind;
import org.crashdex.source.WorkdirCrash;

/**
 * Third stage of the pipeline: turns one record's bytes into a Lucene {@link Document}. Runs the
 * parsers ({@link RecordExtractor}), adds what the {@link LogHarvester} finds in the raw lines, and
 * the full text as a {@link TextDigest} of the mapped bytes (distinct words and word pairs), so a
 * record's text is never copied onto the heap whole.
 *
 * <p>Not thread-safe: each indexing thread has its own, and the document it returns must be added
 * to the writer before the next call (the token stream is reused).
 */
final class FieldExtractor {
  /** Lucene's limit on one term is 32766 bytes; longer keyword values are cut well before it. */
  static final int MAX_KEYWORD_CHARS = 4000;

  /**
   * The full text: each distinct word of a record once, no frequencies or positions (phrases are
   * told by {@link PhrasePairs}); norms kept, so a short record that holds a word ranks above a
   * long one.
   */
  static final FieldType FULL_TEXT = new FieldType(TextField.TYPE_NOT_STORED);

  static {
    FULL_TEXT.setIndexOptions(IndexOptions.DOCS);
    FULL_TEXT.freeze();
  }

  /**
   * A keyword that is also a sorted-set doc value ({@code top} counts by it): one field instance
   * for both, where a {@link StringField} and a {@link SortedSetDocValuesField} were two, each
   * looked up and checked by the writer in every document. On disk the same.
   */
  static final FieldType KEYWORD_WITH_VALUES = new FieldType(StringField.TYPE_NOT_STORED);

  static {
    KEYWORD_WITH_VALUES.setDocValuesType(DocValuesType.SORTED_SET);
    KEYWORD_WITH_VALUES.freeze();
  }

  // Terms every record carries, encoded once (the writer only reads a field's bytes).
  private static final BytesRef RECORD_TERM = new BytesRef(DOC_RECORD);
  private static final BytesRef TRUE_TERM = new BytesRef("true");
  private static final BytesRef FALSE_TERM = new BytesRef("false");

  private final LogHarvester harvester = new LogHarvester();
  private final TextDigest text = new TextDigest();
  /**
   * The values of the short text fields, each field's values joined by line breaks and cut by one
   * reusable stream: the positions are those of separate values (the analyzer puts no gap between
   * values), without an analyzer's String, Reader and char round trip per value.
   */
  private final JoinedText titles = new JoinedText(), authors = new JoinedText();
  private final long maxTextBytes;

  FieldExtractor(long maxTextBytes) {
    this.maxTextBytes = maxTextBytes;
  }

  /**
   * The document of the record at {@code [offset, offset + bytes.byteSize())} of {@code source}.
   *
   * @param origin the absolute path of the file (the re-indexing unit)
   * @param workdir what a syz-manager crash directory says about the file, or null
   * @param fileMillis the file's modification time, epoch milliseconds (0: unknown)
   */
  Document document(
      String source, String origin, long offset, MemorySegment bytes, RecordKind kind, WorkdirCrash workdir, long fileMillis) {
    long length = bytes.byteSize();
    long textBytes = Math.min(length, maxTextBytes);
    ExtractedRecord fields = extract(bytes, kind);
    // One pass over the text: the words for the index, and each line for the harvester.
    harvester.reset();
    text.read(bytes, textBytes, harvester);

    titles.clear();
    authors.clear();
    Document doc = new Document();
    doc.add(new StringField(DOC, RECORD_TERM, Field.Store.NO));
    if (!source.equals(origin)) { // else the origin says it (IndexSchema.SOURCE)
      doc.add(new StringField(SOURCE, keyword(source), Field.Store.YES));
    }
    doc.add(new StringField(ORIGIN, keyword(origin), Field.Store.YES));
    doc.add(new LongField(OFFSET, offset, Field.Store.YES));
    doc.add(new StoredField(LENGTH, length));
    doc.add(new StringField(KIND, kind.label(), Field.Store.YES));

    Set<String> functions = new LinkedHashSet<>();
    Set<String> commits = new LinkedHashSet<>();
    Set<String> signatures = new LinkedHashSet<>();
    Bisection b = fields == null ? null : fields.bisection();
    // A bisection's final crash is already in fields.crash(), under the title of its "crash:" line.
    CrashReport crash = fields == null ? null : fields.crash();
    if (crash != null) {
      crash(doc, crash, functions);
    }
    if (b != null) {
      bisection(doc, b, commits, signatures);
      fallbackTitle(doc, fields);
    }
    long time = b != null ? RecordTimes.bisectionStart(b.startedAt(), fileMillis) : fileMillis;
    if (time > 0) {
      doc.add(new LongField(TIME, time, Field.Store.YES));
    }
    if (workdir != null) {
      workdir(doc, workdir);
    }
    titles.addTo(doc, TITLE);
    authors.addTo(doc, AUTHOR);
    functions.addAll(harvester.functions);
    commits.addAll(harvester.commits);
    signatures.addAll(harvester.signatures);
    for (String f : functions) {
      doc.add(new StringField(FUNC, utf8(keyword(f)), Field.Store.NO)); // no doc values: see TopField
    }
    for (String c : commits) {
      hash(doc, COMMIT, c);
    }
    for (String s : signatures) {
      hash(doc, SIG, s);
    }
    if (text.wordCount() > 0) {
      doc.add(new Field(TEXT, text.words(), FULL_TEXT));
      doc.add(new BinaryDocValuesField(TEXT_PAIRS, text.pairs()));
    }
    return doc;
  }

  private static ExtractedRecord extract(MemorySegment bytes, RecordKind kind) {
    try {
      return RecordExtractor.extract(bytes, kind);
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug costs the record its parsed fields, not its place in the index: the harvested
      // functions and hashes and the full text still make it findable.
      return null;
    }
  }

  private void crash(Document doc, CrashReport crash, Set<String> functions) {
    if (crash.title() != null) {
      String title = keyword(crash.title());
      doc.add(new StoredField(TITLE, title));
      titles.add(title);
      doc.add(new Field(TITLE_EXACT, utf8(title), KEYWORD_WITH_VALUES));
    }
    for (String alt : crash.altTitles()) {
      String t = keyword(alt);
      titles.add(t);
      doc.add(new StringField(TITLE_EXACT, utf8(t), Field.Store.NO));
    }
    lower(doc, TYPE, crash.type());
    keyword(doc, FRAME, crash.frame());
    keyword(doc, GUILTY, crash.guiltyFile());
    keyword(doc, COMM, crash.comm());
    for (String f : new LinkedHashSet<>(crash.files())) {
      keyword(doc, FILE, f);
    }
    if (crash.kernel() != null) {
      doc.add(new Field(KERNEL, utf8(keyword(crash.kernel().toLowerCase(Locale.ROOT))), KEYWORD_WITH_VALUES));
    }
    lower(doc, CRASH_ID, crash.crashId());
    doc.add(new StringField(CORRUPTED, crash.corrupted() ? TRUE_TERM : FALSE_TERM, Field.Store.NO));
    functions.addAll(crash.frames());
    if (crash.frame() != null) {
      functions.add(crash.frame());
    }
  }

  private void bisection(Document doc, Bisection b, Set<String> commits, Set<String> signatures) {
    lower(doc, DIRECTION, b.direction());
    lower(doc, RESULT, b.result());
    if (b.culprit() != null) {
      String c = keyword(b.culprit().toLowerCase(Locale.ROOT));
      if (!c.isEmpty()) {
        doc.add(new Field(CULPRIT, utf8(c), KEYWORD_WITH_VALUES));
      }
      commits.add(c);
    }
    if (b.startCommit() != null) {
      hash(doc, START, b.startCommit());
      commits.add(b.startCommit());
    }
    for (String c : b.candidates()) {
      hash(doc, CANDIDATE, c);
      commits.add(c);
    }
    lower(doc, SYZKALLER, b.syzkallerCommit());
    commits.addAll(b.commits());
    signatures.addAll(b.kernelSignatures());
    if (b.culpritSignature() != null) {
      signatures.add(b.culpritSignature());
    }
    if (b.parentSignature() != null) {
      signatures.add(b.parentSignature());
    }
    if (b.culpritAuthor() != null) {
      authors.add(keyword(b.culpritAuthor()));
    }
    Set<String> tested = new LinkedHashSet<>();
    // Verdicts are keywords: the kinds ("crashed", "boot failed") and the titles the runs saw, each
    // once per record. A bisection prints the same few titles for dozens of runs and commits, and
    // their words are in the full text already; as text they were a fifth of all indexed tokens.
    Set<String> verdictValues = new LinkedHashSet<>();
    for (TestedCommit t : b.tested()) {
      if (t.commit() != null) {
        tested.add(t.commit());
        commits.add(t.commit());
      }
      if (t.kernelSignature() != null) {
        signatures.add(t.kernelSignature());
      }
      for (RunVerdict v : t.runs()) {
        verdictValues.add(v.verdict());
        verdictValues.add(v.title());
      }
      verdictValues.add(t.representativeCrash());
    }
    if (!tested.isEmpty()) {
      doc.add(new BinaryDocValuesField(TESTED, HashList.encode(tested)));
    }
    for (String v : verdictValues) {
      if (v != null && !v.isBlank()) {
        lower(doc, VERDICT, v.strip());
      }
    }
  }

  /**
   * A bisection whose final report did not parse still has a title: its "crash:" line's, else the
   * crash its runs saw ({@link ExtractedRecord#title()}).
   */
  private void fallbackTitle(Document doc, ExtractedRecord fields) {
    String t = fields == null ? null : fields.title();
    if (t != null && !hasStoredTitle(doc)) {
      String title = keyword(t);
      doc.add(new StoredField(TITLE, title));
      titles.add(title);
      doc.add(new Field(TITLE_EXACT, utf8(title), KEYWORD_WITH_VALUES));
    }
  }

  /** The crash directory's id and description: how syz-manager filed the crash. */
  private void workdir(Document doc, WorkdirCrash workdir) {
    hash(doc, CRASH_ID, workdir.crashId());
    if (workdir.description() != null && !workdir.description().isBlank()) {
      String d = keyword(workdir.description().strip());
      titles.add(d);
      doc.add(new StringField(TITLE_EXACT, utf8(d), Field.Store.NO));
      if (!hasStoredTitle(doc)) {
        doc.add(new StoredField(TITLE, d));
      }
    }
  }

  private static boolean hasStoredTitle(Document doc) {
    for (var f : doc.getFields(TITLE)) {
      if (f.fieldType().stored()) {
        return true;
      }
    }
    return false;
  }

  /** A hash: one lower-case term, as {@link #lower} keeps any value. */
  private static void hash(Document doc, String field, String value) {
    lower(doc, field, value);
  }

  private static void keyword(Document doc, String field, String value) {
    if (value != null && !value.isEmpty()) {
      doc.add(new StringField(field, utf8(keyword(value)), Field.Store.NO));
    }
  }

  private static void lower(Document doc, String field, String value) {
    if (value != null && !value.isEmpty()) {
      doc.add(new StringField(field, utf8(keyword(value.toLowerCase(Locale.ROOT))), Field.Store.NO));
    }
  }

  /** At most {@link #MAX_KEYWORD_CHARS} chars of {@code value}, never half a surrogate pair. */
  private static String keyword(String value) {
    if (value.length() <= MAX_KEYWORD_CHARS) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(MAX_KEYWORD_CHARS - 1)) ? MAX_KEYWORD_CHARS - 1 : MAX_KEYWORD_CHARS;
    return value.substring(0, end);
  }

  /**
   * The UTF-8 bytes of a term. The JDK's encoder copies an ASCII string's bytes at once, where
   * {@code new BytesRef(CharSequence)} encodes char by char; both agree on any string without
   * unpaired surrogates, which decoded bytes and {@link #keyword} never produce.
   */
  private static BytesRef utf8(String value) {
    return new BytesRef(value.getBytes(StandardCharsets.UTF_8));
  }


  /** Values of one text field, joined by line breaks, tokenised by one reusable stream. */
  private static final class JoinedText {
    private final LogTokenStream stream = new LogTokenStream();
    private byte[] bytes = new byte[1024];
    private int length;

    void clear() {
      length = 0;
    }

    void add(String value) {
      byte[] v = value.getBytes(StandardCharsets.UTF_8);
      if (length + v.length + 1 > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + v.length + 1));
      }
      if (length > 0) {
        bytes[length++] = '\n';
      }
      System.arraycopy(v, 0, bytes, length, v.length);
      length += v.length;
    }

    void addTo(Document doc, String field) {
      if (length > 0) {
        doc.add(new Field(field, stream.setInput(MemorySegment.ofArray(bytes), length), TextField.TYPE_NOT_STORED));
      }
    }
  }
}
