package org.crashdex.index;

import java.nio.file.Path;
import java.util.List;

/** Runs an indexer that commits after every file, in a process of its own, for the kill test. */
public final class IndexerProcess {
  private IndexerProcess() {}

  public static void main(String[] args) throws Exception {
    Indexer.Options options = Indexer.Options.defaults().withThreads(2).withCommitEvery(1, 0);
    try (Indexer indexer = Indexer.open(Path.of(args[0]), options)) {
      indexer.index(List.of(Path.of(args[1])), IndexListener.NONE);
    }
  }
}
