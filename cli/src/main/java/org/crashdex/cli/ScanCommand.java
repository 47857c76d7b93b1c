package org.crashdex.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.crashdex.extract.ExtractedRecord;
import org.crashdex.extract.RecordExtractor;
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
    header = "Split logs into records (crash reports, bisection logs) and print their fields.",
    description = {
      "Split logs into records and print one line per record: crash reports (kind 'crash') and",
      "syzbot bisection logs (kind 'bisection'), with the fields crashdex extracts from them.",
      "",
      "Directories are walked recursively; binary and empty files are passed over with a note.",
      "Compressed files (.gz .xz .zst .bz2) and tarballs (.tar .tar.gz/.tgz .tar.xz .tar.zst ...,",
      "nested as they come) are read as streams, recognised by their bytes; their members are named",
      "archive.tar.zst!/path/in/archive. In a syz-manager crash directory (crashes/<id>/ with a",
      "'description'), log<N> and report<N> carry the crash id, description and tag<N>; vmcore,",
      "machineInfo<N>, repro.* and title-stat are passed over with a note.",
      "",
      "A bad input (unreadable, truncated or corrupt, a symbolic link loop, a FIFO or device, a file",
      "that changes while it is read) gets one line on stderr, and none of its records are printed;",
      "the other inputs are scanned.",
      "",
      "Examples:",
      "  crashdex scan console.log",
      "  crashdex scan --json crashes/ | jq -r .title | sort | uniq -c | sort -rn",
      "  crashdex scan --json logs-2024.tar.zst workdir/crashes/",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every input read",
      "  1  partial: some inputs could not be read, or not to their end (each named on stderr);",
      "     the records of the others were printed",
      "  2  usage error",
      "  3  no input could be read"
    })
final class ScanCommand implements Callable<Integer> {

  /**
   * Records of an input are held back until it was read to its end, so that nothing of a truncated
   * member is printed. An input of many gigabytes (it arrives in pieces) could hold back more than
   * memory should: past this many characters its records are printed as they come, and a later
   * failure says so.
   */
  static final int MAX_HELD_CHARS = 32 << 20;

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "JSON Lines: one object per record with source, offset, length, kind, title, frames and every extracted field.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Log files, directories, compressed files or tarballs.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    return scan(paths, json, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Scans {@code paths}, printing records to {@code out} and problems to {@code err}; returns the exit code. */
  static int scan(List<Path> paths, boolean json, PrintWriter out, PrintWriter err) throws Exception {
    StringWriter held = new StringWriter();
    PrintWriter heldWriter = new PrintWriter(held);
    RecordPrinter printer = json ? RecordPrinter.json(heldWriter) : RecordPrinter.text(heldWriter);
    int[] counts = new int[3]; // read, failed, records
    long[] printedUpTo = {-1}; // of the current input, when its records could not all be held back
    SourceWalker.walk(
        paths,
        new SourceVisitor() {
          @Override
          public void source(Source source) {
            source.scan(
                (offset, length, kind) -> {
                  ExtractedRecord fields = RecordExtractor.extract(source.slice(offset, length), kind);
                  printer.print(source.name(), offset, length, kind, fields, source.crash(), source.modifiedMillis());
                  counts[2]++;
                });
            heldWriter.flush();
            if (held.getBuffer().length() > MAX_HELD_CHARS) {
              release();
              printedUpTo[0] = source.end();
            }
          }

          @Override
          public void finished(String name) {
            counts[0]++;
            release();
            printedUpTo[0] = -1;
          }

          @Override
          public void skipped(String name, String reason) {
            err.println("crashdex: " + name + ": skipped: " + reason);
          }

          @Override
          public void failed(String name, String message) {
            counts[1]++;
            held.getBuffer().setLength(0);
            String printed = printedUpTo[0] < 0 ? "" : " (its records before byte " + printedUpTo[0] + " were printed)";
            printedUpTo[0] = -1;
            err.println("crashdex: " + name + ": " + message + printed);
          }

          private void release() {
            heldWriter.flush();
            out.append(held.getBuffer());
            held.getBuffer().setLength(0);
          }
        });
    out.flush();
    if (counts[1] > 0) {
      return counts[0] > 0 ? ExitCodes.PARTIAL : ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
