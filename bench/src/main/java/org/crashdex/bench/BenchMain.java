package org.crashdex.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The benchmark jar's entry point: JMH's own command line, unchanged, followed by a short summary
 * that answers the question each benchmark class asks, "how fast relative to the baseline in the
 * same run?".
 *
 * <p>For every benchmark class that has a method named {@code memchrBaseline} or {@code baseline},
 * the summary gives each other method's <em>median</em> iteration score divided by the baseline's
 * median, for the same parameters, and the same for the <em>best</em> iteration of each. Medians,
 * because one disturbed iteration moves a mean a lot; best iterations too, because on a shared
 * machine the two methods run minutes apart under different loads, and the least disturbed
 * iteration of each is the fairest pair. Where a method reports a {@code gigabytes} or {@code
 * megabytes} counter, its rates are shown too.
 */
public final class BenchMain {
  private static final List<String> BASELINES = List.of("memchrBaseline", "baseline");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions options;
    try {
      options = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line:");
      System.err.println(" " + e.getMessage());
      System.exit(1);
      return;
    }
    if (options.shouldHelp()
        || options.shouldList()
        || options.shouldListWithParams()
        || options.shouldListProfilers()
        || options.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    Collection<RunResult> results;
    try {
      results = new Runner(options).run();
    } catch (RunnerException e) {
      System.err.print("ERROR: ");
      e.printStackTrace(System.err);
      System.exit(1);
      return;
    }
    System.out.print(summary(results));
  }

  /** The ratio lines, or an empty string when no class in the run has a baseline. */
  static String summary(Collection<RunResult> results) {
    List<RunResult> all = new ArrayList<>(results);
    StringBuilder out = new StringBuilder();
    for (RunResult baseline : all) {
      String method = method(baseline);
      if (!BASELINES.contains(method)) {
        continue;
      }
      double base = median(baseline.getPrimaryResult());
      for (RunResult other : all) {
        if (other == baseline
            || BASELINES.contains(method(other))
            || !className(other).equals(className(baseline))
            || !Objects.equals(other.getParams().getParamsKeys(), baseline.getParams().getParamsKeys())
            || !sameParams(other, baseline)) {
          continue;
        }
        if (out.isEmpty()) {
          out.append("\nThroughput relative to the baseline in the same run (higher is faster),")
              .append(" median iterations and best iterations:\n");
        }
        double score = median(other.getPrimaryResult());
        double bestRatio = best(other.getPrimaryResult()) / best(baseline.getPrimaryResult());
        out.append(
            String.format(
                Locale.ROOT,
                "  %s / %s = %.2fx median%s, %.2fx best%s%n",
                shortName(other),
                method,
                score / base,
                rates(other, baseline, false),
                bestRatio,
                rates(other, baseline, true)));
      }
    }
    return out.toString();
  }

  private static String rates(RunResult other, RunResult baseline, boolean best) {
    for (String counter : List.of("gigabytes", "megabytes")) {
      Result<?> a = secondary(other, counter);
      Result<?> b = secondary(baseline, counter);
      if (a != null && b != null) {
        String unit = counter.equals("gigabytes") ? "GB/s" : "MB/s";
        return best
            ? String.format(Locale.ROOT, " (%.2f vs %.2f %s)", best(a), best(b), unit)
            : String.format(Locale.ROOT, " (%.2f vs %.2f %s)", median(a), median(b), unit);
      }
    }
    return "";
  }

  private static Result<?> secondary(RunResult r, String name) {
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().equals(name) || e.getKey().endsWith(":" + name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean sameParams(RunResult a, RunResult b) {
    for (String key : a.getParams().getParamsKeys()) {
      if (!Objects.equals(a.getParams().getParam(key), b.getParams().getParam(key))) {
        return false;
      }
    }
    return true;
  }

  private static double median(Result<?> r) {
    return r.getStatistics().getPercentile(50);
  }

  private static double best(Result<?> r) {
    return r.getStatistics().getMax();
  }

  private static String method(RunResult r) {
    String name = r.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static String className(RunResult r) {
    String name = r.getParams().getBenchmark();
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static String shortName(RunResult r) {
    String cls = className(r);
    String params = "";
    if (!r.getParams().getParamsKeys().isEmpty()) {
      StringBuilder sb = new StringBuilder(" [");
      for (String key : r.getParams().getParamsKeys()) {
        if (sb.length() > 2) {
          sb.append(", ");
        }
        sb.append(key).append('=').append(r.getParams().getParam(key));
      }
      params = sb.append(']').toString();
    }
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + method(r) + params;
  }
}
