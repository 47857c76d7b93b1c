package org.crashdex.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared development corpus ({@code ../shared/corpus} beside the repository).
 *
 * <p>The corpus is never copied into the repository. When it is missing, tests that need it are
 * skipped with a message that says where it was looked for; under CI ({@code CI=true}) they fail
 * instead, because a CI run without the corpus would silently measure nothing.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus root, or a skipped/failed test with a clear message when it is absent. */
  public static Path root() {
    String configured = System.getProperty("crashdex.corpus");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("..", "..", "shared", "corpus");
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      String message =
          "shared corpus not found at "
              + root
              + ": clone the repository with ../shared beside it, or pass -Dcrashdex.corpus=DIR";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return root;
  }

  /** A part of the corpus, e.g. {@code "syzkaller-reports"}. */
  public static Path part(String name) {
    Path p = root().resolve(name);
    if (!Files.exists(p)) {
      fail("corpus part missing: " + p);
    }
    return p;
  }
}
