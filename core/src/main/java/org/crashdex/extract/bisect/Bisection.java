package org.crashdex.extract.bisect;

import java.util.List;
import org.crashdex.extract.crash.CrashReport;

/**
 * The fields of one syzbot bisection log.
 *
 * <p>Absent scalars are {@code null}, absent lists are empty. Commit hashes, signatures and
 * durations are kept exactly as printed. Free text written by people (commit titles, authors,
 * commit messages) is re-read as UTF-8 when its bytes are valid UTF-8, since git stores them so; all
 * other text keeps one char per byte.
 *
 * <h2>Result vocabulary</h2>
 *
 * <ul>
 *   <li>{@value #CULPRIT}: one commit was found ({@code first bad commit:} / {@code first good
 *       commit:}, or git's {@code <commit> is the first bad commit} in a log cut short); see
 *       {@link #culprit()}.
 *   <li>{@value #INCONCLUSIVE}: several commits remain ({@code bisection is inconclusive, the first
 *       bad commit could be any of:}, or git's {@code The first bad commit could be any of:});
 *       see {@link #candidates()}.
 *   <li>{@value #OLDEST_RELEASE}: a cause bisection found the crash already on the oldest
 *       release it tested ({@code the crash already happened on the oldest tested release}, newer
 *       {@code oldest tested release already had the bug}).
 *   <li>{@value #NOT_FIXED}: a fix bisection found the crash still on HEAD ({@code crash still not
 *       fixed}, {@code the crash still happens on HEAD}).
 *   <li>{@value #ERROR}: the bisection stopped on an {@code error:} line, or the record is nothing but
 *       an error message (syzbot's stored error of a bisection that failed before it logged
 *       anything); see {@link #error()}.
 *   <li>{@code null}: the log says nothing about its outcome (cut short).
 * </ul>
 *
 * @param direction {@value #CAUSE} or {@value #FIX}, from the {@code bisecting ...} line; null when
 *     the record has none
 * @param host the host of {@code <host> starts bisection <time>}, e.g. "ci2"
 * @param startedAt the time of that line as printed, without Go's monotonic clock suffix
 *     ({@code m=+...})
 * @param startCommit the commit the bisection started from (cause) or since (fix)
 * @param syzkallerCommit the syzkaller commit of {@code building syzkaller on}
 * @param result see the vocabulary above
 * @param culprit the one first bad (cause) or first good (fix) commit, or null
 * @param candidates every commit when the log says the culprit "could be any of"; else empty
 * @param culpritTitle the culprit's title
 * @param culpritAuthor the culprit's {@code Author:} as printed, "Name &lt;email&gt;"
 * @param culpritDate the culprit's {@code Date:} as printed
 * @param culpritSignature the {@code culprit signature:} hash
 * @param parentSignature the {@code parent  signature:} hash
 * @param commitMessage the {@code commit msg:} line's value (the release a result points at)
 * @param revisionsTested N of {@code revisions tested: N} (newer: {@code instances tested})
 * @param totalTime the total time, as printed, e.g. "4h11m24.366411006s"
 * @param buildTime the build time, as printed
 * @param testTime the test time, as printed
 * @param recipients the emails of the {@code cc:} or {@code recipients (to|cc):} lists, unquoted, in
 *     order, without duplicates
 * @param error the message of the {@code error:} line with any lines that continue it, or null
 * @param flaky whether the log says the reproducer is flaky
 * @param crashTitle the title of the last {@code crash: <title>} line
 * @param kernelSignatures every distinct {@code kernel signature:} hash, in order
 * @param commits every distinct kernel commit hash the log names in a role (start, original,
 *     HEAD, tested, git bisect start/good/bad/skip, git's {@code [hash]} lines, culprit, parent,
 *     candidates), in order of first mention; not hashes inside commit messages, not the
 *     syzkaller commit
 * @param tested one entry per {@code testing commit} line, in order
 * @param crash the crash report after the last {@code crash:} line (or, without one, the last crash
 *     report in the log), or null
 */
public record Bisection(
    String direction,
    String host,
    String startedAt,
    String startCommit,
    String syzkallerCommit,
    String result,
    String culprit,
    List<String> candidates,
    String culpritTitle,
    String culpritAuthor,
    String culpritDate,
    String culpritSignature,
    String parentSignature,
    String commitMessage,
    Integer revisionsTested,
    String totalTime,
    String buildTime,
    String testTime,
    List<String> recipients,
    String error,
    boolean flaky,
    String crashTitle,
    List<String> kernelSignatures,
    List<String> commits,
    List<TestedCommit> tested,
    CrashReport crash) {

  public static final String CAUSE = "cause";
  public static final String FIX = "fix";

  public static final String CULPRIT = "culprit";
  public static final String INCONCLUSIVE = "inconclusive";
  public static final String OLDEST_RELEASE = "oldest release already had the bug";
  public static final String NOT_FIXED = "crash still not fixed";
  public static final String ERROR = "error";

  public Bisection {
    candidates = List.copyOf(candidates);
    recipients = List.copyOf(recipients);
    kernelSignatures = List.copyOf(kernelSignatures);
    commits = List.copyOf(commits);
    tested = List.copyOf(tested);
  }
}
