package org.crashdex.extract.bisect;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crashdex.extract.crash.CrashReport;
import org.crashdex.extract.crash.CrashReportParser;
import org.crashdex.scan.OopsHeader;

/**
 * Reads one syzbot bisection log into a {@link Bisection}.
 *
 * <p>The parser walks the record line by line. Lines syzkaller writes itself start at column 0 and
 * are recognised by their first words; everything else (kernel console output, git's commit
 * message, build output) is "other" and only ever feeds a few fields: the culprit's message block,
 * the error message, a build error, the fallback crash report. Each line kind is recognised the
 * same way in every format generation; where generations differ (the compiler after {@code testing
 * commit}, {@code cc:} against {@code recipients (to|cc):}) both forms are read into one field.
 *
 * <p>A record ends at the next {@link BisectionStart bisection start}: text after it is ignored,
 * use {@link #parseAll(String)} for data that holds several.
 */
public final class BisectionParser {
  private BisectionParser() {}

  private static final String HASH = "[0-9a-f]{7,64}";

  private static final Pattern HOST_LINE = Pattern.compile("^(\\S+) starts bisection (.*?)(?: m=[+-]\\S*)?\\s*$");
  private static final Pattern START_COMMIT =
      Pattern.compile("^bisecting (cause|fixing) commit (?:starting from|since) (\\S+)");
  private static final Pattern SYZKALLER = Pattern.compile("^building syzkaller on (\\S+)");
  private static final Pattern ORIGINAL =
      Pattern.compile("^(?:ensuring issue is reproducible on original commit|testing current HEAD) (" + HASH + ")\\b");
  private static final Pattern RELEASE = Pattern.compile("^testing release (\\S+)");
  private static final Pattern TESTING_COMMIT =
      Pattern.compile("^testing commit (" + HASH + ")(?: with (.+?)| (\\S.*?))?\\s*$");
  private static final Pattern COMPILER = Pattern.compile("^compiler: (.*?)\\s*$");
  private static final Pattern KERNEL_SIGNATURE = Pattern.compile("^kernel signature:\\s+(\\S+)");
  private static final Pattern RUN = Pattern.compile("^(?:run|try) #(\\d+): (.*)$");
  private static final Pattern ALL_RUNS = Pattern.compile("^all runs: (.*)$");
  private static final Pattern BARE_VERDICT = Pattern.compile("^(?:failed|infra problem): .*$");
  private static final Pattern REPRESENTATIVE =
      Pattern.compile("^representative crash: (.*?)(?:, types: .*)?$");
  private static final Pattern GIT_START = Pattern.compile("^# git bisect start (\\S+) (\\S+)");
  private static final Pattern GIT_VERDICT =
      Pattern.compile("^# git bisect (good|bad|skip|new|old) (" + HASH + ")\\b");
  private static final Pattern GIT_TITLE = Pattern.compile("^\\[(" + HASH + ")\\] (.*)$");
  private static final Pattern GIT_FIRST =
      Pattern.compile("^(" + HASH + ") is the first (?:bad|good|new|old) commit\\s*$");
  private static final Pattern GIT_ANY_OF =
      Pattern.compile("^The first (?:bad|good|new|old) commit could be any of:");
  private static final Pattern HASH_LINE = Pattern.compile("^(" + HASH + ")(?:\\s.*)?$");
  private static final Pattern PARENT_COMMIT = Pattern.compile("^parent commit (" + HASH + ")\\b");
  private static final Pattern CULPRIT_SIGNATURE = Pattern.compile("^culprit signature: (\\S+)");
  private static final Pattern PARENT_SIGNATURE = Pattern.compile("^(?:parent|previous)\\s+signature: (\\S+)");
  private static final Pattern TOTALS =
      Pattern.compile(
          "^(?:revisions|instances) tested: (\\d+), total time: (\\S+?),?"
              + "(?: \\(build: (\\S+?), test: (\\S+?)\\))?\\s*$");
  private static final Pattern FIRST_COMMIT =
      Pattern.compile("^first (?:bad|good) commit: (" + HASH + ")(?: (.*?))?\\s*$");
  private static final Pattern INCONCLUSIVE =
      Pattern.compile("^bisection is inconclusive, the first (?:bad|good) commit could be any of:");
  private static final Pattern OLDEST =
      Pattern.compile("^(?:the crash already happened on the oldest tested release|oldest tested release already had the bug)");
  private static final Pattern NOT_FIXED =
      Pattern.compile("^(?:the )?crash still (?:not fixed|happens on (?:the )?HEAD)");
  private static final Pattern RECIPIENTS =
      Pattern.compile("^(?:cc|recipients \\((?:to|cc)\\)): \\[(.*)\\]\\s*$");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern COMMIT_MSG = Pattern.compile("^commit msg: (.*?)\\s*$");
  private static final Pattern FLAKY = Pattern.compile("^(?i:reproducer)\\b.*\\bflaky");
  private static final Pattern ERROR = Pattern.compile("^error: (.*)$");
  private static final Pattern CRASH = Pattern.compile("^crash: (.*?)\\s*$");
  /** syzkaller's own lines that carry nothing this record keeps. */
  private static final Pattern IGNORED =
      Pattern.compile(
          "^(?:Bisecting: |picked \\d+ out of |false negative chance|accumulated error probability"
              + "|unable to determine the verdict|kconfig minimization|minimized to "
              + "|There are only 'skip'ped commits left to test|We cannot bisect more"
              + "|# git bisect )");
  private static final Pattern BUILD_ERROR =
      Pattern.compile(
          "^failed to run |: (?:fatal )?(?i:error): |undefined reference to |: Permission denied$"
              + "|No rule to make target|^make(?:\\[\\d+\\])?: \\*\\*\\* ");
  /** Lines of git's commit block after "X is the first bad commit" that are not indented. */
  private static final Pattern COMMIT_HEADER =
      Pattern.compile("^(?:commit (" + HASH + ")|Merge: |Author: |AuthorDate: |Commit: |CommitDate: |Date: )");

