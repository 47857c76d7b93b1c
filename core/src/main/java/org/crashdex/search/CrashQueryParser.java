package org.crashdex.search;

import static org.crashdex.index.IndexSchema.*;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.crashdex.index.IndexSchema;
import org.crashdex.index.IndexSchema.FieldKind;

/**
 * Parses the query language of {@code crashdex search}: Lucene's classic syntax over the fields of
 * {@link IndexSchema}, with three rules of its own.
 *
 * <ul>
 *   <li>Terms are combined with AND unless the query says OR: {@code func:tcp_close type:KASAN*}
 *       narrows, as a grep user expects.
 *   <li>Hash fields ({@code commit:}, {@code culprit:}, {@code sig:} …) take a hash or a git-style
 *       abbreviation of 7 to 64 hex digits, case-insensitive; anything else there is an error.
 *   <li>A bare hex word of 7 to 64 digits in the default field is also looked for as an abbreviation
 *       in every hash field, since hashes are not part of the full text.
 *   <li>A phrase in the full text ({@code "use-after-free Read"}) matches records that hold its words
 *       with each two of them next to each other ({@link TextPhraseQuery}); a sloppy phrase there
 *       ({@code "a b"~3}) matches its words anywhere. Phrases in {@code title:} are positional.
 * </ul>
 *
 * Unknown fields and malformed syntax are {@link BadQueryException}s with a one-line message.
 */
public final class CrashQueryParser {
  /** Shortest hash abbreviation accepted, as git's default. */
  public static final int MIN_ABBREVIATION = 7;
  private static final int MAX_HASH = 64;
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final String[] HASH_FIELDS_FOR_BARE_HEX = {COMMIT, SIG, CRASH_ID, SYZKALLER};

  private CrashQueryParser() {}

  /**
   * The records matching {@code query}; an empty or blank query matches every record. (For a
   * {@link CrashSearcher}, which searches record documents only.)
   */
  public static Query parse(String query) {
    return parseUser(query);
  }

