package org.crashdex.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.Callable;
import org.crashdex.search.CrashSearcher;
import org.crashdex.search.Hit;
import org.crashdex.search.RecordSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crashdex show}: print a record's original bytes, straight from its file. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    header = "Print indexed records exactly as they are in their files.",
    description = {
      "Print records exactly as they are in their files, given as SOURCE:OFFSET the",
      "way 'crashdex search' prints them. The file is mapped and its bytes written",
      "out unchanged; a file that changed or vanished since it was indexed is",
      "reported instead of misread.",
      "",
      "Examples:",
      "  crashdex show logs/console.log:48213",
      "  crashdex search --json sig:0321f959 | jq -r '\"\\(.source):\\(.offset)\"' |",
      "    xargs crashdex show",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every record printed",
      "  1  some records printed, others not (reason on stderr)",
      "  2  usage error: not SOURCE:OFFSET, or no such record in the index",
      "  3  nothing printed: no index, or the files changed since indexing"
    })
final class ShowCommand implements Callable<Integer> {
  /** Where the bytes go; tests replace it (picocli's writer is for text, records are bytes). */
  static OutputStream bytesOut = null;

  @Spec CommandSpec spec;

  @Mixin IndexDirOption index;

  @Parameters(arity = "1..*", paramLabel = "SOURCE:OFFSET", description = "Records, as search prints them.")
  List<String> records;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    spec.commandLine().getOut().flush();
    int shown = 0, failed = 0;
    try (CrashSearcher searcher = CrashSearcher.open(index.resolve())) {
      WritableByteChannel channel =
          Channels.newChannel(bytesOut != null ? bytesOut : new FileOutputStream(FileDescriptor.out));
      for (String r : records) {
        int colon = r.lastIndexOf(':');
        long offset;
        try {
          offset = Long.parseLong(r.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          err.println("crashdex: '" + r + "' is not SOURCE:OFFSET");
          return ExitCodes.USAGE;
        }
        Hit hit = colon > 0 ? searcher.record(r.substring(0, colon), offset) : null;
        if (hit == null) {
          err.println("crashdex: no record at " + r + " in the index " + searcher.directory());
          return ExitCodes.USAGE;
        }
        try {
          RecordSource.read(hit, searcher.indexedState(hit.origin()), bytes -> write(channel, bytes));
          shown++;
        } catch (IOException e) {
          err.println("crashdex: " + e.getMessage());
          failed++;
        }
      }
    } catch (IOException e) {
      err.println("crashdex: " + ExitCodes.describe(e));
      return ExitCodes.FAILURE;
    }
    if (failed > 0) {
      return shown > 0 ? ExitCodes.PARTIAL : ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  /** Writes the mapped bytes through the channel in views of at most 1 GiB (a ByteBuffer's limit). */
  private static void write(WritableByteChannel channel, MemorySegment bytes) throws IOException {
    for (long at = 0; at < bytes.byteSize(); ) {
      long n = Math.min(1L << 30, bytes.byteSize() - at);
      var view = bytes.asSlice(at, n).asByteBuffer();
      while (view.hasRemaining()) {
        channel.write(view);
      }
      at += n;
    }
  }
}
