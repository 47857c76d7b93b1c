package org.crashdex.source.archive;

import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Recognises tar streams: POSIX and GNU tarballs by the "ustar" magic of their first header; old
 * (v7) tarballs, which have none, by a {@code .tar} name and a valid header checksum.
 */
public final class TarFormat {
  /** A tar header block. */
  public static final int HEADER_BYTES = 512;

  private TarFormat() {}

  /** Whether {@code head[0, n)} starts a tar stream; {@code nameSaysTar} admits v7 tarballs. */
  public static boolean detect(byte[] head, int n, boolean nameSaysTar) {
    if (n < HEADER_BYTES) {
      return false;
    }
    if (TarArchiveInputStream.matches(head, n)) {
      return true;
    }
    return nameSaysTar && head[0] != 0 && TarUtils.verifyCheckSum(head);
  }

  /** Whether a name announces a tarball, once compression suffixes are taken off. */
  public static boolean byName(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".tar");
  }

  /** A member's path as records name it: no leading "./" or "/". */
  public static String memberPath(String entryName) {
    String p = entryName;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.substring(p.charAt(0) == '/' ? 1 : 2);
    }
    return p;
  }
}
