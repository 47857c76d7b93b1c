package org.crashdex.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crashdex.search.CrashSearcher;
import org.crashdex.search.IndexStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crashdex stats}: what the index holds. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    header = "Describe the index: records, files, sizes, distinct values.",
    description = {
      "Describe the index: records by kind, files, bytes indexed, size on disk,",
      "distinct titles, functions, commits and signatures.",
      "",
      "Examples:",
      "  crashdex stats",
      "  crashdex stats --index /data/crashdex --json",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success", "  2  usage error", "  3  no index, or it could not be read"})
final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexDirOption index;

  @Option(names = "--json", description = "One JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (CrashSearcher searcher = CrashSearcher.open(index.resolve())) {
      IndexStats s = searcher.stats();
      if (json) {
        out.println(RecordPrinter.MAPPER.valueToTree(s).toString());
      } else {
        out.printf("index        %s%n", s.directory());
        out.printf("records      %d (%d crash, %d bisection)%n", s.records(), s.crashRecords(), s.bisectionRecords());
        out.printf("files        %d (%s)%n", s.files(), Sizes.bytes(s.inputBytes()));
        out.printf(Locale.ROOT, "size         %s (%.1f%% of the input)%n", Sizes.bytes(s.indexBytes()), 100 * s.indexShare());
        out.printf("titles       %d distinct%n", s.titles());
        out.printf("functions    %d distinct%n", s.functions());
        out.printf("commits      %d distinct%n", s.commits());
        out.printf("signatures   %d distinct%n", s.signatures());
        out.printf("segments     %d%n", s.segments());
        out.printf("committed    %s%n", s.lastCommitMillis() == 0 ? "-" : Instant.ofEpochMilli(s.lastCommitMillis()));
      }
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      spec.commandLine().getErr().println("crashdex: " + ExitCodes.describe(e));
      return ExitCodes.FAILURE;
    }
  }
}
