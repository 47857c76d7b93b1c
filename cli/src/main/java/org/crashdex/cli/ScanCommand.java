package org.crashdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.extract.RecordExtractor;
import org.crashdex.scan.RecordScanner;
import org.crashdex.source.Source;
import org.crashdex.source.SourceVisitor;
import org.crashdex.source.SourceWalker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code crashdex scan}: find the records in logs and print them, without indexing. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Split logs into records and print one line per record: crash reports (kind 'crash') and",
      "syzbot bisection logs (kind 'bisection'), with the fields crashdex extracts from them.",
      "",
      "Directories are walked recursively; binary and empty files are passed over with a note.",
      "",
      "Examples:",
      "  crashdex scan console.log",
      "  crashdex scan --json crashes/ | jq -r .title | sort | uniq -c | sort -rn",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  every input read", "  1  some inputs could not be read (named on stderr)", "  2  usage error", "  3  no input could be read"})
final class ScanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "JSON Lines: one object per record with source, offset, length, kind, title, frames and every extracted field.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files or directories.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    return scan(paths, json, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Scans {@code paths}, printing records to {@code out} and problems to {@code err}; returns the exit code. */
  static int scan(List<Path> paths, boolean json, PrintWriter out, PrintWriter err) throws Exception {
    RecordPrinter printer = json ? RecordPrinter.json(out) : RecordPrinter.text(out);
    int[] counts = new int[3]; // read, failed, records
    SourceWalker.walk(
        paths,
        new SourceVisitor() {
          @Override
          public void source(Source source) {
            counts[0]++;
            RecordScanner.scan(
                source.data(),
                (offset, length, kind) -> {
                  counts[2]++;
                  ExtractedRecord fields = RecordExtractor.extract(source.data().asSlice(offset, length), kind);
                  printer.print(source.name(), offset, length, kind, fields);
                });
          }

          @Override
          public void skipped(String name, String reason) {
            err.println("crashdex: " + name + ": skipped: " + reason);
          }

          @Override
          public void failed(String name, String message) {
            counts[1]++;
            err.println("crashdex: " + name + ": " + message);
          }
        });
    out.flush();
    if (counts[1] > 0) {
      return counts[0] > 0 ? ExitCodes.PARTIAL : ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
