package org.crashdex.source.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The compressed formats crash-log archives come in, recognised by their magic bytes (a renamed or
 * suffix-less file is still read) and, as a hint, by their file name suffix.
 *
 * <p>Every decoder reads concatenated streams ({@code cat a.gz b.gz > c.gz}, multi-frame zstd) as one,
 * like the command-line tools do, and keeps its memory bounded: xz refuses dictionaries over {@link
 * #XZ_MEMORY_LIMIT_KIB}, zstd refuses windows over its default limit (128 MiB; frames written with
 * {@code zstd --long=31} are reported as an error).
 */
public enum Compression {
  GZIP("gzip", ".gz", ".tgz"),
  XZ("xz", ".xz", ".txz"),
  ZSTD("zstd", ".zst", ".zstd", ".tzst"),
  BZIP2("bzip2", ".bz2", ".tbz2", ".tbz");

  /** Bytes of the longest magic checked by {@link #detect}. */
  public static final int MAGIC_BYTES = 10;

  /** xz decoder memory limit: 256 MiB covers every preset ({@code xz -9} uses 65 MiB). */
  public static final int XZ_MEMORY_LIMIT_KIB = 256 << 10;

  private final String label;
  private final String[] suffixes;

  Compression(String label, String... suffixes) {
    this.label = label;
    this.suffixes = suffixes;
  }

  /** The format's usual name, for messages: "gzip", "zstd"... */
  public String label() {
    return label;
  }

  /** The format whose magic starts {@code head[0, n)}, or null. */
  public static Compression detect(byte[] head, int n) {
    if (n >= 3 && u(head, 0) == 0x1F && u(head, 1) == 0x8B && u(head, 2) == 8) {
      return GZIP; // 1f 8b, deflate
    }
    if (n >= 6 && u(head, 0) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z' && head[5] == 0) {
      return XZ;
    }
    if (n >= 4 && u(head, 0) == 0x28 && u(head, 1) == 0xB5 && u(head, 2) == 0x2F && u(head, 3) == 0xFD) {
      return ZSTD;
    }
    if (n >= 4 && (u(head, 0) & 0xF0) == 0x50 && u(head, 1) == 0x2A && u(head, 2) == 0x4D && u(head, 3) == 0x18) {
      return ZSTD; // a skippable frame (pzstd writes one first)
    }
    // "BZh" and a block size digit, then the block magic (pi) or the end-of-stream magic (sqrt(pi)):
    // text that happens to start with "BZh9" is not taken for bzip2.
    if (n >= 10 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9') {
      long m = 0;
      for (int i = 4; i < 10; i++) {
        m = m << 8 | u(head, i);
      }
      if (m == 0x314159265359L || m == 0x177245385090L) {
        return BZIP2;
      }
    }
    return null;
  }

  /** The format a file name's suffix announces, or null. */
  public static Compression byName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      for (String s : c.suffixes) {
        if (lower.endsWith(s)) {
          return c;
        }
      }
    }
    return null;
  }

  /**
   * The name without this format's suffix, as a hint for what is inside: {@code x.tar.gz} holds
   * {@code x.tar}, {@code x.tgz} holds {@code x.tar}, {@code console.log.zst} holds {@code console.log}.
   */
  public String innerName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String s : suffixes) {
      if (lower.endsWith(s)) {
        String stem = name.substring(0, name.length() - s.length());
        return s.startsWith(".t") && !s.equals(".tar") ? stem + ".tar" : stem;
      }
    }
    return name;
  }

  /** A decoder over {@code in}; closing it closes {@code in}. */
  public InputStream open(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
      case XZ -> new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
      case ZSTD -> new ZstdInputStreamNoFinalizer(in).setContinuous(false);
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
    };
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xFF;
  }
}
