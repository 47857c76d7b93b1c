package org.crashdex.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.store.LockObtainFailedException;
import org.crashdex.index.IndexListener;
import org.crashdex.index.IndexProgress;
import org.crashdex.index.IndexSummary;
import org.crashdex.index.Indexer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crashdex index}: scan, extract and write records into the index, incrementally. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    header = "Index logs for search: incremental, crash-safe, both cores.",
    description = {
      "Index crash reports and bisection logs for 'crashdex search'. Directories are",
      "walked recursively; compressed files, tarballs and syz-manager crash",
      "directories are read as they are.",
      "",
      "Incremental: files unchanged since the last run (same size, time, first and",
      "last KiB) are skipped, changed ones re-indexed without duplicates; --prune",
      "drops the records of files that no longer exist. Safe to interrupt, even with",
      "kill -9: the index keeps every file it committed (every few seconds, between",
      "files) and the next run finishes the job.",
      "",
      "Examples:",
      "  crashdex index ~/syzbot/bisections",
      "  crashdex index --index /data/crashdex logs/ crashes.tar.zst",
      "  crashdex index --prune logs/          # also forget files deleted from logs/",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every input indexed (or unchanged)",
      "  1  partial: some inputs could not be read (named on stderr); the rest is indexed",
      "  2  usage error",
      "  3  failure: the index could not be opened or written (in use, other layout)"
    })
