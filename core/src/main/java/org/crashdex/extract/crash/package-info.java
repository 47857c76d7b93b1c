/**
 * Crash reports: finding the first one in a console log and naming it as syzkaller and syzbot do.
 *
 * <p>A title such as "KASAN: use-after-free Read in tcp_close" is the key by which a crash is
 * searched, grouped with its duplicates and matched to a bug on the syzbot dashboard; a title
 * that differs by one word splits a bug in two. The rules reproduced here are syzkaller's
 * ({@code pkg/report/linux.go}), as the shared spec {@code crash-titles.md} describes them.
 *
 * <h2>From log to title</h2>
 *
 * <ol>
 *   <li>{@link org.crashdex.extract.crash.ReportLocator} finds the first oops line (a line with
 *       one of the headers of {@link org.crashdex.scan.OopsHeader}) and collects the report: the
 *       later lines of the same console context, without the unwinder's questionable " ? " frames.
 *       Without caller ids, the text a title is formed from ends where another report starts.
 *   <li>{@link org.crashdex.extract.crash.TitleEngine} tries the
 *       {@link org.crashdex.extract.crash.TitleFormats} of that header family; the earliest match
 *       wins. A format's {@link org.crashdex.extract.crash.StackRecipe} finds the function the
 *       title names: from the header, the RIP line, the Call Trace, a lockdep "at:" line …,
 *       passing over the helpers of {@link org.crashdex.extract.crash.FrameSkips} and stripping a
 *       syscall prefix ({@link org.crashdex.extract.crash.FrameNames}). Stalls and hung tasks use
 *       their own {@link org.crashdex.extract.crash.FrameExtractors}.
 *   <li>{@link org.crashdex.extract.crash.TitleNormalizer} replaces what differs between runs
 *       (addresses, numbers, line numbers, pids) and cuts the title to 120 bytes.
 *   <li>A report is <em>corrupted</em> when no frame could be named, its format says so, or it
 *       lacks a real stack ({@link org.crashdex.extract.crash.StackCheck}); syzbot files those
 *       apart. {@link org.crashdex.extract.crash.CrashTypes} gives the crash type of a title.
 * </ol>
 *
 * <p>Besides syzkaller's own alternative titles, {@link org.crashdex.extract.crash.LegacyTitles}
 * adds the names older syzkaller versions gave the same crash, because syzbot's bugs keep the
 * title they were first reported under.
 *
 * <p>Published syzbot reports are symbolised ("f file.c:12 [inline]" lines, "file.c:N" after each
 * frame). Titles come from the raw log, so those additions are read past.
 *
 * <p>{@link org.crashdex.extract.crash.CrashReportParser} is the entry point; it also fills the
 * record's frames, files, guilty file and kernel facts ({@link
 * org.crashdex.extract.crash.StackFrames}, {@link org.crashdex.extract.crash.GuiltyFile}, {@link
 * org.crashdex.extract.crash.KernelFacts}). It never throws: damaged input gives a corrupted
 * report or none.
 */
package org.crashdex.extract.crash;