  /** Parses one bisection record (bytes decoded as ISO-8859-1, one char per byte). Never throws. */
  public static Bisection parse(MemorySegment bytes) {
    long size = Math.min(bytes.byteSize(), Integer.MAX_VALUE - 16);
    byte[] array = bytes.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
    return parse(new String(array, StandardCharsets.ISO_8859_1));
  }

  /** Parses one bisection record. Never throws. */
  public static Bisection parse(String text) {
    try {
      return new Reader(text).read();
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug must not lose the whole scan: an empty record still says "a bisection was here".
      return new Reader("").read();
    }
  }

  /** The text {@link Bisection#crash()} is parsed from, for tests. */
  static String crashText(String text) {
    return new Reader(text).readCrashText();
  }

  /**
   * Parses every bisection record in {@code text}, split by {@link BisectionStart#starts}. Text before
   * the first start is not a record; text without any start gives an empty list.
   */
  public static List<Bisection> parseAll(String text) {
    long[] starts = BisectionStart.starts(text);
    List<Bisection> all = new ArrayList<>(starts.length);
    for (int i = 0; i < starts.length; i++) {
      int from = (int) starts[i];
      int to = i + 1 < starts.length ? (int) starts[i + 1] : text.length();
      all.add(parse(text.substring(from, to)));
    }
    return all;
  }

  /** The mutable state of one parse. */
  private static final class Reader {
    private final String text;

    private String direction;
    private String host;
    private String startedAt;
    private String startCommit;
    private String syzkallerCommit;
    private String result;
    private String culprit;
    private String culpritTitle;
    private String gitCulprit;
    private String gitCulpritTitle;
    private String culpritAuthor;
    private String culpritDate;
    private String culpritSignature;
    private String parentSignature;
    private String commitMessage;
    private Integer revisionsTested;
    private String totalTime;
    private String buildTime;
    private String testTime;
    private final Set<String> recipients = new LinkedHashSet<>();
    private StringBuilder error;
    private boolean flaky;
    private String crashTitle;
    private final Set<String> kernelSignatures = new LinkedHashSet<>();
    private final Set<String> commits = new LinkedHashSet<>();
    private final List<Tested> tested = new ArrayList<>();
    private List<String> gitCandidates = List.of();
    private List<String> summaryCandidates = List.of();

    private Tested current;
    private String pendingRelease;
    private String lastTitleCommit;
    private String lastTitle;

