package org.crashdex.source;

import java.io.EOFException;
import java.io.IOException;

/**
 * Bytes of an input could not be read: a read error, truncated or corrupt compressed data, a broken
 * tar header. {@link #layer} tells which stream of a nest of them broke (0 is the file, each decoder
 * or tarball on top of it one more), so that a tarball can tell the damage of one of its members (it
 * goes on with the next) from its own (it stops).
 */
final class InputDamage extends IOException {
  final int layer;

  InputDamage(int layer, String message) {
    super(message);
    this.layer = layer;
  }

  /** "truncated gzip data" or "corrupt gzip data: &lt;detail&gt;", from a decoder's exception. */
  static InputDamage of(int layer, String what, IOException e) {
    if (e instanceof InputDamage d) {
      return d;
    }
    String detail = e.getMessage();
    if (e instanceof EOFException || (detail != null && detail.toLowerCase().contains("truncated"))) {
      return new InputDamage(layer, "truncated " + what + (detail == null ? "" : " (" + detail + ")"));
    }
    return new InputDamage(layer, "corrupt " + what + ": " + (detail == null ? e.getClass().getSimpleName() : detail));
  }
}
