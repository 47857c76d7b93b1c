package org.crashdex.source;

import java.util.Objects;

/**
 * What a syz-manager crash directory ({@code <workdir>/crashes/<id>/}) says about one of its {@code
 * log<N>} or {@code report<N>} files.
 *
 * @param crashId the directory's name: the SHA-1 of the crash title, what fuzzing operators call a crash by
 * @param description the title syz-manager gave the crash (first line of {@code description})
 * @param tag the manager's tag for this occurrence (first line of {@code tag<N>}, often a kernel
 *     commit), or null when there is no tag file
 * @param occurrence N of {@code log<N>} / {@code report<N>}
 * @param file {@code "log"} (console output) or {@code "report"} (the report syz-manager extracted)
 */
public record WorkdirCrash(String crashId, String description, String tag, int occurrence, String file) {

  /**
   * Whether a title crashdex recomputed for a record of this file differs from the directory's
   * description: null (no crash found) differs from any description.
   */
  public boolean titleDiffers(String recomputedTitle) {
    return !Objects.equals(description, recomputedTitle);
  }
}
