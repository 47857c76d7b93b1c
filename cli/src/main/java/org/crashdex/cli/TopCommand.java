package org.crashdex.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.search.Query;
import org.crashdex.search.BadQueryException;
import org.crashdex.search.Count;
import org.crashdex.search.CrashQueryParser;
import org.crashdex.search.CrashSearcher;
import org.crashdex.search.TopField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crashdex top}: the most frequent titles, culprits, functions or kernels. */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    header = "Count matching records by title, culprit, function or kernel.",
    description = {
      "Count the records that match QUERY (all records without one) by title,",
      "culprit commit, call-trace function or kernel release, most frequent first.",
      "",
      "Examples:",
      "  crashdex top                                  # the most frequent crash titles",
      "  crashdex top --since 30d                      # ... of the last 30 days",
      "  crashdex top --by culprit kind:bisection      # commits blamed most often",
      "  crashdex top --by function 'type:KASAN*'      # functions in KASAN reports",
      "  crashdex top --by kernel --limit 5 func:tcp_close",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success", "  2  usage error, malformed query", "  3  no index, or it could not be read"})
final class TopCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexDirOption index;

  @Mixin TimeRangeOption time;

  @Option(names = "--by", paramLabel = "FIELD", defaultValue = "title", description = "title, culprit, function or kernel (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "Most values to print (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "JSON Lines: value, count.")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "QUERY", description = "Which records to count (search syntax).")
  List<String> words;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TopField field;
    try {
      field = TopField.valueOf(by.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("crashdex: --by takes title, culprit, function or kernel, not '" + by + "'");
      return ExitCodes.USAGE;
    }
    Query query;
    try {
      query = CrashQueryParser.parse(words == null ? "" : String.join(" ", words));
      query = time.range().filter(query);
    } catch (BadQueryException e) {
      err.println("crashdex: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try (CrashSearcher searcher = CrashSearcher.open(index.resolve())) {
      List<Count> counts = searcher.top(query, field, limit);
      for (Count c : counts) {
        if (json) {
          ObjectNode n = RecordPrinter.MAPPER.createObjectNode();
          n.put(field.label(), c.value());
          n.put("count", c.count());
          out.println(n.toString());
        } else {
          out.printf("%8d  %s%n", c.count(), c.value());
        }
      }
      if (!json && counts.isEmpty()) {
        out.println("no records with a " + field.label() + " match");
      }
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("crashdex: " + ExitCodes.describe(e));
      return ExitCodes.FAILURE;
    }
  }
}
