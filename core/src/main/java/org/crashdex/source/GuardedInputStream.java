package org.crashdex.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of a nest of streams (file, decoder, tar member): turns the exceptions of the stream below
 * into {@link InputDamage} of this layer, lets damage already named by a deeper layer pass, and never
 * closes the stream below (an archive member's stream must not close the archive).
 */
final class GuardedInputStream extends FilterInputStream {
  private final int layer;
  private final String what;

  GuardedInputStream(InputStream in, int layer, String what) {
    super(in);
    this.layer = layer;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (IOException e) {
      throw InputDamage.of(layer, what, e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      throw InputDamage.of(layer, what, e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (IOException e) {
      throw InputDamage.of(layer, what, e);
    }
  }

  @Override
  public void close() {
    // The stream below belongs to whoever opened it.
  }
}
