package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a title format finds the frame it names (spec §4, "Recipe R"): a list of steps run over the
 * report text from the title match on.
 *
 * <ul>
 *   <li>A <em>line step</em> (a regex) advances to the first line it matches; the functions its
 *       groups capture become candidates.
 *   <li>A <em>stack step</em> ({@link #STACK}) collects frame lines until a stack-start marker, or
 *       until the next step matches (whose captures are then taken and whose turn is over).
 * </ul>
 *
 * <p>Candidates whose raw name matches the skip list are dropped; the extractor picks one of the
 * rest (the first, unless the format says otherwise). A fault-injection frame ("should_fail…+0x")
 * aborts the current step and flags the result as untrustworthy; formats with a fallback recipe
 * then try that one.
 */
final class StackRecipe {

  /** The stack step. */
  static final Pattern STACK = null;

  /** One chosen frame: what the title prints, and the name as the stack had it. */
  record Frame(String canonical, String raw) {}

  /** The frames of a run (one per stack section), and whether no fault-injection frame got in the way. */
  record Result(List<Frame> frames, boolean trustworthy) {
    boolean found() {
      for (Frame f : frames) {
        if (f.canonical().isEmpty()) {
          return false;
        }
      }
      return !frames.isEmpty();
    }
  }

  /** A frame an extractor chose: the name the title prints and the candidate it came from. */
  record Pick(String name, int index) {}

  /** Picks the frame a title names from the candidates, given with syscall prefixes stripped. */
  interface Extractor {
    /** The chosen frame, or null when none of the candidates will do. */
    Pick pick(List<String> stripped);
  }

  /** The default extractor: the first candidate. */
  static final Extractor FIRST = stripped -> stripped.isEmpty() ? null : new Pick(stripped.get(0), 0);

  private final Pattern[] parts;
  private final Pattern[] fallback;
  private final FrameSkips.Matcher skip;
  private final Extractor extractor;
  /** Per step, the literals a line must hold for the step's regex to match ({@link FrameLines#requiredLiterals}). */
  private final String[][] partLiterals;
  private final String[][] fallbackLiterals;

  /** The format's own skip entries (list A7), kept to build the {@link #olderSkips} twin. */
  private final String[] extraSkips;

  private StackRecipe(
      Pattern[] parts, Pattern[] fallback, FrameSkips.Matcher skip, String[] extraSkips, Extractor extractor) {
    this.parts = parts;
    this.fallback = fallback;
    this.skip = skip;
    this.extraSkips = extraSkips;
    this.extractor = extractor;
    this.partLiterals = literals(parts);
    this.fallbackLiterals = literals(fallback);
  }

  private static String[][] literals(Pattern[] steps) {
    if (steps == null) {
      return null;
    }
    String[][] out = new String[steps.length][];
    for (int i = 0; i < steps.length; i++) {
      out[i] = steps[i] == STACK ? null : FrameLines.requiredLiterals(steps[i]);
    }
    return out;
  }

  static StackRecipe of(Pattern... parts) {
    return new StackRecipe(parts, null, FrameSkips.global(), new String[0], FIRST);
  }

  StackRecipe fallback(Pattern... parts2) {
    return new StackRecipe(parts, parts2, skip, extraSkips, extractor);
  }

  StackRecipe skip(String... extra) {
    return new StackRecipe(parts, fallback, FrameSkips.with(extra), extra, extractor);
  }

  StackRecipe extractor(Extractor e) {
    return new StackRecipe(parts, fallback, skip, extraSkips, e);
  }

  /** The recipe with no skip list at all (what syzkaller's first versions did). */
  StackRecipe unskipped() {
    StackRecipe u = unskipped;
    if (u == null) {
      // Built once per recipe: every crash with legacy titles asks for it. A race builds it twice.
      u = new StackRecipe(parts, fallback, FrameSkips.nothing(), extraSkips, FIRST);
      unskipped = u;
    }
    return u;
  }

  private StackRecipe unskipped;

  /**
   * The recipe as syzkaller's earlier parser ran it: the global skip list without its later
   * additions ({@link FrameSkips#LATER_ADDITIONS}), the format's own entries kept, and the first
   * frame the list leaves chosen (the stall and hung-task extractors came later; hung tasks skipped
   * the extractor's words, without its preference for rtnl_lock and synchronize_rcu).
   */
  StackRecipe olderSkips() {
    StackRecipe o = olderSkips;
    if (o == null) {
      // Built once per recipe, like the unskipped twin.
      String[] extra = extraSkips;
      if (extractor == FrameExtractors.HUNG_TASK) {
        // Before the hung-task extractor, its skip words were the format's own skip entries.
        List<String> all = new ArrayList<>(Arrays.asList(extraSkips));
        all.addAll(FrameExtractors.hungSkips());
        extra = all.toArray(new String[0]);
      }
      o = new StackRecipe(parts, fallback, FrameSkips.olderWith(extra), extraSkips, FIRST);
      olderSkips = o;
    }
    return o;
  }

  private StackRecipe olderSkips;

  /** Runs the recipe over {@code lines} (the report lines from the title match on). */
  Result run(TitleEngine.LazyLines lines) {
    return run(lines, new StackRecipe[] {this})[0];
  }

  /**
   * Runs this recipe and its {@link #unskipped} and {@link #olderSkips} twins over {@code lines} in
   * one walk: the steps and the lines they stop at do not depend on the skip list or the extractor,
   * only the candidates kept and chosen do. Returns {this recipe's result, the unskipped one's, the
   * older list's}.
   */
  Result[] runWithLegacyTwins(TitleEngine.LazyLines lines) {
    return run(lines, new StackRecipe[] {this, unskipped(), olderSkips()});
  }

  /** Runs recipes that share their steps (they differ in skip list and extractor) over {@code lines}. */
  private Result[] run(TitleEngine.LazyLines lines, StackRecipe[] lanes) {
    Result[] r = run(lines, parts, partLiterals, lanes);
    if (fallback == null) {
      return r;
    }
    // Nothing found, or a fault-injection frame got in the way: the fallback's answer stands,
    // even when it is no answer.
    boolean again = false;
    for (Result x : r) {
      again |= !(x.found() && x.trustworthy());
    }
    if (again) {
      Result[] f = run(lines, fallback, fallbackLiterals, lanes);
      for (int k = 0; k < r.length; k++) {
        if (!(r[k].found() && r[k].trustworthy())) {
          r[k] = f[k];
        }
      }
    }
    return r;
  }

  /**
   * The walk itself. Lines are read as ranges of the report text: the checks every line goes
   * through (fault injection, stack start, the next step) open with literal searches most lines
   * fail, so a line is cut out only when a regex must run on it or its frames are wanted.
   */
  private static Result[] run(
      TitleEngine.LazyLines lines, Pattern[] steps, String[][] literals, StackRecipe[] lanes) {
    int lanesCount = lanes.length;
    @SuppressWarnings("unchecked")
    List<String>[] raw = new List[lanesCount];
    @SuppressWarnings("unchecked")
    List<Frame>[] results = new List[lanesCount];
    for (int k = 0; k < lanesCount; k++) {
      raw[k] = new ArrayList<>();
      results[k] = new ArrayList<>();
    }
    List<String> names = new ArrayList<>(2);
    boolean trustworthy = true;
    int stacks = 0;
    int li = 0;
    int n = lines.size();
    String text = lines.text();
    nextPart:
    for (int p = 0; ; p++) {
      if (p == steps.length || (steps[p] == STACK && stacks > 0)) {
        for (int k = 0; k < lanesCount; k++) {
          results[k].add(lanes[k].pick(raw[k]));
          raw[k].clear();
        }
        if (p == steps.length) {
          break;
        }
      }
      Pattern step = steps[p];
      if (step == STACK) {
        stacks++;
        while (li < n) {
          int line = li++;
          int from = lines.start(line);
          int to = lines.end(line);
          if (FrameLines.isFaultInjection(text, from, to)) {
            trustworthy = false;
            continue nextPart;
          }
          if (FrameLines.isStackStart(text, from, to)) {
            continue nextPart;
          }
          if (p != steps.length - 1 && steps[p + 1] != STACK) {
            Matcher m = matchStep(steps[p + 1], literals[p + 1], text, from, to);
            if (m != null) {
              addGroups(m, raw, lanes);
              p++;
              continue nextPart;
            }
          }
          if (decided(raw, lanes)) {
            // The names of the section's later frame lines would all be turned away: only the
            // lines that end the section still matter.
            continue;
          }
          names.clear();
          FrameLines.frames(text, from, to, names);
          for (String name : names) {
            add(name, raw, lanes);
          }
        }
      } else {
        while (li < n) {
          int line = li++;
          int from = lines.start(line);
          int to = lines.end(line);
          if (FrameLines.isFaultInjection(text, from, to)) {
            trustworthy = false;
            continue nextPart;
          }
          Matcher m = matchStep(step, literals[p], text, from, to);
          if (m == null) {
            continue;
          }
          addGroups(m, raw, lanes);
          break;
        }
      }
    }
    Result[] out = new Result[lanesCount];
    for (int k = 0; k < lanesCount; k++) {
      out[k] = new Result(results[k], trustworthy);
    }
    return out;
  }

  /**
   * The match of {@code step} in the line {@code text[from, to)}, or null. The step's regexes hold
   * no look-behind past the line start and are not MULTILINE, so matching in the region (with its
   * default opaque, anchoring bounds) finds what matching the cut-out line would, with the same
   * groups.
   */
  private static Matcher matchStep(Pattern step, String[] literals, String text, int from, int to) {
    if (!FrameLines.containsAny(text, from, to, literals)) {
      return null;
    }
    if (step == FrameLines.RIP
        && text.indexOf("IP", from, to) < 0
        && text.indexOf("pc ", from, to) < 0
        && text.indexOf("PC is at", from, to) < 0) {
      return null;
    }
    Matcher m = step.matcher(text).region(from, to);
    return m.find() ? m : null;
  }

  /** Whether every lane has chosen its candidate of the current section: it takes the first, and has one. */
  private static boolean decided(List<String>[] raw, StackRecipe[] lanes) {
    for (int k = 0; k < lanes.length; k++) {
      if (lanes[k].extractor != FIRST || raw[k].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static void addGroups(Matcher m, List<String>[] raw, StackRecipe[] lanes) {
    for (int g = 1; g <= m.groupCount(); g++) {
      String name = m.group(g);
      if (name != null) {
        add(name, raw, lanes);
      }
    }
  }

  private static void add(String name, List<String>[] raw, StackRecipe[] lanes) {
    name = FrameNames.demangle(name);
    for (int k = 0; k < lanes.length; k++) {
      lanes[k].add(name, raw[k]);
    }
  }

  /** Offers a demangled candidate to this recipe's list of the current section. */
  private void add(String name, List<String> raw) {
    if (extractor == FIRST && !raw.isEmpty()) {
      // Only the first candidate of a section can be chosen: the rest need no skip decision.
      return;
    }
    if (!name.isEmpty() && !skip.skips(name)) {
      raw.add(name);
    }
  }

  private Frame pick(List<String> raw) {
    if (raw.isEmpty()) {
      return new Frame("", "");
    }
    List<String> stripped = new ArrayList<>(raw.size());
    for (String r : raw) {
      stripped.add(FrameNames.stripSyscallPrefix(r));
    }
    Pick chosen = extractor.pick(stripped);
    if (chosen == null) {
      return new Frame("", "");
    }
    return new Frame(chosen.name(), raw.get(chosen.index()));
  }

  @Override
  public String toString() {
    return "StackRecipe" + Arrays.toString(parts);
  }
}
