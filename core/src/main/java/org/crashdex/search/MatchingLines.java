package org.crashdex.search;

import static org.crashdex.index.IndexSchema.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.automaton.ByteRunAutomaton;

/**
 * The lines of a record that show why it matched: each line that contains a term of the query (a
 * word, a function, a hash or its abbreviation), with where the term is, for highlighting.
 *
 * <p>Matching is by text, case-insensitive, at identifier boundaries: close to what the analysers
 * do, and exact for the identifiers and hashes people search for.
 */
public final class MatchingLines {
  /** Longest line returned, in chars; the match is kept inside it. */
  public static final int MAX_LINE = 200;
  private static final int SHORTEST_WORD = 3;
  private static final Set<String> FIELDS =
      Set.of(TEXT, TITLE, TITLE_EXACT, FUNC, FRAME, FILE, GUILTY, COMM, KERNEL, VERDICT, AUTHOR,
          COMMIT, CULPRIT, TESTED, START, CANDIDATE, SIG, CRASH_ID, SYZKALLER);

  /**
   * One matching line.
   *
   * @param number 1-based line number within the record
   * @param text the line, cut to {@link #MAX_LINE} chars around the first match
   * @param spans pairs of [start, end) char offsets of matches within {@code text}
   */
  public record Line(int number, String text, List<int[]> spans) {}

  private record Needle(String text, boolean prefix) {}

  private MatchingLines() {}

  /** Up to {@code max} lines of {@code record} that hold a term of {@code query}. */
  public static List<Line> find(MemorySegment record, Query query, int max) {
    List<Needle> needles = needles(query);
    List<Line> out = new ArrayList<>();
    if (needles.isEmpty() || max <= 0) {
      return out;
    }
    long size = record.byteSize();
    long lineStart = 0;
    int number = 1;
    for (long i = 0; i <= size && out.size() < max; i++) {
      if (i == size || record.get(ValueLayout.JAVA_BYTE, i) == '\n') {
        long end = Math.min(i, lineStart + 64 * 1024);
        if (end > lineStart) {
          byte[] bytes = record.asSlice(lineStart, end - lineStart).toArray(ValueLayout.JAVA_BYTE);
          String line = new String(bytes, StandardCharsets.UTF_8).replace("\r", "");
          Line l = match(number, line, needles);
          if (l != null) {
            out.add(l);
          }
        }
        lineStart = i + 1;
        number++;
      }
    }
    return out;
  }

  private static Line match(int number, String line, List<Needle> needles) {
    String lower = line.toLowerCase(Locale.ROOT);
    List<int[]> spans = new ArrayList<>();
    for (Needle n : needles) {
      for (int at = lower.indexOf(n.text); at >= 0; at = lower.indexOf(n.text, at + 1)) {
        int end = at + n.text.length();
        if ((at == 0 || !isWord(lower.charAt(at - 1)))
            && (n.prefix || end == lower.length() || !isWord(lower.charAt(end)))) {
          if (n.prefix) {
            while (end < lower.length() && isWord(lower.charAt(end))) {
              end++;
            }
          }
          spans.add(new int[] {at, end});
        }
      }
    }
    if (spans.isEmpty()) {
      return null;
    }
    spans.sort((a, b) -> Integer.compare(a[0], b[0]));
    int from = 0;
    if (line.length() > MAX_LINE) {
      from = Math.max(0, Math.min(spans.getFirst()[0] - 40, line.length() - MAX_LINE));
    }
    int to = Math.min(line.length(), from + MAX_LINE);
    List<int[]> kept = new ArrayList<>();
    int last = -1;
    for (int[] s : spans) {
      if (s[0] >= from && s[1] <= to && s[0] >= last) {
        kept.add(new int[] {s[0] - from, s[1] - from});
        last = s[1];
      }
    }
    return new Line(number, line.substring(from, to), kept);
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static List<Needle> needles(Query query) {
    Set<Needle> out = new LinkedHashSet<>();
    query.visit(
        new QueryVisitor() {
          @Override
          public boolean acceptField(String field) {
            return FIELDS.contains(field);
          }

          @Override
          public void consumeTerms(Query q, Term... terms) {
            for (Term t : terms) {
              add(t.text(), false);
            }
          }

          @Override
          public void consumeTermsMatching(Query q, String field, Supplier<ByteRunAutomaton> automaton) {
            if (q instanceof PrefixQuery p) {
              add(p.getPrefix().text(), true);
            } else if (q instanceof MultiTermQuery m && m.getField() != null) {
              // wildcards: highlighting them would need the automaton per word; lines still show
            }
          }

          @Override
          public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
            return occur == org.apache.lucene.search.BooleanClause.Occur.MUST_NOT ? EMPTY_VISITOR : this;
          }

          private void add(String text, boolean prefix) {
            if (text.length() >= SHORTEST_WORD) {
              out.add(new Needle(text.toLowerCase(Locale.ROOT), prefix));
            }
          }
        });
    return new ArrayList<>(out);
  }
}
