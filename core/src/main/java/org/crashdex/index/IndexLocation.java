package org.crashdex.index;

import java.nio.file.Path;

/**
 * Where the index lives when a command is not told: {@code $CRASHDEX_INDEX} if set, else
 * {@code .crashdex/index} under the current directory (like {@code .git}, next to the logs one works
 * on).
 */
public final class IndexLocation {
  /** The environment variable that names the default index directory. */
  public static final String ENV = "CRASHDEX_INDEX";
  /** The default, relative to the working directory. */
  public static final Path DEFAULT = Path.of(".crashdex", "index");

  private IndexLocation() {}

  /** {@code explicit} if given, else the environment's choice, else {@link #DEFAULT}. */
  public static Path resolve(Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? Path.of(env) : DEFAULT;
  }
}
