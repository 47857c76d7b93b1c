package org.crashdex.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CrashQueryParserTest {

  static Query user(String q) {
    return CrashQueryParser.parse(q);
  }

  @Test
  void hashAbbreviationsArePrefixesLowerCased() {
    PrefixQuery q = assertInstanceOf(PrefixQuery.class, user("commit:DBFE7D74"));
    assertEquals("commit", q.getField());
    assertEquals("dbfe7d74", q.getPrefix().text());
    assertInstanceOf(PrefixQuery.class, user("sig:0321f959aabbccdd"));
    assertInstanceOf(PrefixQuery.class, user("culprit:" + "a".repeat(40)));
  }

  @Test
  void bareHexWordAlsoSearchesHashFields() {
    String s = user("dbfe7d74").toString();
    assertTrue(s.contains("commit:dbfe7d74*") && s.contains("sig:dbfe7d74*"), s);
  }

  @Test
  void fieldsKeepTheirCaseRules() {
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("func", "__x64_sys_getSockopt")), user("func:__x64_sys_getSockopt"));
    WildcardQuery w = assertInstanceOf(WildcardQuery.class, user("type:KASAN*x"));
    assertEquals("kasan*x", w.getTerm().text());
    // The full text keeps no positions: its phrases are checked on word pairs; titles keep positions.
    assertInstanceOf(TextPhraseQuery.class, user("\"use-after-free\""));
    assertInstanceOf(PhraseQuery.class, user("title:\"use-after-free\""));
    assertInstanceOf(BooleanQuery.class, user("\"use after free\"~2"));
    // A verdict is one whole value, whatever the case it is typed in.
    assertEquals(
        new TermQuery(new org.apache.lucene.index.Term("verdict", "kasan: use-after-free read in x")),
        user("verdict:\"KASAN: use-after-free Read in x\""));
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("verdict", "boot failed")), user("verdict:\"Boot failed\""));
  }

  @Test
  void wordsAreAnded() {
    BooleanQuery b = assertInstanceOf(BooleanQuery.class, user("func:tcp_close type:warning"));
    assertTrue(b.clauses().stream().allMatch(c -> c.occur() == BooleanClause.Occur.MUST), b.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"func:(", "\"unterminated", "foo:bar", "commit:abc", "commit:xyz1234567", "sig:" + "a", "title:[a TO", "AND", "()"})
  void malformedQueriesGiveOneLineMessages(String q) {
    BadQueryException e = assertThrows(BadQueryException.class, () -> CrashQueryParser.parse(q));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains(q), e.getMessage());
  }

  @Test
  void blankQueryMatchesAllRecords() {
    assertEquals("*:*", user(" ").toString());
  }
}
