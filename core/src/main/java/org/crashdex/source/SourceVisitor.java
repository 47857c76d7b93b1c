package org.crashdex.source;

/** Receives what a {@link SourceWalker} finds. */
public interface SourceVisitor {
  /** A readable input; its bytes are valid only during this call. */
  void source(Source source) throws Exception;

  /** An input passed over on purpose (a binary file, an empty file): not an error. */
  default void skipped(String name, String reason) {}

  /** An input that could not be read; the walk goes on with the others. */
  void failed(String name, String message);
}
