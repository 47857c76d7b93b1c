package org.crashdex.cli;

import java.nio.file.Path;
import org.crashdex.index.IndexLocation;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option every index command shares. */
final class IndexDirOption {
  @Option(
      names = {"-i", "--index"},
      paramLabel = "DIR",
      description = "Index directory (default: $" + IndexLocation.ENV + ", else ./.crashdex/index).")
  Path dir;

  Path resolve() {
    return IndexLocation.resolve(dir);
  }
}
