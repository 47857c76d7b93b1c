package org.crashdex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.lucene.search.Query;
import org.crashdex.index.IndexSchema;
import org.crashdex.search.BadQueryException;
import org.crashdex.search.CrashQueryParser;
import org.crashdex.search.CrashSearcher;
import org.crashdex.search.Hit;
import org.crashdex.search.MatchingLines;
import org.crashdex.search.RecordSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crashdex search}: find records by function, commit, signature, title or text. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    header = "Search the index by function, commit, signature, title or full text.",
    description = {
      "Search the index. QUERY uses Lucene syntax over the fields below: words are",
      "ANDed unless joined with OR, \"quotes\" make a phrase, * and ? are wildcards.",
      "Hash fields take a full hash or a git-style abbreviation (7+ hex digits).",
      "",
      "Fields:",
      "  text:        full text (the default field): words, \"phrases\" (each two",
      "               words of a phrase next to each other; \"a b\"~N: the words anywhere)",
      "  title:       title words and phrases",
      "  title.exact: a whole title, title.exact:\"WARNING in foo\"",
      "  type:        crash type, e.g. type:KASAN*",
      "  kind:        crash or bisection",
      "  func:        any function of any call trace",
      "  frame:       the function the title names",
      "  file:        a source file named in the traces",
      "  guilty:      the guilty source file",
      "  kernel:      kernel release, e.g. kernel:6.1*",
      "  comm:        the crashing task",
      "  commit:      any commit the record names",
      "  culprit:     the commit a bisection blamed",
      "  tested:      a commit a bisection tested",
      "  start:       the commit a bisection started from",
      "  candidate:   a candidate of an inconclusive bisection",
      "  syzkaller:   the syzkaller commit",
      "  sig:         any kernel, culprit or parent signature",
      "  crashid:     SHA-1 of the title (syz-manager crash directory)",
      "  verdict:     a run verdict or the title a run saw, whole, any case:",
      "               verdict:\"boot failed\", verdict:\"KASAN: use-after-free Read in x\"",
      "  result:      culprit, inconclusive, error ...",
      "  direction:   cause or fix",
      "  author:      the culprit's author",
      "  source:      the file, as named when indexed or as its absolute path",
      "",
      "Examples:",
      "  crashdex search 'func:unpin_user_pages AND type:KASAN*'",
      "  crashdex search commit:dbfe7d74            # tested, blamed or started from",
      "  crashdex search culprit:dbfe7d74          # only bisections that blamed it",
      "  crashdex search sig:0321f959",
      "  crashdex search --since 2024-03-01 --until 2024-04-01 func:tcp_close",
      "  crashdex search '\"use-after-free\" tcp_close'",
      "  crashdex search 'verdict:\"boot failed\" AND verdict:KASAN*'",
      "  crashdex search --function tcp_close --json --limit 1000 | jq -r .source",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success (also when nothing matches)", "  2  usage error, malformed query", "  3  no index, or it could not be read"})
final class SearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexDirOption index;

  @Mixin TimeRangeOption time;

  @Option(names = "--json", description = "JSON Lines: source, offset, length, kind, title, score.")
  boolean json;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "Most records to print (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = {"-f", "--function"}, paramLabel = "NAME", description = "Shortcut for func:NAME (any call-trace function).")
  String function;

  @Option(names = {"-c", "--commit"}, paramLabel = "HASH", description = "Shortcut for commit:HASH (any commit the record names).")
  String commit;

  @Option(names = {"-s", "--sig"}, paramLabel = "HASH", description = "Shortcut for sig:HASH (any signature).")
  String sig;

  @Option(names = {"-t", "--title"}, paramLabel = "TEXT", description = "Shortcut for title:\"TEXT\" (the words in this order).")
  String title;

  @Option(names = "--lines", paramLabel = "N", defaultValue = "3", description = "Matching lines shown per record (default: ${DEFAULT-VALUE}; 0: none).")
  int lines;

  @Parameters(arity = "0..*", paramLabel = "QUERY", description = "The query (several words are joined).")
  List<String> words;

  /** The queries the options and words make, all of which must match; empty when they make none. */
  List<String> queryParts() {
    List<String> parts = new ArrayList<>();
    if (words != null && !words.isEmpty()) {
      parts.add(String.join(" ", words));
    }
    if (function != null) {
      parts.add(CrashQueryParser.clause(IndexSchema.FUNC, function));
    }
    if (commit != null) {
      parts.add(IndexSchema.COMMIT + ":" + commit.strip());
    }
    if (sig != null) {
      parts.add(IndexSchema.SIG + ":" + sig.strip());
    }
    if (title != null) {
      parts.add(CrashQueryParser.clause(IndexSchema.TITLE, title));
    }
    return parts;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> parts = queryParts();
    if (parts.isEmpty()) {
      err.println("crashdex: search needs a QUERY or one of --function, --commit, --sig, --title");
      return ExitCodes.USAGE;
    }
    if (limit < 1) {
      err.println("crashdex: --limit must be at least 1");
      return ExitCodes.USAGE;
    }
    Query query;
    try {
      query = CrashQueryParser.parseAll(parts);
      query = time.range().filter(query);
    } catch (BadQueryException e) {
      err.println("crashdex: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try (CrashSearcher searcher = CrashSearcher.open(index.resolve())) {
      List<Hit> hits = searcher.search(query, limit);
      if (json) {
        ObjectMapper mapper = RecordPrinter.MAPPER;
        for (Hit h : hits) {
          ObjectNode n = mapper.createObjectNode();
          n.put("source", h.source());
          n.put("offset", h.offset());
          n.put("length", h.length());
          n.put("kind", h.kind());
          n.put("title", h.title());
          n.put("score", h.score());
          out.println(n.toString());
        }
      } else {
        boolean color = Terminal.interactive();
        for (Hit h : hits) {
          printHit(out, searcher, query, h, color);
        }
        long total = searcher.count(query);
        out.printf("%d of %d matching records%s%n", hits.size(), total, hits.size() < total ? " (--limit N for more)" : "");
      }
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("crashdex: " + ExitCodes.describe(e));
      return ExitCodes.FAILURE;
    }
  }

  private void printHit(PrintWriter out, CrashSearcher searcher, Query query, Hit h, boolean color) {
    String title = h.title() == null ? "(no title)" : h.title();
    out.println(color ? "\u001b[1m" + title + Terminal.RESET : title);
    out.printf(Locale.ROOT, "  %-9s %s  %s  score %.2f%n", h.kind(), h.location(), Sizes.bytes(h.length()), h.score());
    if (lines <= 0) {
      return;
    }
    try {
      RecordSource.read(
          h,
          searcher.indexedState(h.origin()),
          bytes -> {
            for (MatchingLines.Line line : MatchingLines.find(bytes, query, lines)) {
              out.printf("  %5d: %s%n", line.number(), highlight(line, color));
            }
          });
    } catch (RecordSource.StaleException e) {
      out.println("  (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      out.println("  (cannot read the record: " + ExitCodes.describe(e) + ")");
    }
  }

  private static String highlight(MatchingLines.Line line, boolean color) {
    if (!color) {
      return line.text();
    }
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (int[] span : line.spans()) {
      b.append(line.text(), at, span[0]).append(Terminal.BOLD_RED).append(line.text(), span[0], span[1]).append(Terminal.RESET);
      at = span[1];
    }
    return b.append(line.text().substring(at)).toString();
  }
}