    /** Where the lines read now go. */
    private enum Mode { NORMAL, CULPRIT_BLOCK, CANDIDATES, ERROR, CRASH }

    private Mode mode = Mode.NORMAL;
    private List<String> candidateSink;
    private boolean culpritMessageStarted;
    /** Between git's "X is the first bad commit" and the next build: signatures there are X's. */
    private boolean afterGitCulprit;

    private int crashTextStart = -1;
    private int fallbackStart = -1;
    private int fallbackEnd = -1;

    Reader(String text) {
      this.text = text;
    }

    private int recordEnd;

    /** Reads the record and returns the crash text chosen for it (see {@link #crashText}). */
    String readCrashText() {
      read();
      return crashText(recordEnd);
    }

    Bisection read() {
      int length = text.length();
      int lineStart = 0;
      boolean first = true;
      while (lineStart < length) {
        int newline = text.indexOf('\n', lineStart);
        int lineEnd = newline < 0 ? length : newline;
        int next = newline < 0 ? length : newline + 1;
        int end = lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        String line = text.substring(lineStart, end);
        if (!first && BisectionStart.isStart(line) && direction != null) {
          break; // the next bisection starts: this record ends here
        }
        if (!first && BisectionStart.isHostLine(line) && direction != null && startsNextLine(next)) {
          break;
        }
        first = false;
        line(line, lineStart, next);
        lineStart = next;
      }
      recordEnd = lineStart;
      return build(lineStart);
    }

    private boolean startsNextLine(int from) {
      int newline = text.indexOf('\n', from);
      int end = newline < 0 ? text.length() : newline;
      return BisectionStart.isStart(text.substring(from, end));
    }

    private void line(String line, int start, int next) {
      switch (mode) {
        case CRASH -> {
          Matcher m = CRASH.matcher(line);
          if (m.lookingAt()) {
            crashTitle = emptyToNull(m.group(1));
            crashTextStart = next;
          }
          return;
        }
        case ERROR -> {
          // The message runs on over the lines that follow it (make's usage text, compiler errors)
          // until a line kind of its own: a stray "error:" mid-log must not swallow the builds after it.
          StringBuilder message = error;
          if (structural(line, next)) {
            if (mode == Mode.ERROR && error == message) {
              mode = Mode.NORMAL;
            }
          } else {
            error.append('\n').append(line);
          }
          return;
        }
        case CANDIDATES -> {
          Matcher m = HASH_LINE.matcher(line);
          if (m.matches()) {
            candidateSink.add(m.group(1));
            commits.add(m.group(1));
            return;
          }
          mode = Mode.NORMAL;
        }
        case CULPRIT_BLOCK -> {
          if (culpritBlockLine(line)) {
            return;
          }
          mode = Mode.NORMAL;
        }
        case NORMAL -> {}
      }
      if (structural(line, next)) {
        if (fallbackStart >= 0 && fallbackEnd < 0) {
          fallbackEnd = start;
        }
      } else {
        other(line, start);
      }
    }