final class IndexCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexDirOption index;

  @Option(names = "--prune", description = "Drop the records of indexed files that no longer exist.")
  boolean prune;

  @Option(names = "--threads", paramLabel = "N", description = "Indexing threads (default: one per core).")
  Integer threads;

  @Option(names = "--commit-seconds", paramLabel = "S", description = "Longest time between commits (default: ${DEFAULT-VALUE}).", defaultValue = "15")
  int commitSeconds;

  @Option(names = {"-q", "--quiet"}, description = "No progress, only the summary and errors.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also name each file passed over (binary, empty).")
  boolean verbose;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files, directories, archives.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = index.resolve();
    Indexer.Options options =
        Indexer.Options.defaults().withPrune(prune).withCommitEvery(Integer.MAX_VALUE, commitSeconds * 1000L);
    if (threads != null) {
      options = options.withThreads(threads);
    }
    Indexer indexer;
    try {
      indexer = Indexer.open(dir, options);
    } catch (LockObtainFailedException e) {
      err.println("crashdex: the index " + dir + " is being written by another 'crashdex index'; wait for it to finish");
      return ExitCodes.FAILURE;
    } catch (IOException e) {
      err.println("crashdex: cannot open the index " + dir + ": " + ExitCodes.describe(e));
      return ExitCodes.FAILURE;
    }
    IndexListener listener =
        new IndexListener() {
          @Override
          public void failed(String name, String message) {
            synchronized (err) {
              Progress.clearLine(err);
              err.println("crashdex: " + name + ": " + message);
              err.flush();
            }
          }

          @Override
          public void skipped(String name, String reason) {
            if (verbose) {
              synchronized (err) {
                Progress.clearLine(err);
                err.println("crashdex: " + name + ": skipped: " + reason);
              }
            }
          }
        };
    IndexSummary summary;
    try (indexer;
        Progress progress = quiet ? null : Progress.start(indexer.progress(), paths, err, Terminal.interactive())) {
      summary = indexer.index(paths, listener);
    }
    printSummary(out, dir, summary);
    out.flush();
    if (summary.filesFailed() > 0) {
      return summary.filesIndexed() + summary.filesSkipped().values().stream().mapToLong(Long::longValue).sum() > 0
          ? ExitCodes.PARTIAL
          : ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  static void printSummary(PrintWriter out, Path dir, IndexSummary s) {
    long skipped = s.filesSkipped().values().stream().mapToLong(Long::longValue).sum();
    out.printf(
        Locale.ROOT,
        "indexed %d records from %d files (%s) in %.1f s, %.1f MB/s%n",
        s.records(), s.filesIndexed(), Sizes.bytes(s.bytes()), s.seconds(), s.megabytesPerSecond());
    if (skipped > 0) {
      StringBuilder why = new StringBuilder();
      for (Map.Entry<String, Long> e : s.filesSkipped().entrySet()) {
        why.append(why.isEmpty() ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
      }
      out.printf("skipped %d files: %s%n", skipped, why);
    }
    if (s.filesFailed() > 0) {
      out.printf("failed %d files (named above)%n", s.filesFailed());
    }
    if (s.pruned() > 0) {
      out.printf("pruned %d vanished files%n", s.pruned());
    }
    if (s.vanished() > 0) {
      out.printf("%d indexed files no longer exist; 'crashdex index --prune PATH' drops their records%n", s.vanished());
    }
    out.printf("index %s: %d records from %d files%n", dir, s.totalRecords(), s.totalFiles());
  }

  /** Shows progress on stderr: a bar redrawn in place on a terminal, a line every 10 s otherwise. */
  static final class Progress implements AutoCloseable {
    private final IndexProgress progress;
    private final PrintWriter err;
    private final boolean terminal;
    private final AtomicLong totalBytes = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean done;

    private Progress(IndexProgress progress, List<Path> paths, PrintWriter err, boolean terminal) {
      this.progress = progress;
      this.err = err;
      this.terminal = terminal;
      this.thread = Thread.ofPlatform().daemon().name("crashdex-progress").unstarted(() -> run(paths));
    }

    static Progress start(IndexProgress progress, List<Path> paths, PrintWriter err, boolean terminal) {
      Progress p = new Progress(progress, paths, err, terminal);
      p.thread.start();
      return p;
    }

    private void run(List<Path> paths) {
      if (terminal) {
        totalBytes.set(sizeOf(paths)); // a quick stat walk gives the bar its 100%
      }
      long interval = terminal ? 250 : 10_000;
      while (!done) {
        try {
          Thread.sleep(interval);
        } catch (InterruptedException e) {
          return;
        }
        if (done) {
          return;
        }
        synchronized (err) {
          if (terminal) {
            err.print("\r" + bar() + "\u001b[K");
          } else {
            err.println("crashdex: " + line());
          }
          err.flush();
        }
      }
    }

    private String line() {
      return String.format(
          Locale.ROOT,
          "%d files seen, %d indexed, %d skipped, %d records, %s, %.1f MB/s",
          progress.filesSeen(), progress.filesIndexed(), progress.filesSkipped(), progress.records(),
          Sizes.bytes(progress.bytesSeen()), progress.megabytesPerSecond());
    }

    private String bar() {
      long total = totalBytes.get();
      if (total <= 0) {
        return line();
      }
      double share = Math.min(1, (double) progress.bytesSeen() / total);
      int width = 24, filled = (int) (share * width);
      return String.format(
          Locale.ROOT,
          "[%s%s] %3.0f%%  %d files  %d records  %s/%s  %.1f MB/s",
          "#".repeat(filled), " ".repeat(width - filled), share * 100, progress.filesSeen(), progress.records(),
          Sizes.bytes(progress.bytesSeen()), Sizes.bytes(total), progress.megabytesPerSecond());
    }

    private static long sizeOf(List<Path> paths) {
      long sum = 0;
      for (Path p : paths) {
        try (Stream<Path> s = Files.walk(p, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
          sum += s.filter(Files::isRegularFile).mapToLong(f -> {
            try {
              return Files.size(f);
            } catch (IOException e) {
              return 0;
            }
          }).sum();
        } catch (IOException | RuntimeException e) {
          // a path the walk will report itself
        }
      }
      return sum;
    }

    static void clearLine(PrintWriter err) {
      if (Terminal.interactive()) {
        err.print("\r\u001b[K");
      }
    }

    @Override
    public void close() {
      done = true;
      thread.interrupt();
      synchronized (err) {
        if (terminal) {
          err.print("\r\u001b[K");
          err.flush();
        }
      }
    }
  }
}
