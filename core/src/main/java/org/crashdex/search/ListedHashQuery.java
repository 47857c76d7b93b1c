package org.crashdex.search;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.crashdex.index.HashList;

/**
 * A hash in a role that the index keeps as a {@link HashList} doc value rather than as terms (the
 * commits a bisection tested): the records whose catch-all hash field holds the hash or abbreviation
 * (a prefix query, as for any hash), checked second ({@link CheckedQuery}) for the hash in the list.
 */
final class ListedHashQuery extends CheckedQuery {
  /** Rough cost of checking one record's list: a few dozen short byte compares. */
  private static final float CHECK_COST = 50f;

  private final String role;
  private final String allField;
  private final String prefix;

  /**
   * @param role the field the user named, whose values are a {@link HashList} doc value
   * @param allField the field that holds every hash of the role as a term
   * @param prefix the hash or its abbreviation, hex digits
   */
  ListedHashQuery(String role, String allField, String prefix) {
    this.role = role;
    this.allField = allField;
    this.prefix = prefix.toLowerCase(Locale.ROOT);
  }

  @Override
  Query candidates() {
    return new PrefixQuery(new Term(allField, prefix));
  }

  @Override
  Check check(LeafReaderContext context) throws IOException {
    BinaryDocValues lists = context.reader().getBinaryDocValues(role);
    return doc -> lists != null && lists.advanceExact(doc) && HashList.containsPrefix(lists.binaryValue(), prefix);
  }

  @Override
  float checkCost() {
    return CHECK_COST;
  }

  @Override
  String failure() {
    return "the record names " + prefix + " but not as " + role;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    candidates().visit(visitor);
  }

  @Override
  public String toString(String defaultField) {
    return role + ":" + prefix + "*";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && role.equals(((ListedHashQuery) other).role)
        && allField.equals(((ListedHashQuery) other).allField)
        && prefix.equals(((ListedHashQuery) other).prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), role, allField, prefix);
  }
}