    /** Reads one of syzkaller's own lines; false for any other line. */
    private boolean structural(String line, int next) {
      if (line.isEmpty()) {
        return false;
      }
      Matcher m;
      switch (line.charAt(0)) {
        case 'a' -> {
          if ((m = ALL_RUNS.matcher(line)).matches()) {
            return verdict(null, m.group(1));
          }
        }
        case 'b' -> {
          if ((m = START_COMMIT.matcher(line)).lookingAt()) {
            direction = m.group(1).equals("cause") ? Bisection.CAUSE : Bisection.FIX;
            startCommit = m.group(2);
            commits.add(startCommit);
            return true;
          }
          if ((m = SYZKALLER.matcher(line)).lookingAt()) {
            syzkallerCommit = m.group(1);
            return true;
          }
          if ((m = INCONCLUSIVE.matcher(line)).lookingAt()) {
            result = Bisection.INCONCLUSIVE;
            summaryCandidates = new ArrayList<>();
            candidateSink = summaryCandidates;
            mode = Mode.CANDIDATES;
            return true;
          }
        }
        case 'c' -> {
          if ((m = CRASH.matcher(line)).lookingAt()) {
            crashTitle = emptyToNull(m.group(1));
            crashTextStart = next;
            mode = Mode.CRASH;
            return true;
          }
          if ((m = COMPILER.matcher(line)).lookingAt()) {
            if (current != null) {
              current.compiler = m.group(1);
            }
            return true;
          }
          if ((m = CULPRIT_SIGNATURE.matcher(line)).lookingAt()) {
            culpritSignature = m.group(1);
            return true;
          }
          if ((m = RECIPIENTS.matcher(line)).matches()) {
            return recipients(m.group(1));
          }
          if ((m = COMMIT_MSG.matcher(line)).lookingAt()) {
            commitMessage = humanText(m.group(1));
            return true;
          }
          if (NOT_FIXED.matcher(line).lookingAt()) {
            result = Bisection.NOT_FIXED;
            return true;
          }
        }
        case 'e' -> {
          if ((m = ORIGINAL.matcher(line)).lookingAt()) {
            commits.add(m.group(1));
            return true;
          }
          if ((m = ERROR.matcher(line)).matches()) {
            result = Bisection.ERROR;
            error = new StringBuilder(m.group(1));
            mode = Mode.ERROR;
            return true;
          }
        }
        case 'f' -> {
          if ((m = FIRST_COMMIT.matcher(line)).matches()) {
            culprit = m.group(1);
            culpritTitle = m.group(2) == null ? null : humanText(m.group(2));
            commits.add(culprit);
            result = Bisection.CULPRIT;
            return true;
          }
          if (current != null && BARE_VERDICT.matcher(line).matches()) {
            return verdict(null, line);
          }
        }
        case 'i' -> {
          if (current != null && BARE_VERDICT.matcher(line).matches()) {
            return verdict(null, line);
          }
          if ((m = TOTALS.matcher(line)).matches()) {
            return totals(m);
          }
        }
        case 'k' -> {
          if ((m = KERNEL_SIGNATURE.matcher(line)).lookingAt()) {
            kernelSignatures.add(m.group(1));
            if (afterGitCulprit) {
              // 2019-20 logs: "kernel signature:   X" right after git's culprit block is the
              // culprit's, with "previous signature:" its parent's.
              culpritSignature = m.group(1);
            } else if (current != null) {
              current.kernelSignature = m.group(1);
            }
            return true;
          }
        }
        case 'o' -> {
          if (OLDEST.matcher(line).lookingAt()) {
            result = Bisection.OLDEST_RELEASE;
            return true;
          }
        }
        case 'p' -> {
          if ((m = PARENT_SIGNATURE.matcher(line)).lookingAt()) {
            parentSignature = m.group(1);
            return true;
          }
          if ((m = PARENT_COMMIT.matcher(line)).lookingAt()) {
            commits.add(m.group(1));
            return true;
          }
        }
        case 'r' -> {
          if ((m = RUN.matcher(line)).matches()) {
            return verdict(Integer.valueOf(m.group(1)), m.group(2));
          }
          if ((m = RECIPIENTS.matcher(line)).matches()) {
            return recipients(m.group(1));
          }
          if ((m = TOTALS.matcher(line)).matches()) {
            return totals(m);
          }
          if ((m = REPRESENTATIVE.matcher(line)).matches()) {
            if (current != null) {
              current.representativeCrash = emptyToNull(m.group(1));
            }
            return true;
          }
          if (FLAKY.matcher(line).find()) {
            flaky = true;
            return true;
          }
        }
        case 't' -> {
          if ((m = TESTING_COMMIT.matcher(line)).matches()) {
            return testing(m);
          }
          if ((m = RELEASE.matcher(line)).lookingAt()) {
            pendingRelease = m.group(1);
            return true;
          }
          if ((m = RUN.matcher(line)).matches()) {
            return verdict(Integer.valueOf(m.group(1)), m.group(2));
          }
          if ((m = ORIGINAL.matcher(line)).lookingAt()) {
            commits.add(m.group(1));
            return true;
          }
          if (OLDEST.matcher(line).lookingAt()) {
            result = Bisection.OLDEST_RELEASE;
            return true;
          }
          if (NOT_FIXED.matcher(line).lookingAt()) {
            result = Bisection.NOT_FIXED;
            return true;
          }
        }
        case '#' -> {
          if ((m = GIT_VERDICT.matcher(line)).lookingAt()) {
            gitVerdict(m.group(1), m.group(2));
            return true;
          }
          if ((m = GIT_START.matcher(line)).lookingAt()) {
            addIfHash(m.group(1));
            addIfHash(m.group(2));
            return true;
          }
        }
        case '[' -> {
          if ((m = GIT_TITLE.matcher(line)).matches()) {
            lastTitleCommit = m.group(1);
            lastTitle = humanText(m.group(2));
            commits.add(lastTitleCommit);
            return true;
          }
        }
        case 'T' -> {
          if (GIT_ANY_OF.matcher(line).lookingAt()) {
            gitCandidates = new ArrayList<>();
            candidateSink = gitCandidates;
            mode = Mode.CANDIDATES;
            return true;
          }
        }
        case 'R' -> {
          if (FLAKY.matcher(line).find()) {
            flaky = true;
            return true;
          }
        }
        default -> {}
      }
      if (BisectionStart.isHostLine(line) && (m = HOST_LINE.matcher(line)).matches()) {
        host = m.group(1);
        startedAt = m.group(2);
        return true;
      }
      if ((m = GIT_FIRST.matcher(line)).matches()) {
        gitCulprit = m.group(1);
        commits.add(gitCulprit);
        mode = Mode.CULPRIT_BLOCK;
        culpritMessageStarted = false;
        afterGitCulprit = true;
        return true;
      }
      return IGNORED.matcher(line).lookingAt();
    }

