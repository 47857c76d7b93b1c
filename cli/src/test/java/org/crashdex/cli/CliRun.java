package org.crashdex.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process with captured output, as a user would see it. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out);
    PrintWriter e = new PrintWriter(err);
    int code = Main.commandLine(o, e).execute(args);
    o.flush();
    e.flush();
    return new CliRun(code, out.toString(), err.toString());
  }
}
