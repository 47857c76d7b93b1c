package org.crashdex.extract.bisect;

import java.util.List;

/**
 * One kernel build the bisection tested: a {@code testing commit} line and the lines that follow it
 * up to the next one.
 *
 * @param commit the commit hash
 * @param title the commit title from git's {@code [hash] title} line just before, or null
 * @param release the tag of a {@code testing release <tag>} line just before, or null
 * @param compiler the {@code compiler:} line's value; for logs without one, the compiler of
 *     {@code testing commit X with <compiler>} or the bare type of {@code testing commit X gcc}
 * @param kernelSignature the {@code kernel signature:} hash, or null (older logs, failed builds)
 * @param runs the run verdicts in order; empty when the build failed
 * @param gitVerdict good, bad or skip from the {@code # git bisect <verdict> <commit>} line that
 *     names this commit, or null (release tests and the original commit precede git bisect)
 * @param buildError the first build failure line ({@code failed to run ...}, a compiler
 *     {@code error:}, an {@code undefined reference}), or null
 * @param representativeCrash the title of a {@code representative crash:} line, or null
 */
public record TestedCommit(
    String commit,
    String title,
    String release,
    String compiler,
    String kernelSignature,
    List<RunVerdict> runs,
    String gitVerdict,
    String buildError,
    String representativeCrash) {

  public TestedCommit {
    runs = List.copyOf(runs);
  }
}