    private boolean testing(Matcher m) {
      Tested t = new Tested();
      t.commit = m.group(1);
      t.compiler = m.group(2) != null ? m.group(2) : m.group(3);
      t.release = pendingRelease;
      pendingRelease = null;
      if (lastTitleCommit != null && samePrefix(lastTitleCommit, t.commit)) {
        t.title = lastTitle;
      }
      lastTitleCommit = null;
      lastTitle = null;
      commits.add(t.commit);
      tested.add(t);
      afterGitCulprit = false;
      current = t;
      return true;
    }

    private boolean verdict(Integer run, String text) {
      if (current != null) {
        current.runs.add(RunVerdict.of(run, text));
      }
      return true;
    }

    private boolean totals(Matcher m) {
      revisionsTested = parseInt(m.group(1));
      totalTime = m.group(2);
      buildTime = m.group(3);
      testTime = m.group(4);
      return true;
    }

    private boolean recipients(String list) {
      Matcher q = QUOTED.matcher(list);
      while (q.find()) {
        String email = unquote(q.group(1)).strip();
        if (!email.isEmpty()) {
          recipients.add(email);
        }
      }
      return true;
    }

    private void gitVerdict(String verdict, String commit) {
      commits.add(commit);
      for (int i = tested.size() - 1; i >= 0; i--) {
        Tested t = tested.get(i);
        if (samePrefix(t.commit, commit)) {
          t.gitVerdict = verdict;
          return;
        }
      }
    }

    /** Reads a line of git's "commit / Author / Date / message / diffstat" block; false ends it. */
    private boolean culpritBlockLine(String line) {
      if (line.isBlank()) {
        return true;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (!culpritMessageStarted && line.startsWith("    ")) {
          culpritMessageStarted = true;
          gitCulpritTitle = humanText(line.strip());
        }
        return true;
      }
      Matcher m = COMMIT_HEADER.matcher(line);
      if (!m.lookingAt()) {
        return false;
      }
      if (m.group(1) != null) {
        commits.add(m.group(1));
      } else if (line.startsWith("Author: ")) {
        culpritAuthor = humanText(line.substring("Author: ".length()).strip());
      } else if (line.startsWith("Date: ")) {
        culpritDate = line.substring("Date: ".length()).strip();
      }
      return true;
    }

    /** A line syzkaller did not write: console output, build output, git's chatter. */
    private void other(String line, int start) {
      if (current != null
          && current.buildError == null
          && current.kernelSignature == null
          && current.runs.isEmpty()
          && BUILD_ERROR.matcher(line).find()) {
        current.buildError = line.strip();
        return;
      }
      if (OopsHeader.find(line) != null) {
        boolean continues = fallbackStart >= 0 && fallbackEnd < 0 && OopsHeader.continuesReport(line);
        if (!continues) {
          fallbackStart = start;
          fallbackEnd = -1;
        }
      }
    }

