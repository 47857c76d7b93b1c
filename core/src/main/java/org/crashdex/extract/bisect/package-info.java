/**
 * Bisection logs: what syzbot's bisections say, as fields that can be searched and compared.
 *
 * <p>syzbot bisects a crash to the commit that introduced it (a <em>cause</em> bisection) or fixed
 * it (a <em>fix</em> bisection) and keeps a plain-text log of the run. The log answers two
 * questions: which commit, and how sure are we. The first is in its summary ({@code first bad
 * commit:}, or several commits that {@code could be any of}); the second is spread over every build
 * it tested: the run verdicts, the builds that failed, the commits git had to skip, the kernel
 * signatures that show two builds were byte-identical.
 *
 * <p>{@link org.crashdex.extract.bisect.BisectionParser} reads one log into a
 * {@link org.crashdex.extract.bisect.Bisection}, with one
 * {@link org.crashdex.extract.bisect.TestedCommit} per build and one
 * {@link org.crashdex.extract.bisect.RunVerdict} per test run. The crash report a log ends with is
 * handed to the crash-report parser ({@link org.crashdex.extract.crash}).
 * {@link org.crashdex.extract.bisect.BisectionStart} holds the rule for where one bisection ends and
 * the next begins, shared with the record scanner.
 *
 * <h2>Format generations</h2>
 *
 * The log format changed over the years, and an archive holds all of them:
 *
 * <ul>
 *   <li>2018: {@code try #N:} verdicts; {@code testing commit X with gcc (GCC) 5.5.0}.
 *   <li>2019 to mid-2021: {@code testing commit X with gcc (GCC) 8.1.0}, {@code run #N:} and
 *       {@code all runs:}, 40-hex kernel signatures, a {@code kernel signature:}/{@code previous
 *       signature:} pair after git's culprit block, {@code cc: [...]}.
 *   <li>2021-22: a bare {@code testing commit X} followed by {@code compiler: ...}, 64-hex
 *       signatures, {@code culprit signature:}/{@code parent  signature:}, {@code recipients (to):}
 *       and {@code recipients (cc):}.
 *   <li>2022 on: a {@code <host> starts bisection <time>} line first, {@code testing commit X gcc}
 *       (the compiler type), and in newer syzkaller {@code representative crash:},
 *       {@code instances tested:}, probability lines.
 * </ul>
 *
 * Each line kind is recognised by its own first words wherever it stands, so a field is read the
 * same way in every generation and a line kind a generation lacks just leaves its field empty.
 * Everything between syzkaller's lines (kernel console output, ssh noise, build output, git's
 * commit message) is read only where it belongs to a field: the culprit's author, date and title,
 * the first build error of a failed build, an error message that runs over several lines.
 *
 * <h2>Bytes</h2>
 *
 * Logs hold raw bytes (console output, authors' names in UTF-8, broken UTF-8). A record is decoded
 * as ISO-8859-1, one char per byte, so parsing never fails on bytes; lines may end in CRLF. Only
 * text people wrote (names, commit titles) is re-read as UTF-8 when its bytes allow.
 */
package org.crashdex.extract.bisect;
