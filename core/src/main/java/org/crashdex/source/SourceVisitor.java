package org.crashdex.source;

/**
 * Receives what a {@link SourceWalker} finds.
 *
 * <p>For each input exactly one of these happens: {@link #skipped}; {@link #failed} alone (it could not
 * be opened); or one or more {@link #source} calls (its pieces, in order) followed by {@link #finished}
 * when it was read intact to its end, or by {@link #failed} when it was not (a truncated archive
 * member, a file that shrank or grew while it was read). A consumer that wants nothing of a bad input
 * half-indexed keeps what it took from an input's pieces until {@code finished}, and drops it on
 * {@code failed}.
 */
public interface SourceVisitor {
  /** A readable input, or one piece of it; its bytes are valid only during this call. */
  void source(Source source) throws Exception;

  /**
   * Every piece of {@code name} was handed over and the input was read intact to its end: what was
   * taken from it may be kept.
   */
  default void finished(String name) throws Exception {}

  /** An input passed over on purpose (a binary file, an empty file): not an error. */
  default void skipped(String name, String reason) {}

  /**
   * An input that could not be read, or not to its end; the walk goes on with the others. If pieces
   * of it were already handed over, drop what was taken from them.
   */
  void failed(String name, String message);
}