    private Bisection build(int recordEnd) {
      List<String> candidates = !summaryCandidates.isEmpty() ? summaryCandidates : gitCandidates;
      if (culprit == null && gitCulprit != null && candidates.isEmpty()
          && (result == null || result.equals(Bisection.CULPRIT))) {
        culprit = gitCulprit; // a log cut short after git's verdict
      }
      if (culprit == null || gitCulprit == null || !samePrefix(culprit, gitCulprit)) {
        // Author and date come from git's block, which describes git's commit: keep them only when
        // that commit is the culprit.
        culpritAuthor = null;
        culpritDate = null;
      } else if (culpritTitle == null) {
        culpritTitle = gitCulpritTitle;
      }
      if (result == null) {
        if (culprit != null) {
          result = Bisection.CULPRIT;
        } else if (!candidates.isEmpty()) {
          result = Bisection.INCONCLUSIVE;
        }
      }
      String errorText = error == null ? null : error.toString().strip();
      if (direction == null && errorText == null && tested.isEmpty()) {
        // syzbot's stored error of a bisection that failed before logging: the text is the message
        String whole = text.strip();
        if (!whole.isEmpty()) {
          errorText = whole;
          result = Bisection.ERROR;
        }
      }
      if (errorText != null && errorText.isEmpty()) {
        errorText = null;
      }
      List<TestedCommit> testedCommits = new ArrayList<>(tested.size());
      for (Tested t : tested) {
        testedCommits.add(t.build());
      }
      return new Bisection(
          direction,
          host,
          startedAt,
          startCommit,
          syzkallerCommit,
          result,
          culprit,
          candidates,
          culpritTitle,
          culpritAuthor,
          culpritDate,
          culpritSignature,
          parentSignature,
          commitMessage,
          revisionsTested,
          totalTime,
          buildTime,
          testTime,
          List.copyOf(recipients),
          errorText,
          flaky,
          crashTitle,
          List.copyOf(kernelSignatures),
          List.copyOf(commits),
          testedCommits,
          crash(recordEnd));
    }

    /**
     * The text the crash report is read from: what follows the last {@code crash:} line, or else
     * the last crash report in the console output (from its oops line to the next line of
     * syzkaller's own); null when there is neither.
     */
    String crashText(int recordEnd) {
      String report = null;
      if (crashTextStart >= 0) {
        report = text.substring(Math.min(crashTextStart, recordEnd), recordEnd);
      } else if (fallbackStart >= 0) {
        report = text.substring(fallbackStart, fallbackEnd >= 0 ? fallbackEnd : recordEnd);
      }
      return report == null || report.isBlank() ? null : report;
    }

    private CrashReport crash(int recordEnd) {
      String report = crashText(recordEnd);
      if (report == null) {
        return null;
      }
      return CrashReportParser.parse(report);
    }

    private void addIfHash(String s) {
      if (s.matches(HASH)) {
        commits.add(s);
      }
    }
  }

  /** A tested commit while its lines are still being read. */
  private static final class Tested {
    String commit;
    String title;
    String release;
    String compiler;
    String kernelSignature;
    final List<RunVerdict> runs = new ArrayList<>();
    String gitVerdict;
    String buildError;
    String representativeCrash;

    TestedCommit build() {
      return new TestedCommit(
          commit, title, release, compiler, kernelSignature, runs, gitVerdict, buildError, representativeCrash);
    }
  }

  /** True when one hash is a prefix of the other (git abbreviates hashes in some lines). */
  static boolean samePrefix(String a, String b) {
    return a.length() <= b.length() ? b.startsWith(a) : a.startsWith(b);
  }

  private static Integer parseInt(String digits) {
    try {
      return Integer.valueOf(digits);
    } catch (NumberFormatException e) {
      return null; // more digits than an int holds: absent rather than wrong
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Undoes Go's %q escaping of a string in a []string. */
  static String unquote(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          default -> out.append(n);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Text people wrote (names, commit titles) is UTF-8 in git; the record was read one char per byte,
   * so read such a field again as UTF-8 when its bytes are valid UTF-8, and keep it as is otherwise.
   */
  static String humanText(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    if (ascii) {
      return s;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException e) {
      return s;
    }
  }
}
