package org.crashdex.search;

/**
 * One record found by a search.
 *
 * @param source the file as it was named when indexed
 * @param origin the file's absolute path (of the archive, for a member)
 * @param offset byte offset of the record in its file
 * @param length bytes
 * @param kind "crash" or "bisection"
 * @param title the record's title, or null
 * @param score relevance; higher is better
 */
public record Hit(String source, String origin, long offset, long length, String kind, String title, float score) {
  /** {@code source:offset}, the form {@code crashdex show} takes. */
  public String location() {
    return source + ":" + offset;
  }
}
