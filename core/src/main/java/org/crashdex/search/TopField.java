package org.crashdex.search;

import org.crashdex.index.IndexSchema;

/**
 * What {@code crashdex top} counts records by: a keyword field, counted from its doc values, or for
 * {@code function} from its postings (a record names some twenty functions: doc values for them
 * cost indexing 3% of its CPU, for a count that a pass over the postings gives as well).
 */
public enum TopField {
  TITLE(IndexSchema.TITLE_EXACT, true),
  CULPRIT(IndexSchema.CULPRIT, true),
  FUNCTION(IndexSchema.FUNC, false),
  KERNEL(IndexSchema.KERNEL, true);

  final String field;
  /** Counted from sorted-set doc values; else from the field's postings. */
  final boolean docValues;

  TopField(String field, boolean docValues) {
    this.field = field;
    this.docValues = docValues;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
