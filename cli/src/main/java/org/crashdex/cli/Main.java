package org.crashdex.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code crashdex} command: one subcommand per verb. */
@Command(
    name = "crashdex",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Index and search archives of Linux kernel crash logs: console output, syz-manager crash"
          + " directories, syzbot crash reports and bisection logs.",
      ""
    },
    subcommands = {
      ScanCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      ShowCommand.class,
      TopCommand.class,
      StatsCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class,
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  partial: some inputs could not be read (each named on stderr)",
      "  2  usage error: bad option, bad query, missing path",
      "  3  failure: nothing could be done (no input readable, index unusable)",
      "",
      "Run 'crashdex help <command>' for a command's options."
    })
public final class Main implements Runnable {

  /**
   * Lucene announces its vectorization setup through java.util.logging at INFO on every start: noise on
   * a command line. The logger is held here so the level is not lost to garbage collection.
   */
  private static final java.util.logging.Logger LUCENE_LOG = quietLucene();

  private static java.util.logging.Logger quietLucene() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.apache.lucene");
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; never throws. */
  public static int run(String... args) {
    // Records can number millions: stdout is buffered and flushed once at the end.
    PrintWriter out =
        new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);
    try {
      return commandLine(out, new PrintWriter(System.err, true)).execute(args);
    } finally {
      out.flush();
    }
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("crashdex: " + ExitCodes.describe(ex));
          return ExitCodes.FAILURE;
        });
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("crashdex: " + ex.getMessage());
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
          return ExitCodes.USAGE;
        });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"crashdex " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
