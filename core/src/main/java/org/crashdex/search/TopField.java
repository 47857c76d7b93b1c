package org.crashdex.search;

import org.crashdex.index.IndexSchema;

/** What {@code crashdex top} counts records by; each is a doc-values field of the index. */
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