  /** The records matching every one of {@code queries} (each parsed on its own, so errors name it). */
  public static Query parseAll(java.util.List<String> queries) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (String q : queries) {
      all.add(parseUser(q), BooleanClause.Occur.MUST);
    }
    return queries.isEmpty() ? new MatchAllDocsQuery() : all.build();
  }

  private static Query parseUser(String query) {
    Query user;
    if (query == null || query.isBlank()) {
      user = new MatchAllDocsQuery();
    } else {
      try {
        user = new Parser().parse(query);
      } catch (ParseException e) {
        throw new BadQueryException(oneLine(query, e.getMessage()));
      } catch (TokenMgrError e) {
        throw new BadQueryException(oneLine(query, e.getMessage()));
      } catch (BadQueryException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new BadQueryException("bad query '" + query + "': " + e.getMessage());
      }
      if (user == null) {
        throw new BadQueryException("query '" + query + "' has no searchable words");
      }
    }
    return user;
  }

  /**
   * A query on the source: the same query on {@link IndexSchema#SOURCE} ({@code onSource}) or on
   * {@link IndexSchema#ORIGIN} ({@code onOrigin}), since a record keeps its source only when it is
   * not its origin.
   */
  static Query sourceQuery(Query onSource, Query onOrigin) {
    return new BooleanQuery.Builder()
        .add(onSource, BooleanClause.Occur.SHOULD)
        .add(onOrigin, BooleanClause.Occur.SHOULD)
        .build();
  }

  /** A field:value clause with the value quoted as the syntax requires, for the CLI shortcuts. */
  public static String clause(String field, String value) {
    return field + ":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String oneLine(String query, String message) {
    String m = message == null ? "syntax error" : message.strip();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl).strip();
    }
    String prefix = "Cannot parse '" + query + "': ";
    if (m.startsWith(prefix)) {
      m = m.substring(prefix.length());
    }
    return "bad query '" + query + "': " + m;
  }

  /** Lucene's parser with field checks and hash handling. */
  private static final class Parser extends QueryParser {
    Parser() {
      super(TEXT, IndexSchema.analyzer());
      setDefaultOperator(QueryParser.AND_OPERATOR);
      setAllowLeadingWildcard(true);
    }

    private static FieldKind kind(String field) throws ParseException {
      FieldKind k = IndexSchema.kindOf(field);
      if (k == null) {
        throw new ParseException("unknown field '" + field + "' (fields: " + String.join(", ", IndexSchema.fields().keySet()) + ")");
      }
      return k;
    }

    /** Builds a query on one field; for {@code source:}, on both fields that may hold it. */
    private interface OnField {
      Query on(String field) throws ParseException;
    }

    private static Query onSource(String field, OnField build) throws ParseException {
      if (!SOURCE.equals(field)) {
        return build.on(field);
      }
      Query source = build.on(SOURCE), origin = build.on(ORIGIN);
      if (source == null || origin == null) {
        return source == null ? origin : source;
      }
      return sourceQuery(source, origin);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
      if (SOURCE.equals(field)) {
        return onSource(field, f -> super.getFieldQuery(f, queryText, quoted));
      }
      FieldKind k = kind(field);
      if (k == FieldKind.HASH) {
        return hash(field, queryText.strip());
      }
      if (k == FieldKind.TEXT && !quoted && isAbbreviation(queryText)) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        Query words = super.getFieldQuery(field, queryText, false);
        if (words != null) {
          any.add(words, BooleanClause.Occur.SHOULD);
        }
        for (String f : HASH_FIELDS_FOR_BARE_HEX) {
          any.add(new PrefixQuery(new Term(f, queryText.toLowerCase(Locale.ROOT))), BooleanClause.Occur.SHOULD);
        }
        return any.build();
      }
      return super.getFieldQuery(field, queryText, quoted);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
      if (kind(field) == FieldKind.HASH) {
        return hash(field, queryText.strip());
      }
      return fullTextPhrase(field, super.getFieldQuery(field, queryText, slop));
    }

    /**
     * The full text keeps no positions: a phrase there becomes a {@link TextPhraseQuery} (its words,
     * then its word pairs). A sloppy phrase becomes its words in any order and place.
     */
    private static Query fullTextPhrase(String field, Query q) {
      if (!TEXT.equals(field) || !(q instanceof PhraseQuery phrase)) {
        return q;
      }
      Term[] terms = phrase.getTerms();
      int[] positions = phrase.getPositions();
      boolean adjacent = phrase.getSlop() == 0;
      for (int i = 1; i < positions.length; i++) {
        adjacent &= positions[i] == positions[0] + i;
      }
      if (adjacent && terms.length >= 2) {
        return new TextPhraseQuery(TEXT, TEXT_PAIRS, java.util.Arrays.stream(terms).map(Term::bytes).toList());
      }
      BooleanQuery.Builder words = new BooleanQuery.Builder();
      for (Term t : terms) {
        words.add(new TermQuery(t), BooleanClause.Occur.MUST);
      }
      return words.build();
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
      kind(field);
      return onSource(field, f -> super.getPrefixQuery(f, termStr));
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
      kind(field);
      return onSource(field, f -> super.getWildcardQuery(f, termStr));
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
      kind(field);
      return onSource(field, f -> super.getFuzzyQuery(f, termStr, minSimilarity));
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
      kind(field);
      return onSource(field, f -> super.getRegexpQuery(f, termStr));
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
        throws ParseException {
      kind(field);
      return onSource(field, f -> super.getRangeQuery(f, part1, part2, startInclusive, endInclusive));
    }

    private static Query hash(String field, String text) throws ParseException {
      if (!HEX.matcher(text).matches() || text.length() > MAX_HASH) {
        throw new ParseException(field + ":" + text + " is not a hex hash");
      }
      if (text.length() < MIN_ABBREVIATION) {
        throw new ParseException(
            field + ":" + text + " is too short: a hash abbreviation needs at least " + MIN_ABBREVIATION + " hex digits");
      }
      // Every hash is one term; an abbreviation is a prefix of it (git's rule). The terms dictionary
      // seeks to the prefix, so this costs about as much as an exact lookup.
      if (TESTED.equals(field)) { // kept as a list beside commit:, see IndexSchema.TESTED
        return new ListedHashQuery(TESTED, COMMIT, text);
      }
      return new PrefixQuery(new Term(field, text.toLowerCase(Locale.ROOT)));
    }

    private static boolean isAbbreviation(String text) {
      return text.length() >= MIN_ABBREVIATION && text.length() <= MAX_HASH && HEX.matcher(text).matches()
          && text.chars().anyMatch(Character::isDigit);
    }
  }
}
