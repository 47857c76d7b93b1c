package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The titles older syzkaller versions gave the same crash, offered as extra alternative titles.
 *
 * <p>syzbot never renames a bug: a bug reported in 2018 keeps the title the parser of 2018 gave
 * it, and a crash only joins it when one of its titles is that old one. The parser has changed in
 * five ways that matter, each undone by one rule here:
 *
 * <ol>
 *   <li>Crashes it had no format for yet were named after their oops line, and "kernel BUG at
 *       file:N!" kept its file: the normalised oops line ("kernel BUG at net/core/skbuff.c:LINE!",
 *       "BUG: sleeping function called from invalid context at mm/slab.h:LINE").
 *   <li>Its skip list was shorter: the title filled with the first frame the recipe finds when
 *       nothing is skipped ("general protection fault in __list_del_entry_valid").
 *   <li>Later, the skip list still lacked the entries added since ({@link
 *       FrameSkips#LATER_ADDITIONS}: ref_tracker, the workqueue and timer helpers, bottom-half,
 *       atomic, kobject, netdevice, allocator and string helpers …) and had "_trap" unanchored; stalls
 *       named the first frame it left, not the frame the stall extractor chooses, and hung tasks
 *       the first frame the hung-task words left, without today's preference for rtnl_lock: the
 *       title filled by {@link StackRecipe#olderSkips} ("general protection fault in
 *       ref_tracker_alloc", "possible deadlock in lock_timer_base", "INFO: rcu detected stall in
 *       d_walk", "INFO: task hung in bpf_exit_net").
 *   <li>The specific WARNING titles ("WARNING: refcount bug in F") were plain "WARNING in F", and
 *       before that named the function of the WARNING line itself ("WARNING in refcount_inc");
 *       sanitizer titles likewise named the function of the oops line ("KMSAN: uninit-value in
 *       memcmp"), suspicious-RCU titles named the file ("suspicious RCU usage at
 *       net/ipv6/ip6_fib.c:LINE"), and the "WARNING:" lockdep forms kept the rule of their
 *       "[ INFO: … ]" forms, the at: function after "is trying to acquire" or "takes:" ("possible
 *       deadlock in shmem_uncharge" for a safe -> unsafe lock order, "inconsistent lock state in
 *       netlink_broadcast_filtered"), before they took their frame from the stack.
 *   <li>Stalls, soft lockups and bad page states named no frame at all ("INFO: rcu detected stall",
 *       "BUG: soft lockup", "BUG: Bad page state"): the frame came with the stall extractor.
 * </ol>
 *
 * <p>These are not syzkaller's current alternative titles; {@link CrashReportParser} adds them
 * after those so that a search by an old dashboard title still finds today's crashes.
 */
final class LegacyTitles {
  private LegacyTitles() {}

  /** "at file.c:N func+0x" of a WARNING line: the function the old WARNING titles named. */
  private static final Pattern WARNING_FUNCTION =
      FrameLines.compile(" at {{SRC}} {{FUNC}}");

  /** Templates whose first-year form lacked the trailing " in FRAME" (rule 4). */
  private static final List<String> FRAMELESS_FIRST_YEAR =
      List.of("INFO: rcu detected stall in %[1]v", "BUG: soft lockup in %[1]v", "BUG: Bad page %[1]v in %[2]v");

  /**
   * The first "at: [&lt;pc&gt;] func+0x…" line after "is trying to acquire" or "takes:": the lock
   * line the "[ INFO: … ]" lockdep forms were named after (rule 4).
   */
  private static final Pattern LOCK_LINE_FUNCTION =
      FrameLines.compile("(?:is trying to acquire|takes:)(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}");

  /** How far past the oops line the lock lines are looked for: they sit in the report's first lines. */
  private static final int LOCK_LINE_WINDOW = 4096;

  /** "… in func+0x…" of an oops line: the function sanitizer reports name. */
  private static final Pattern OOPS_FUNCTION = FrameLines.compile(" in {{FUNC}}");

  /**
   * The legacy titles (not yet normalised) of a crash named by {@code f}.
   *
   * @param text the report text the title was formed from
   * @param matchStart where the title (or report) pattern matched in {@code text}
   * @param unskipped the result of the format's recipe run {@link StackRecipe#unskipped unskipped}
   *     over the same lines, or null when the format has no recipe
   * @param older the result of the format's recipe run {@link StackRecipe#olderSkips olderSkips}
   *     over the same lines, or null when the format has no recipe
   * @param args the template arguments: captured groups, then the frames
   * @param groups how many of {@code args} are captured groups
   */
  static List<String> of(
      TitleFormat f,
      String text,
      int matchStart,
      StackRecipe.Result unskipped,
      StackRecipe.Result older,
      List<String> args,
      int groups) {
    List<String> out = new ArrayList<>(4);
    int eol = text.indexOf('\n', matchStart);
    String oopsLine = text.substring(matchStart, eol < 0 ? text.length() : eol);
    out.add(oopsLine);
    addWithFrames(out, f, unskipped, args, groups);
    addWithFrames(out, f, older, args, groups);
    if (groups < args.size()) {
      Matcher m = OOPS_FUNCTION.matcher(oopsLine);
      if (m.find()) {
        List<String> a = new ArrayList<>(args);
        a.set(groups, m.group(1));
        out.add(TitleFormat.fill(f.template(), a));
      }
    }
    if (FRAMELESS_FIRST_YEAR.contains(f.template())) {
      String template = f.template();
      out.add(TitleFormat.fill(template.substring(0, template.lastIndexOf(" in %[")), args));
    }
    if ((f.template().startsWith("possible deadlock in") && oopsLine.contains("-safe -> "))
        || (f.template().startsWith("inconsistent lock state in") && groups < args.size())) {
      Matcher m = LOCK_LINE_FUNCTION.matcher(text);
      m.region(matchStart, Math.min(text.length(), matchStart + LOCK_LINE_WINDOW));
      if (m.find()) {
        String func = m.group(m.groupCount());
        out.add(f.template().substring(0, f.template().indexOf(" in %[") + 4) + func);
      }
    }
    if (f.template().contains("suspicious RCU usage in") && groups > 0) {
      out.add("suspicious RCU usage at " + args.get(0));
    }
    if (f.template().startsWith("WARNING")) {
      Matcher m = WARNING_FUNCTION.matcher(oopsLine);
      if (m.find()) {
        out.add("WARNING in " + m.group(2));
      }
      if (groups < args.size()) {
        out.add("WARNING in " + args.get(groups));
      }
    }
    return out;
  }

  /** The format's title with the frames of {@code r} in place of today's, when {@code r} found them all. */
  private static void addWithFrames(
      List<String> out, TitleFormat f, StackRecipe.Result r, List<String> args, int groups) {
    if (r == null || !r.found()) {
      return;
    }
    List<String> a = new ArrayList<>(args);
    List<StackRecipe.Frame> frames = r.frames();
    for (int i = 0; i < frames.size() && groups + i < a.size(); i++) {
      a.set(groups + i, frames.get(i).canonical());
    }
    out.add(TitleFormat.fill(f.template(), a));
  }
}
