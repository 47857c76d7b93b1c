package org.crashdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code crashdex demo}: show what crashdex does, on the sample logs bundled with it. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run crashdex on the bundled sample logs (a console log with two crashes, a syzbot crash",
      "report, a syzbot bisection log) and print what it finds.",
      ""
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      paramLabel = "DIR",
      description = "Directory of sample logs (default: the samples/ directory of the crashdex checkout).")
  Path samples;

  @Override
  public Integer call() throws Exception {
    Path dir = samples != null ? samples : defaultSamples();
    if (dir == null || !Files.isDirectory(dir)) {
      spec.commandLine().getErr().println("crashdex: sample directory not found" + (dir == null ? "" : ": " + dir) + " (use --samples DIR)");
      return ExitCodes.USAGE;
    }
    var out = spec.commandLine().getOut();
    out.println("== crashdex scan " + dir + "   (records found in the sample logs)");
    out.flush();
    return ScanCommand.scan(List.of(dir), false, out, spec.commandLine().getErr());
  }

  /** The samples of the checkout the launcher runs from ({@code -Dcrashdex.home}). */
  static Path defaultSamples() {
    String home = System.getProperty("crashdex.home");
    return home == null ? null : Path.of(home, "samples");
  }

  static List<String> sampleNames(Path dir) throws java.io.IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
