package org.crashdex.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small console logs written by the tests: each crash names functions unique to its file. */
final class LogFixtures {
  private LogFixtures() {}

  /** A console log with {@code crashes} KASAN reports whose frames are {@code f<file>_<n>_…}. */
  static String consoleLog(int file, int crashes) {
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < crashes; n++) {
      String f = "f" + file + "_" + n;
      b.append("[  10.").append(n).append("][ T100] executing program\n")
          .append("[  11.").append(n).append("][ T100] ==================================================================\n")
          .append("[  11.").append(n).append("][ T100] BUG: KASAN: use-after-free in ").append(f).append("_close+0x12/0x40\n")
          .append("[  11.").append(n).append("][ T100] Read of size 8 at addr ffff888012345678 by task syz-executor.0/100\n")
          .append("[  11.").append(n).append("][ T100] Call Trace:\n")
          .append("[  11.").append(n).append("][ T100]  ").append(f).append("_close+0x12/0x40 net/ipv4/tcp.c:2900\n")
          .append("[  11.").append(n).append("][ T100]  ").append(f).append("_release+0x10/0x20 net/ipv4/af_inet.c:428\n")
          .append("[  11.").append(n).append("][ T100]  __sock_release+0x10/0x20 net/socket.c:650\n")
          .append("[  11.").append(n).append("][ T100] ---[ end Kernel panic - not syncing: KASAN ]---\n");
    }
    return b.toString();
  }

  static Path write(Path dir, int file, int crashes) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(String.format("console-%04d.log", file)), consoleLog(file, crashes));
  }
}
