package org.crashdex.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared corpus for CLI tests, located as core's {@code org.crashdex.testing.Corpus} does. */
final class CorpusDir {
  private CorpusDir() {}

  static Path part(String name) {
    String configured = System.getProperty("crashdex.corpus");
    Path root = (configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared", "corpus"))
        .toAbsolutePath().normalize();
    Path p = root.resolve(name);
    if (!Files.exists(p)) {
      String message = "shared corpus part not found at " + p + " (pass -Dcrashdex.corpus=DIR)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return p;
  }
}
