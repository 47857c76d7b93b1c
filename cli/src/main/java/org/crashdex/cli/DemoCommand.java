package org.crashdex.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crashdex demo}: index the bundled sample logs into a temporary index and run the searches
 * people come for, printing each command before its output so the demo teaches the commands too.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Index the bundled sample logs and run a few telling searches.",
    description = {
      "Indexes the sample logs of the checkout (a console log with two crashes, a syzbot crash report,"
          + " a syzbot bisection log) into a temporary index, runs scan, search, top and stats on it,"
          + " printing each command before its output, then deletes the index.",
      ""
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      paramLabel = "DIR",
      description = "Directory of sample logs (default: the samples/ directory of the crashdex checkout).")
  Path samples;

  @Option(names = "--keep-index", paramLabel = "DIR", description = "Build the index in DIR and keep it.")
  Path keepIndex;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = samples != null ? samples : defaultSamples();
    if (dir == null || !Files.isDirectory(dir)) {
      err.println("crashdex: sample directory not found" + (dir == null ? "" : ": " + dir) + " (use --samples DIR)");
      return ExitCodes.USAGE;
    }
    Path index = keepIndex != null ? keepIndex : Files.createTempDirectory("crashdex-demo-");
    try {
      String ix = index.toString();
      String s = dir.toString();
      List<String[]> steps = new ArrayList<>();
      steps.add(new String[] {"scan", s});
      steps.add(new String[] {"index", "--index", ix, s});
      steps.add(new String[] {"search", "--index", ix, "func:unpin_user_pages"});
      steps.add(new String[] {"search", "--index", ix, "--json", "commit:558d2adb"});
      steps.add(new String[] {"search", "--index", ix, "type:KASAN*"});
      steps.add(new String[] {"top", "--index", ix, "--by", "title"});
      steps.add(new String[] {"stats", "--index", ix});
      for (String[] step : steps) {
        out.println();
        out.println("$ crashdex " + String.join(" ", quoted(step)));
        out.flush();
        int code = Main.commandLine(out, err).execute(step);
        out.flush();
        if (code != ExitCodes.OK) {
          err.println("crashdex: demo step failed with exit code " + code);
          return code;
        }
      }
      return ExitCodes.OK;
    } finally {
      if (keepIndex == null) {
        deleteTree(index);
      }
    }
  }

  private static List<String> quoted(String[] args) {
    List<String> q = new ArrayList<>();
    for (String a : args) {
      q.add(a.matches("[A-Za-z0-9_./=-]+") ? a : "'" + a + "'");
    }
    return q;
  }

  /** The samples of the checkout the launcher runs from ({@code -Dcrashdex.home}). */
  static Path defaultSamples() {
    String home = System.getProperty("crashdex.home");
    return home == null ? null : Path.of(home, "samples");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
