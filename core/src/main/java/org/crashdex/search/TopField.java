package org.crashdex.search;

import org.crashdex.index.IndexSchema;

/**
 * What {@code crashdex top} counts records by: a keyword field, counted from its sorted-set doc
 * values where it has them, else from its postings ({@code func}: a record names some twenty
 * functions, and doc values for them cost indexing 3% of its CPU, for a count that a pass over the
 * postings gives as well).
 */
public enum TopField {
  TITLE(IndexSchema.TITLE_EXACT),
  CULPRIT(IndexSchema.CULPRIT),
  FUNCTION(IndexSchema.FUNC),
  KERNEL(IndexSchema.KERNEL);

  final String field;

  TopField(String field) {
    this.field = field;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
