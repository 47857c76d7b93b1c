package org.crashdex.extract.bisect;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crashdex.extract.ScratchBytes;
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
 * <p>Each line kind is defined by its pattern below. The frequent kinds ({@code run #N:},
 * {@code testing commit}, {@code kernel signature:}, git's verdicts and titles, build errors) are
 * also read by hand, giving the same groups: the patterns stay the definition, and read any line
 * the hand-written readers do not vouch for (one with a CR or NEL inside, text beyond Latin-1).
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
  private static final Pattern COMMIT_MSG = Pattern.compile("^commit msg: (.*?)\\s*$");
  private static final Pattern FLAKY = Pattern.compile("^(?i:reproducer)\\b.*\\bflaky");
  private static final Pattern ERROR = Pattern.compile("^error: (.*)$");
  private static final Pattern CRASH = Pattern.compile("^crash: (.*?)\\s*$");
  /**
   * syzkaller's own lines that carry nothing this record keeps, by their literal first words; also
   * {@code picked <n> out of }.
   */
  private static final String[] IGNORED_PREFIXES = {
    "Bisecting: ",
    "false negative chance",
    "accumulated error probability",
    "unable to determine the verdict",
    "kconfig minimization",
    "minimized to ",
    "There are only 'skip'ped commits left to test",
    "We cannot bisect more",
    "# git bisect "
  };
  /** The verdict words of {@link #GIT_VERDICT}, none a prefix of another. */
  private static final String[] GIT_VERDICTS = {"good", "bad", "skip", "new", "old"};
  private static final Pattern BUILD_ERROR =
      Pattern.compile(
          "^failed to run |: (?:fatal )?(?i:error): |undefined reference to |: Permission denied$"
              + "|No rule to make target|^make(?:\\[\\d+\\])?: \\*\\*\\* ");
  private static final String PERMISSION_DENIED = ": Permission denied";
  /** Lines of git's commit block after "X is the first bad commit" that are not indented. */
  private static final Pattern COMMIT_HEADER =
      Pattern.compile("^(?:commit (" + HASH + ")|Merge: |Author: |AuthorDate: |Commit: |CommitDate: |Date: )");

  /** Parses one bisection record (bytes decoded as ISO-8859-1, one char per byte). Never throws. */
  public static Bisection parse(MemorySegment bytes) {
    int size = (int) Math.min(bytes.byteSize(), Integer.MAX_VALUE - 16);
    // The bytes pass through a per-thread buffer: the String copies them anyway, and a fresh array
    // per record was a fifth of the parser's allocation.
    byte[] scratch = SCRATCH.get(size);
    MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, scratch, 0, size);
    return parse(new String(scratch, 0, size, StandardCharsets.ISO_8859_1), scratch, true);
  }

  /** Its own buffer: the crash parser, called for the log's report, fills another. */
  private static final ScratchBytes SCRATCH = new ScratchBytes();

  /** Parses one bisection record. Never throws. */
  public static Bisection parse(String text) {
    return parse(text, null, isLatin1(text));
  }

  /**
   * @param bytes {@code text}'s bytes when it was decoded from them, or null
   * @param handReaders whether the hand-written line readers may run: only for Latin-1 text
   */
  private static Bisection parse(String text, byte[] bytes, boolean handReaders) {
    try {
      return new Reader(text, bytes, handReaders).read();
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug must not lose the whole scan: an empty record still says "a bisection was here".
      return new Reader("", null, true).read();
    }
  }

  /**
   * Parses with the line patterns alone, never the hand-written line readers: for tests, which
   * check that both read every line alike.
   */
  static Bisection parseWithPatterns(String text) {
    return parse(text, null, false);
  }

  /** The text {@link Bisection#crash()} is parsed from, for tests. */
  static String crashText(String text) {
    return new Reader(text, null, isLatin1(text)).readCrashText();
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

  private static boolean isLatin1(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xff) {
        return false;
      }
    }
    return true;
  }

  /**
   * The mutable state of one parse.
   *
   * <p>Hot path: a log is a million lines per 80 MB, most of them {@code run #N:}, {@code testing
   * commit}, {@code kernel signature:}, git's lines and console output. A line is therefore never
   * copied out of the record unless it is kept: the reader walks offsets into {@link #text}, tells
   * line kinds apart by their first char and a literal prefix, and only then reads the one kind
   * the line can be. The most frequent kinds are read by hand; the rest by their pattern, which is
   * cheap once it runs on the few lines that have its prefix.
   */
  private static final class Reader {
    private final String text;
    /** The record's bytes (its chars, one per byte) when it was read from bytes, else null. */
    private final byte[] bytes;
    /** The last commit hash made a string of (see {@link #commitAt}). */
    private String lastCommit;

    /**
     * Whether the hand-written line readers may be used: they read chars as the patterns do only
     * for Latin-1 text without line terminators inside a line ({@link #plain}).
     */
    private final boolean handReaders;
    /** Whether the record holds a CR or a NEL (U+0085) at all: only then is a line checked for them. */
    private final boolean hasCr;
    private final boolean hasNel;

    /** The current line: [lineStart, lineEnd) without its terminator (nor a CR before its LF). */
    private int lineStart;
    private int lineEnd;
    /** The current line as a string, made on first use: most lines are never needed as one. */
    private String line;

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
    /**
     * The lines that decide the fallback crash report, in order: the start of each console line,
     * and ~start of the first of syzkaller's lines after console lines; see {@link #findFallback}.
     */
    private int[] fallbackLines = new int[64];
    private int fallbackLineCount;
    private int fallbackStart = -1;
    private int fallbackEnd = -1;

    /**
     * @param bytes the record's bytes, at least as many as {@code text} has chars, or null
     * @param handReaders true only when every char of {@code text} is below U+0100
     */
    Reader(String text, byte[] bytes, boolean handReaders) {
      this.text = text;
      this.bytes = bytes;
      this.handReaders = handReaders;
      this.hasCr = text.indexOf('\r') >= 0;
      this.hasNel = text.indexOf('\u0085') >= 0;
    }

    private int recordEnd;

    /** Reads the record and returns the crash text chosen for it (see {@link #crashText}). */
    String readCrashText() {
      read();
      return crashText(recordEnd);
    }

    Bisection read() {
      int length = text.length();
      int start = 0;
      boolean first = true;
      while (start < length) {
        int newline = text.indexOf('\n', start);
        int end = newline < 0 ? length : newline;
        int next = newline < 0 ? length : newline + 1;
        lineStart = start;
        lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
        line = null;
        if (!first && direction != null && (startsBisection(start) || (startsBisection(next) && hostLine()))) {
          break; // the next bisection starts (at this line or at this host line): this record ends here
        }
        first = false;
        line(next);
        start = next;
      }
      recordEnd = start;
      return build(start);
    }

    // ---- the current line, by offsets ----

    /** The current line as a string. */
    private String line() {
      if (line == null) {
        line = text.substring(lineStart, lineEnd);
      }
      return line;
    }

    /** Whether the current line starts with {@code prefix} (which holds no CR or LF). */
    private boolean at(String prefix) {
      return text.startsWith(prefix, lineStart);
    }

    /**
     * Whether the hand-written readers read the current line exactly as the patterns would: the
     * patterns' {@code .} and {@code $} stop at CR and NEL, which never stand inside a line of a
     * real log, but may.
     */
    private boolean plain() {
      return handReaders
          && (!hasCr || text.indexOf('\r', lineStart, lineEnd) < 0)
          && (!hasNel || text.indexOf('\u0085', lineStart, lineEnd) < 0);
    }

    /** Whether the line at {@code at} starts a bisection ({@link BisectionStart#isStart}). */
    private boolean startsBisection(int at) {
      return at < text.length()
          && text.charAt(at) == 'b'
          && (text.startsWith(BisectionStart.CAUSE, at) || text.startsWith(BisectionStart.FIX, at));
    }

    /** {@link BisectionStart#isHostLine} of the current line, without copying it. */
    private boolean hostLine() {
      for (int i = lineStart; i < lineEnd; i++) {
        if (isWhitespace(text.charAt(i))) {
          // the first " starts bisection " follows the first word, or the line is no host line
          return i > lineStart && text.startsWith(" starts bisection ", i);
        }
      }
      return false;
    }

    /** {@link String#isBlank} of the current line. */
    private boolean blank() {
      for (int i = lineStart; i < lineEnd; i++) {
        if (!isWhitespace(text.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /**
     * The commit hash in [from, to), a run of hex digits: the string made for the last one when
     * they are equal. git's
     * title line, the testing line and git's verdict name each commit in turn, and one string saves
     * the copies and their hashing in {@link #commits}.
     */
    private String commitAt(int from, int to) {
      String last = lastCommit;
      if (last != null && last.length() == to - from && text.startsWith(last, from)) {
        return last;
      }
      return lastCommit = text.substring(from, to);
    }

    /** {@link BisectionParser#humanText} of [from, to): ASCII, as nearly all is, is kept as is. */
    private String humanTextAt(int from, int to) {
      if (bytes != null) {
        int bits = 0;
        for (int i = from; i < to; i++) {
          bits |= bytes[i];
        }
        if (bits >= 0) {
          return text.substring(from, to);
        }
      }
      return humanText(text.substring(from, to));
    }

    /** The end of the run of lower-case hex digits at {@code from} (a hash when 7 to 64 long). */
    private int hexEnd(int from) {
      int i = from;
      // Most hashes repeat the one before (git's title, testing and verdict lines name each commit
      // in turn), and that one is all hex digits: one intrinsic compare instead of a char loop.
      String last = lastCommit;
      if (last != null && text.startsWith(last, from)) {
        i += last.length();
      }
      while (i < lineEnd && isHexDigit(text.charAt(i))) {
        i++;
      }
      return i;
    }

    /** The end of the run of chars that are not the patterns' {@code \s} at {@code from}. */
    private int tokenEnd(int from) {
      int i = from;
      while (i < lineEnd && !isPatternSpace(text.charAt(i))) {
        i++;
      }
      return i;
    }

    /** The end of [from, lineEnd) without the patterns' {@code \s} chars at its end; from at least. */
    private int trimmedEnd(int from) {
      int i = lineEnd;
      while (i > from && isPatternSpace(text.charAt(i - 1))) {
        i--;
      }
      return i;
    }

    // ---- line dispatch ----

    private void line(int next) {
      switch (mode) {
        case CRASH -> {
          Matcher m;
          if (at("crash: ") && (m = CRASH.matcher(line())).lookingAt()) {
            crashTitle = emptyToNull(m.group(1));
            crashTextStart = next;
          }
          return;
        }
        case ERROR -> {
          // The message runs on over the lines that follow it (make's usage text, compiler errors)
          // until a line kind of its own: a stray "error:" mid-log must not swallow the builds after it.
          StringBuilder message = error;
          if (structural(next)) {
            if (mode == Mode.ERROR && error == message) {
              mode = Mode.NORMAL;
            }
          } else {
            error.append('\n').append(line());
          }
          return;
        }
        case CANDIDATES -> {
          Matcher m;
          if (lineStart < lineEnd
              && isHexDigit(text.charAt(lineStart))
              && (m = HASH_LINE.matcher(line())).matches()) {
            candidateSink.add(m.group(1));
            commits.add(m.group(1));
            return;
          }
          mode = Mode.NORMAL;
        }
        case CULPRIT_BLOCK -> {
          if (culpritBlockLine()) {
            return;
          }
          mode = Mode.NORMAL;
        }
        case NORMAL -> {}
      }
      if (structural(next)) {
        // the first of syzkaller's lines after console output ends a report in it
        if (fallbackLineCount > 0 && fallbackLines[fallbackLineCount - 1] >= 0) {
          addFallbackLine(~lineStart);
        }
      } else {
        other();
      }
    }

    private void addFallbackLine(int line) {
      if (fallbackLineCount == fallbackLines.length) {
        fallbackLines = Arrays.copyOf(fallbackLines, fallbackLineCount * 2);
      }
      fallbackLines[fallbackLineCount++] = line;
    }

    /**
     * Reads one of syzkaller's own lines; false for any other line. Each kind is tried only on lines
     * with its literal prefix, and no two kinds share one, so at most one kind is ever tried.
     */
    private boolean structural(int next) {
      if (lineStart == lineEnd) {
        return false;
      }
      Matcher m;
      switch (text.charAt(lineStart)) {
        case 'a' -> {
          if (at("all runs: ")) {
            if (plain()) {
              return verdict(null, lineStart + "all runs: ".length(), lineEnd);
            }
            if ((m = ALL_RUNS.matcher(line())).matches()) {
              return verdict(null, lineStart + m.start(1), lineStart + m.end(1));
            }
          }
        }
        case 'b' -> {
          if (at("bisecting ") && (m = START_COMMIT.matcher(line())).lookingAt()) {
            direction = m.group(1).equals("cause") ? Bisection.CAUSE : Bisection.FIX;
            startCommit = m.group(2);
            commits.add(startCommit);
            return true;
          }
          if (at("building syzkaller on ") && (m = SYZKALLER.matcher(line())).lookingAt()) {
            syzkallerCommit = m.group(1);
            return true;
          }
          if (at("bisection is inconclusive") && INCONCLUSIVE.matcher(line()).lookingAt()) {
            result = Bisection.INCONCLUSIVE;
            summaryCandidates = new ArrayList<>();
            candidateSink = summaryCandidates;
            mode = Mode.CANDIDATES;
            return true;
          }
        }
        case 'c' -> {
          if (at("compiler: ")) {
            if (plain()) {
              int from = lineStart + "compiler: ".length();
              return compiler(text.substring(from, trimmedEnd(from)));
            }
            if ((m = COMPILER.matcher(line())).lookingAt()) {
              return compiler(m.group(1));
            }
          }
          if (at("crash: ") && (m = CRASH.matcher(line())).lookingAt()) {
            crashTitle = emptyToNull(m.group(1));
            crashTextStart = next;
            mode = Mode.CRASH;
            return true;
          }
          if (at("culprit signature: ") && (m = CULPRIT_SIGNATURE.matcher(line())).lookingAt()) {
            culpritSignature = m.group(1);
            return true;
          }
          if (at("cc: [") && recipientsLine("cc: [".length())) {
            return true;
          }
          if (at("commit msg: ") && (m = COMMIT_MSG.matcher(line())).lookingAt()) {
            commitMessage = humanText(m.group(1));
            return true;
          }
          if (at("crash still ") && NOT_FIXED.matcher(line()).lookingAt()) {
            result = Bisection.NOT_FIXED;
            return true;
          }
        }
        case 'e' -> {
          if (at("ensuring ") && (m = ORIGINAL.matcher(line())).lookingAt()) {
            commits.add(m.group(1));
            return true;
          }
          if (at("error: ") && (m = ERROR.matcher(line())).matches()) {
            result = Bisection.ERROR;
            error = new StringBuilder(m.group(1));
            mode = Mode.ERROR;
            return true;
          }
        }
        case 'f' -> {
          if (at("first ") && (m = FIRST_COMMIT.matcher(line())).matches()) {
            culprit = m.group(1);
            culpritTitle = m.group(2) == null ? null : humanText(m.group(2));
            commits.add(culprit);
            result = Bisection.CULPRIT;
            return true;
          }
          if (current != null && at("failed: ") && BARE_VERDICT.matcher(line()).matches()) {
            return verdict(null, lineStart, lineEnd);
          }
        }
        case 'i' -> {
          if (current != null && at("infra problem: ") && BARE_VERDICT.matcher(line()).matches()) {
            return verdict(null, lineStart, lineEnd);
          }
          if (at("instances tested: ") && (m = TOTALS.matcher(line())).matches()) {
            return totals(m);
          }
        }
        case 'k' -> {
          if (at("kernel signature:")) {
            if (plain()) {
              int from = lineStart + "kernel signature:".length();
              int hash = from;
              while (hash < lineEnd && isPatternSpace(text.charAt(hash))) {
                hash++;
              }
              if (hash > from && hash < lineEnd) {
                return kernelSignature(text.substring(hash, tokenEnd(hash)));
              }
            } else if ((m = KERNEL_SIGNATURE.matcher(line())).lookingAt()) {
              return kernelSignature(m.group(1));
            }
          }
        }
        case 'o' -> {
          if (at("oldest ") && OLDEST.matcher(line()).lookingAt()) {
            result = Bisection.OLDEST_RELEASE;
            return true;
          }
        }
        case 'p' -> {
          if ((at("parent") || at("previous")) && (m = PARENT_SIGNATURE.matcher(line())).lookingAt()) {
            parentSignature = m.group(1);
            return true;
          }
          if (at("parent commit ") && (m = PARENT_COMMIT.matcher(line())).lookingAt()) {
            commits.add(m.group(1));
            return true;
          }
        }
        case 'r' -> {
          if (at("run #")) {
            if (runLine()) {
              return true;
            }
          } else if ((at("recipients (to): [") || at("recipients (cc): [")) && recipientsLine("recipients (to): [".length())) {
            return true;
          } else if (at("revisions tested: ") && (m = TOTALS.matcher(line())).matches()) {
            return totals(m);
          } else if (at("representative crash: ") && (m = REPRESENTATIVE.matcher(line())).matches()) {
            if (current != null) {
              current.representativeCrash = emptyToNull(m.group(1));
            }
            return true;
          } else if (flakyLine()) {
            return true;
          }
        }
        case 't' -> {
          if (at("testing commit ")) {
            if (testingLine()) {
              return true;
            }
          } else if (at("testing release ") && (m = RELEASE.matcher(line())).lookingAt()) {
            pendingRelease = m.group(1);
            return true;
          } else if (at("try #")) {
            if (runLine()) {
              return true;
            }
          } else if (at("testing current HEAD ") && (m = ORIGINAL.matcher(line())).lookingAt()) {
            commits.add(m.group(1));
            return true;
          } else if (at("the crash already ") && OLDEST.matcher(line()).lookingAt()) {
            result = Bisection.OLDEST_RELEASE;
            return true;
          } else if (at("the crash still ") && NOT_FIXED.matcher(line()).lookingAt()) {
            result = Bisection.NOT_FIXED;
            return true;
          }
        }
        case '#' -> {
          if (at("# git bisect ")) {
            if (gitVerdictLine()) {
              return true;
            }
            if (at("# git bisect start ") && (m = GIT_START.matcher(line())).lookingAt()) {
              addIfHash(m.group(1));
              addIfHash(m.group(2));
              return true;
            }
          }
        }
        case '[' -> {
          if (gitTitleLine()) {
            return true;
          }
        }
        case 'T' -> {
          if (at("The first ") && GIT_ANY_OF.matcher(line()).lookingAt()) {
            gitCandidates = new ArrayList<>();
            candidateSink = gitCandidates;
            mode = Mode.CANDIDATES;
            return true;
          }
        }
        case 'R' -> {
          if (flakyLine()) {
            return true;
          }
        }
        default -> {}
      }
      if (hostLine() && (m = HOST_LINE.matcher(line())).matches()) {
        host = m.group(1);
        startedAt = m.group(2);
        return true;
      }
      if (isHexDigit(text.charAt(lineStart))
          && text.startsWith(" is the first ", hexEnd(lineStart))
          && (m = GIT_FIRST.matcher(line())).matches()) {
        gitCulprit = m.group(1);
        commits.add(gitCulprit);
        mode = Mode.CULPRIT_BLOCK;
        culpritMessageStarted = false;
        afterGitCulprit = true;
        return true;
      }
      return ignored();
    }

    // ---- the hand-written readers of the frequent kinds; each reads its pattern's groups ----

    /** {@link #RUN}: {@code run #N: <verdict>} or {@code try #N: <verdict>}. */
    private boolean runLine() {
      if (!plain()) {
        Matcher m = RUN.matcher(line());
        return m.matches()
            && verdict(runNumber(lineStart + m.start(1), lineStart + m.end(1)), lineStart + m.start(2), lineEnd);
      }
      int digits = lineStart + "run #".length();
      int digitsEnd = digits;
      while (digitsEnd < lineEnd && isDigit(text.charAt(digitsEnd))) {
        digitsEnd++;
      }
      return digitsEnd > digits
          && text.startsWith(": ", digitsEnd)
          && verdict(runNumber(digits, digitsEnd), digitsEnd + 2, lineEnd);
    }

    /** {@link #TESTING_COMMIT}: {@code testing commit <hash>[ with <compiler>| <compiler type>]}. */
    private boolean testingLine() {
      if (!plain()) {
        Matcher m = TESTING_COMMIT.matcher(line());
        return m.matches() && testing(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
      }
      int hash = lineStart + "testing commit ".length();
      int hashEnd = hexEnd(hash);
      if (!isHashLength(hashEnd - hash)) {
        return false;
      }
      int contentEnd = trimmedEnd(hashEnd);
      String compiler;
      if (text.startsWith(" with ", hashEnd) && hashEnd + " with ".length() < lineEnd) {
        // " with (.+?)\s*$": at least one char, then up to the last non-space
        int from = hashEnd + " with ".length();
        compiler = text.substring(from, Math.max(from + 1, contentEnd));
      } else if (hashEnd + 1 < lineEnd && text.charAt(hashEnd) == ' ' && !isPatternSpace(text.charAt(hashEnd + 1))) {
        compiler = text.substring(hashEnd + 1, contentEnd); // " (\S.*?)\s*$"
      } else if (contentEnd == hashEnd) {
        compiler = null; // only spaces after the hash
      } else {
        return false;
      }
      return testing(commitAt(hash, hashEnd), compiler);
    }

    /** {@link #GIT_VERDICT}: {@code # git bisect good|bad|skip|new|old <hash>}. */
    private boolean gitVerdictLine() {
      if (!plain()) {
        Matcher m = GIT_VERDICT.matcher(line());
        if (m.lookingAt()) {
          gitVerdict(m.group(1), m.group(2));
          return true;
        }
        return false;
      }
      int word = lineStart + "# git bisect ".length();
      for (String verdict : GIT_VERDICTS) {
        if (text.startsWith(verdict, word) && text.startsWith(" ", word + verdict.length())) {
          int hash = word + verdict.length() + 1;
          int hashEnd = hexEnd(hash);
          if (isHashLength(hashEnd - hash) && (hashEnd == lineEnd || !isWordChar(text.charAt(hashEnd)))) {
            gitVerdict(verdict, commitAt(hash, hashEnd));
            return true;
          }
          return false;
        }
      }
      return false;
    }

    /** {@link #GIT_TITLE}: {@code [<hash>] <title>}. */
    private boolean gitTitleLine() {
      String hash;
      int title;
      if (plain()) {
        int hashEnd = hexEnd(lineStart + 1);
        if (!isHashLength(hashEnd - lineStart - 1) || !text.startsWith("] ", hashEnd)) {
          return false;
        }
        hash = commitAt(lineStart + 1, hashEnd);
        title = hashEnd + 2;
      } else {
        Matcher m = GIT_TITLE.matcher(line());
        if (!m.matches()) {
          return false;
        }
        hash = m.group(1);
        title = lineStart + m.start(2);
      }
      lastTitleCommit = hash;
      lastTitle = humanTextAt(title, lineEnd);
      commits.add(lastTitleCommit);
      return true;
    }

    /** {@link #FLAKY}: a line about the reproducer that says it is flaky. */
    private boolean flakyLine() {
      // regionMatches ignores case in more ways than the pattern's ASCII (?i): a superset, so a
      // fast test that never skips a line the pattern would match
      if (text.regionMatches(true, lineStart, "reproducer", 0, "reproducer".length())
          && FLAKY.matcher(line()).find()) {
        flaky = true;
        return true;
      }
      return false;
    }

    /** {@link #IGNORED_PREFIXES}: syzkaller's lines that carry nothing this record keeps. */
    private boolean ignored() {
      char first = text.charAt(lineStart);
      for (String prefix : IGNORED_PREFIXES) {
        if (prefix.charAt(0) == first && at(prefix)) {
          return true;
        }
      }
      if (at("picked ")) {
        // "picked \d+ out of "
        int digits = lineStart + "picked ".length();
        int digitsEnd = digits;
        while (digitsEnd < lineEnd && isDigit(text.charAt(digitsEnd))) {
          digitsEnd++;
        }
        return digitsEnd > digits && text.startsWith(" out of ", digitsEnd);
      }
      return false;
    }

    /**
     * {@link #BUILD_ERROR}: a build prints long lines (compiler command lines), on which the pattern
     * would try its six branches at every char; by hand it is a few searches for its literals.
     */
    private boolean buildErrorLine() {
      if (!plain()) {
        return BUILD_ERROR.matcher(line()).find();
      }
      if (at("failed to run ")
          || text.indexOf("undefined reference to ", lineStart, lineEnd) >= 0
          || text.indexOf("No rule to make target", lineStart, lineEnd) >= 0
          || (lineEnd - lineStart >= PERMISSION_DENIED.length() && text.startsWith(PERMISSION_DENIED, lineEnd - PERMISSION_DENIED.length()))) {
        return true;
      }
      if (at("make")) {
        // "make(?:\[\d+\])?: \*\*\* "
        int i = lineStart + "make".length();
        if (i < lineEnd && text.charAt(i) == '[') {
          int digits = ++i;
          while (i < lineEnd && isDigit(text.charAt(i))) {
            i++;
          }
          i = i > digits && i < lineEnd && text.charAt(i) == ']' ? i + 1 : -1;
        }
        if (i >= 0 && text.startsWith(": *** ", i)) {
          return true;
        }
      }
      // ": (?:fatal )?(?i:error): ", the error word in either case of ASCII
      for (int colon = text.indexOf(": ", lineStart, lineEnd); colon >= 0; colon = text.indexOf(": ", colon + 1, lineEnd)) {
        int word = colon + 2;
        if (text.startsWith("fatal ", word)) {
          word += "fatal ".length();
        }
        if (word + "error: ".length() <= lineEnd
            && (text.charAt(word) | 0x20) == 'e'
            && (text.charAt(word + 1) | 0x20) == 'r'
            && (text.charAt(word + 2) | 0x20) == 'r'
            && (text.charAt(word + 3) | 0x20) == 'o'
            && (text.charAt(word + 4) | 0x20) == 'r'
            && text.startsWith(": ", word + 5)) {
          return true;
        }
      }
      return false;
    }

    // ---- what the lines set ----

    /** The number of a run line; throws, as Integer.valueOf does, for more digits than an int holds. */
    private Integer runNumber(int from, int to) {
      if (to - from > 9) {
        return Integer.valueOf(text.substring(from, to));
      }
      int n = 0;
      for (int i = from; i < to; i++) {
        n = n * 10 + (text.charAt(i) - '0');
      }
      return n;
    }

    private boolean compiler(String compiler) {
      if (current != null) {
        current.compiler = compiler;
      }
      return true;
    }

    private boolean kernelSignature(String signature) {
      kernelSignatures.add(signature);
      if (afterGitCulprit) {
        // 2019-20 logs: "kernel signature:   X" right after git's culprit block is the
        // culprit's, with "previous signature:" its parent's.
        culpritSignature = signature;
      } else if (current != null) {
        current.kernelSignature = signature;
      }
      return true;
    }

    private boolean testing(String commit, String compiler) {
      Tested t = new Tested();
      t.commit = commit;
      t.compiler = compiler;
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

    /** A verdict of the current build: the text in [from, to) of the record. */
    private boolean verdict(Integer run, int from, int to) {
      if (current != null) {
        current.runs.add(RunVerdict.of(run, text, from, to));
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

    /** {@link #RECIPIENTS}, whose list starts {@code listOffset} chars into the line. */
    private boolean recipientsLine(int listOffset) {
      if (!plain()) {
        Matcher m = RECIPIENTS.matcher(line());
        return m.matches() && recipients(line(), m.start(1), m.end(1));
      }
      // "\[(.*)\]\s*$": the list runs to the last non-space char, which must be ']'
      int list = lineStart + listOffset;
      int end = trimmedEnd(list);
      return end > list && text.charAt(end - 1) == ']' && recipients(text, list, end - 1);
    }

    /**
     * Adds the emails of the Go-quoted strings in [from, to) of {@code s} ("((?:[^"\\]|\\.)*)"}: a
     * backslash escapes the char after it; the list holds no line terminator, so every char counts).
     */
    private boolean recipients(String s, int from, int to) {
      int quote = s.indexOf('"', from, to);
      while (quote >= 0) {
        int i = quote + 1;
        while (i < to && s.charAt(i) != '"') {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        if (i < to) {
          String email = unquote(s.substring(quote + 1, i)).strip();
          if (!email.isEmpty()) {
            recipients.add(email);
          }
          quote = s.indexOf('"', i + 1, to);
        } else {
          // no closing quote from here: the next quote may open one
          quote = s.indexOf('"', quote + 1, to);
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
    private boolean culpritBlockLine() {
      if (lineStart < lineEnd && (text.charAt(lineStart) == ' ' || text.charAt(lineStart) == '\t')) {
        // the message and the diffstat, which for a merge can run to thousands of lines
        if (!culpritMessageStarted && at("    ") && !blank()) {
          culpritMessageStarted = true;
          gitCulpritTitle = humanText(line().strip());
        }
        return true;
      }
      if (blank()) {
        return true;
      }
      String line = line();
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
    private void other() {
      if (current != null
          && current.buildError == null
          && current.kernelSignature == null
          && current.runs.isEmpty()
          && buildErrorLine()) {
        current.buildError = line().strip();
        return;
      }
      addFallbackLine(lineStart);
    }

    /**
     * Finds the last crash report in the console output, for a log without a {@code crash:} line:
     * from its oops line to the next line of syzkaller's own. The lines were only noted while
     * reading: most logs have a crash: line, and then no console line needs a search for an oops.
     */
    private void findFallback() {
      for (int i = 0; i < fallbackLineCount; i++) {
        int start = fallbackLines[i];
        if (start < 0) {
          if (fallbackStart >= 0 && fallbackEnd < 0) {
            fallbackEnd = ~start;
          }
          continue;
        }
        int newline = text.indexOf('\n', start);
        int end = newline < 0 ? text.length() : newline;
        if (end > start && text.charAt(end - 1) == '\r') {
          end--;
        }
        String line = text.substring(start, end);
        if (OopsHeader.find(line) != null) {
          boolean continues = fallbackStart >= 0 && fallbackEnd < 0 && OopsHeader.continuesReport(line);
          if (!continues) {
            fallbackStart = start;
            fallbackEnd = -1;
          }
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
      if (crashTextStart < 0) {
        findFallback();
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

  /** {@link Character#isWhitespace}, which is false for every char in (' ', U+1680): most skip the call. */
  private static boolean isWhitespace(char c) {
    return (c <= ' ' || c >= '\u1680') && Character.isWhitespace(c);
  }

  /** [0-9a-f]: the chars of {@link #HASH}. */
  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /** The length of a {@link #HASH}. */
  private static boolean isHashLength(int length) {
    return length >= 7 && length <= 64;
  }

  /** The patterns' {@code \d}. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The patterns' {@code \s} (ASCII only, as without UNICODE_CHARACTER_CLASS). */
  private static boolean isPatternSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** A word char of the patterns' {@code \b} (ASCII {@code \w} since JDK 19). */
  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
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
