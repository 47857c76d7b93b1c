package org.crashdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input: one failure line for it, the other inputs still handled. */
class BadInputTest {
  @TempDir Path dir;

  static final String LOG = ArchiveWalkTest.CRASH;

  @Test
  void fifoIsReportedAndNeverOpened() throws Exception {
    Path fifo = dir.resolve("pipe.log");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo unavailable");
    Path good = Files.writeString(dir.resolve("z.log"), LOG);
    Recorder r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Recorder.walk(dir));
    assertEquals("not a regular file (FIFO), not read", r.failed.get(fifo.toString()));
    assertEquals(List.of(good.toString()), r.finished);
    Recorder named = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Recorder.walk(fifo));
    assertEquals(1, named.failed.size());
  }

  @Test
  void symbolicLinkLoopsAndBrokenLinksAreReported() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree/sub"));
    Files.createSymbolicLink(tree.resolve("up"), tree.getParent()); // tree/sub/up -> tree: a cycle
    Path self = Files.createSymbolicLink(dir.resolve("tree/self.log"), dir.resolve("tree/self.log"));
    Path dangling = Files.createSymbolicLink(dir.resolve("tree/dangling.log"), dir.resolve("nowhere"));
    Path good = Files.writeString(tree.resolve("good.log"), LOG);
    Recorder r = Recorder.walk(dir.resolve("tree"));
    assertEquals("symbolic link loop", r.failed.get(tree.resolve("up").toString()), r.failed.toString());
    assertEquals("symbolic link loop", r.failed.get(self.toString()), r.failed.toString());
    assertTrue(r.failed.get(dangling.toString()).startsWith("broken symbolic link"), r.failed.toString());
    assertEquals(List.of(good.toString()), r.finished);
    assertEquals("symbolic link loop", Recorder.walk(self).failed.get(self.toString()));
  }

  @Test
  void unreadableFileIsReported() throws Exception {
    assumeTrue(!"root".equals(System.getProperty("user.name")), "root reads any file");
    Path secret = Files.writeString(dir.resolve("secret.log"), LOG);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Path good = Files.writeString(dir.resolve("z.log"), LOG);
    Recorder r = Recorder.walk(dir);
    assertEquals("permission denied", r.failed.get(secret.toString()));
    assertEquals(List.of(good.toString()), r.finished);
  }

  @Test
  void missingPathIsReported() throws Exception {
    Recorder r = Recorder.walk(dir.resolve("nope.log"));
    assertEquals("no such file or directory", r.failed.get(dir.resolve("nope.log").toString()));
  }

  /** A young file is read, not mapped: when it shrinks, the read comes up short. */
  @Test
  void fileThatShrinksWhileReadFailsWithoutFinishing() throws Exception {
    Path file = Files.writeString(dir.resolve("shrinking.log"), LOG.repeat(400));
    Recorder r = new Recorder() {
      @Override
      public void source(Source source) {
        super.source(source);
        truncate(file, 100);
      }
    };
    SourceWalker.walk(List.of(file), r, new ReadLimits(8192, 3_600_000));
    assertTrue(r.failed.get(file.toString()).startsWith("shrank while being read"), r.failed.toString());
    assertTrue(r.finished.isEmpty());
  }

  @Test
  void fileThatGrowsWhileReadFailsWithoutFinishing() throws Exception {
    for (long settle : new long[] {3_600_000, -1}) { // read, then mapped
      Path file = Files.writeString(dir.resolve("growing" + settle + ".log"), LOG);
      Recorder r = new Recorder() {
        @Override
        public void source(Source source) {
          super.source(source);
          append(file, LOG);
        }
      };
      SourceWalker.walk(List.of(file), r, new ReadLimits(8192, settle));
      assertTrue(r.failed.get(file.toString()).startsWith("grew while being read"), r.failed.toString());
      assertTrue(r.finished.isEmpty());
      assertEquals(LOG, r.text(file.toString()), "the snapshot taken when opened");
    }
  }

  /**
   * A mapped file truncated under the reader: the fault surfaces as an InternalError in this
   * (interpreted) code and is reported as a failure of that file.
   */
  @Test
  void mappedFileThatShrinksIsAFailureNotACrash() throws Exception {
    // Larger than what the walker reads instead of mapping.
    Path file = Files.writeString(dir.resolve("mapped.log"), LOG.repeat((int) (2 * SourceWalker.READ_BYTES / LOG.length())));
    Path good = Files.writeString(dir.resolve("z.log"), LOG);
    boolean[] faulted = {false};
    Recorder r = new Recorder() {
      @Override
      public void source(Source source) {
        if (source.name().equals(file.toString())) {
          truncate(file, 0);
          try {
            long sum = 0;
            for (long i = 0; i < source.data().byteSize(); i += 4096) {
              sum += source.data().get(ValueLayout.JAVA_BYTE, i);
            }
            assertFalse(sum == Long.MIN_VALUE);
          } catch (InternalError e) {
            faulted[0] = true;
            throw e;
          }
        }
        super.source(source);
      }
    };
    SourceWalker.walk(List.of(dir), r, new ReadLimits(8192, -1));
    assertTrue(faulted[0], "the truncated mapping faulted");
    assertTrue(r.failed.get(file.toString()).startsWith("shrank while being read"), r.failed.toString());
    assertEquals(List.of(good.toString()), r.finished);
  }

  static void truncate(Path file, long size) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
