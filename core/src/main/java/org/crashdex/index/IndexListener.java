package org.crashdex.index;

/** Hears about files an indexing run could not index. Called from indexing threads. */
public interface IndexListener {
  /** A file that could not be read or indexed; the run goes on with the others. */
  void failed(String name, String message);

  /** A file passed over on purpose (binary, empty): not an error. Unchanged files are only counted. */
  default void skipped(String name, String reason) {}

  IndexListener NONE = (name, message) -> {};
}
