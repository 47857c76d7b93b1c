package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.crashdex.extract.ConsoleLine;

/**
 * The functions and source files of a crash report's call traces.
 *
 * <p>Kernels print stacks in a handful of shapes, and one report often holds several of them (the
 * RIP line, "Call Trace:", "Allocated by task N:", "Freed by task N:", "Uninit was created at:",
 * kmemleak's "backtrace:", lockdep's chains). Rather than tracking which stack a line belongs to, every
 * line is judged on its own shape, which is strict enough that prose, register dumps and hex dumps
 * never pass:
 *
 * <ul>
 *   <li>a program-counter line: "RIP: 0010:f+0x…", old x86's "RIP  [&lt;…&gt;] f+0x…", "IP: f+0x…", "pc : f+0x…", "lr : f+0x…", "PC is
 *       at f+0x…", "LR is at f+0x…", "NIP [c0…] f+0x…", "epc : f+0x…", "ra : f+0x…" (a user-space
 *       "RIP: 0033:0x7f…" names no function);
 *   <li>a trace line: optional blanks, up to two address brackets ("[&lt;ffffffff81234567&gt;]",
 *       "[c000…]"), then a name directly followed by "+0x" (after optional ".isra.N"-style
 *       suffixes), or a name, a "path.c:N" and " [inline]" (a frame the symboliser expanded);
 *   <li>the ARM32 pair "[&lt;pc&gt;] (f) from [&lt;pc&gt;] (g+0x…)", which names two frames.
 * </ul>
 *
 * <p>Frames the unwinder was unsure of (" ? f+0x…", "… (unreliable)") are not frames. Names lose
 * their offsets and compiler suffixes: "foo.isra.7+0x1/0x2" gives "foo". Reading stops at the "Code
 * disassembly (best guess)" block that syzbot appends to published reports.
 *
 * @param frames every frame, in order, duplicates kept (recursion and repeated stacks are real)
 * @param files the source files ("net/core/dev.c") named on frame lines, in order of first
 *     appearance, without duplicates
 */
public record StackFrames(List<String> frames, List<String> files) {

  /** The line syzbot puts before its disassembly of the "Code:" bytes; nothing after it is a trace. */
  static final String DISASSEMBLY = "Code disassembly (best guess)";

  public StackFrames {
    frames = List.copyOf(frames);
    files = List.copyOf(files);
  }

  /**
   * Reads the frames of {@code report}: the lines of one crash report (typically from its oops line
   * on, as {@link ConsoleLine#parse} split them). Only {@link ConsoleLine#text()} is read.
   *
   * <pre>{@code StackFrames st = StackFrames.of(reportLines); st.frames(); st.files();}</pre>
   */
  public static StackFrames of(List<ConsoleLine> report) {
    Collector c = new Collector();
    for (ConsoleLine line : report) {
      if (!c.accept(line.text())) {
        break;
      }
    }
    return c.finish();
  }

  /** Same, for the lines {@code lines} of {@code log} (their prefixes read), read in place. */
  static StackFrames of(LogLines log, int[] lines) {
    return of(log, lines, null);
  }

  /**
   * Same, offering each line that is not questionable to {@code candidates} (when not null) on the
   * way: the guilty file's search reads the same lines, up to the same end.
   */
  static StackFrames of(LogLines log, int[] lines, GuiltyFile.Candidates candidates) {
    Collector c = new Collector();
    for (int line : lines) {
      int from = log.textStart(line);
      int to = log.contentEnd(line);
      if (!c.accept(log.text, from, to)) {
        break;
      }
      if (candidates != null && !log.questionable(line)) {
        // A frame line's files were just read, its guilty-file candidate with them.
        if (c.guilty == NOT_READ) {
          candidates.offer(from, to);
        } else {
          candidates.offer(from, to, c.guilty, c.guiltyClean);
        }
      }
    }
    return c.finish();
  }

  /**
   * Reads the frames of a report given as text (lines split on '\n', console prefixes removed).
   *
   * <pre>{@code StackFrames.of("RIP: 0010:foo+0x1/0x2\nCall Trace:\n bar+0x3/0x4\n").frames()}</pre>
   */
  public static StackFrames of(String report) {
    Collector c = new Collector();
    int start = 0;
    int n = report.length();
    while (start < n) {
      int end = report.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      if (!c.accept(ConsoleLine.parse(report.substring(start, end)).text())) {
        break;
      }
      start = end + 1;
    }
    return c.finish();
  }

  /**
   * The function a single line names as a frame, without offset or suffix, or null when the line is
   * not a frame line. An ARM32 "from" line yields its first function only.
   *
   * <pre>{@code StackFrames.frameOf(" tcp_close+0x1a/0x30 net/ipv4/tcp.c:2340") -> "tcp_close"}</pre>
   */
  public static String frameOf(String text) {
    List<String> out = new ArrayList<>(2);
    parseLine(text, out);
    return out.isEmpty() ? null : out.get(0);
  }

  /** A {@link Collector#guilty} for a line whose files were not read. */
  private static final long NOT_READ = -2;

  /** Accumulates frames and files line by line. */
  private static final class Collector {
    private final List<String> frames = new ArrayList<>();
    private final FileSet files = new FileSet();
    /** The last line's {@link GuiltyFile} candidate, when its files were read; else {@link #NOT_READ}. */
    long guilty = NOT_READ;
    /**
     * Whether {@link #guilty}'s path is one {@link #cleanPath} leaves as it is: known from the walk
     * back over it, and the guilty file's search would otherwise scan every candidate again.
     */
    boolean guiltyClean;

    /** Returns false once the disassembly block starts. */
    boolean accept(String text) {
      return accept(text, 0, text.length());
    }

    /** Same, for the line {@code s[from, to)}. */
    boolean accept(String s, int from, int to) {
      if (s.startsWith(DISASSEMBLY, from) && to - from >= DISASSEMBLY.length()) {
        return false;
      }
      int before = frames.size();
      parseLine(s, from, to, frames);
      guilty = frames.size() > before ? addFiles(s, from, to, files, this) : NOT_READ;
      return true;
    }

    StackFrames finish() {
      return new StackFrames(frames, files.inOrder);
    }
  }

  /**
   * Distinct file names in order of first appearance. A report names a few dozen files at most, on
   * every frame line: a name already seen is found by comparing it in place in its line, without
   * cutting it out first, and only past {@link #LINEAR} names does a hash set take over.
   */
  static final class FileSet {
    private static final int LINEAR = 32;
    final List<String> inOrder = new ArrayList<>();
    /**
     * Per name in {@link #inOrder} (while under {@link #LINEAR}), its {@link #hash}: a lookup then
     * compares ints in one array instead of loading every name.
     */
    private final int[] hashes = new int[LINEAR];
    private Set<String> index;

    /** Adds {@code s[start, end)} unless present; it must be a clean path ({@link #cleanPath}). */
    void add(String s, int start, int end) {
      if (index == null) {
        int len = end - start;
        int h = hash(s, start, end);
        for (int k = 0; k < inOrder.size(); k++) {
          if (hashes[k] == h) {
            String f = inOrder.get(k);
            if (f.length() == len && s.regionMatches(start, f, 0, len)) {
              return;
            }
          }
        }
      }
      add(s.substring(start, end));
    }

    void add(String file) {
      if (index == null) {
        if (inOrder.size() < LINEAR) {
          if (!inOrder.contains(file)) {
            hashes[inOrder.size()] = hash(file, 0, file.length());
            inOrder.add(file);
          }
          return;
        }
        index = new java.util.HashSet<>(inOrder);
      }
      if (index.add(file)) {
        inOrder.add(file);
      }
    }

    private static int hash(String s, int start, int end) {
      int h = end - start;
      for (int k = start; k < end; k++) {
        h = 31 * h + s.charAt(k);
      }
      return h;
    }
  }

  // ---- line grammar --------------------------------------------------------------------------

  /** Program-counter line openers, after leading blanks. Each is followed by the frame position. */
  private static final String UNRELIABLE = "(unreliable)";
  private static final String INLINE = " [inline]";

  private static final String[] PC_MARKERS = {
    "RIP: ", "RIP ", "EIP: ", "IP: ", "pc : ", "lr : ", "PC is at ", "LR is at ", "NIP: ", "NIP ", "LR ",
    "epc : ", "ra : "
  };

  /** {@link #PC_MARKERS} by first char (in their order), null for a char none starts with. */
  private static final String[][] PC_MARKERS_BY_FIRST = new String[128][];

  static {
    for (char c = 0; c < PC_MARKERS_BY_FIRST.length; c++) {
      List<String> markers = new ArrayList<>();
      for (String marker : PC_MARKERS) {
        if (marker.charAt(0) == c) {
          markers.add(marker);
        }
      }
      PC_MARKERS_BY_FIRST[c] = markers.isEmpty() ? null : markers.toArray(new String[0]);
    }
  }

  /** Adds the frames that {@code s} names (zero, one, or two for ARM32) to {@code out}. */
  static void parseLine(String s, List<String> out) {
    parseLine(s, 0, s.length(), out);
  }

  /** Same, for the line {@code s[from, n)}. */
  private static void parseLine(String s, int from, int n, List<String> out) {
    int i = skipBlanks(s, from, n);
    if (i >= n) {
      return;
    }
    if (n - from >= UNRELIABLE.length() && s.startsWith(UNRELIABLE, n - UNRELIABLE.length())) {
      return;
    }
    // Old x86 kernels open a stack section on the same line: " <IRQ>  [<ffffffff81…>] f+0x…".
    if (s.charAt(i) == '<') {
      int close = s.indexOf('>', i, n);
      if (close < 0 || !isTag(s, i + 1, close)) {
        return;
      }
      i = skipBlanks(s, close + 1, n);
      if (i >= n) {
        return;
      }
    }
    char c = s.charAt(i);
    // Program-counter lines: tested before the general frame shape because "RIP" would otherwise
    // read as a name. Only the markers that start with the line's first char are tried: many
    // function names start with 'p', 'l', 'e' or 'r' ("lock_acquire"), and trying all thirteen
    // on each of them was a visible part of the frame walk.
    String[] markers = c < PC_MARKERS_BY_FIRST.length ? PC_MARKERS_BY_FIRST[c] : null;
    if (markers != null) {
      for (String marker : markers) {
        if (s.startsWith(marker, i) && i + marker.length() <= n) {
          pcFrame(s, i + marker.length(), n, out);
          return;
        }
      }
    }
    // Up to two address brackets, each followed by blanks.
    int brackets = 0;
    for (int b = 0; b < 2 && i < n && s.charAt(i) == '['; b++, brackets++) {
      int close = bracketEnd(s, i, n);
      if (close < 0) {
        return;
      }
      i = skipBlanks(s, close + 1, n);
    }
    if (i >= n) {
      return;
    }
    if (s.charAt(i) == '(') {
      // Only the ARM32 pair; "(ptrval): 0000…" register dumps and "(f+0x…)" stack-content notes
      // are not traces.
      if (brackets == 1 && s.indexOf(") from ", i, n) > 0) {
        armFrames(s, i, n, out);
      }
      return;
    }
    int nameEnd = identifierEnd(s, i, n);
    if (nameEnd == i) {
      return; // "? f+0x…" (questionable), "<IRQ>", prose starting with punctuation
    }
    int after = suffixEnd(s, nameEnd, n);
    if (offsetAt(s, after, n) || inlineAt(s, after, n)) {
      out.add(s.substring(i, nameEnd));
    }
  }

  /** The frame of a program-counter line, reading from just after its marker. */
  private static void pcFrame(String s, int i, int n, List<String> out) {
    // An optional segment "0010:" (x86 RIP).
    int d = i;
    while (d < n && isHexDigit(s.charAt(d))) {
      d++;
    }
    if (d > i && d < n && s.charAt(d) == ':') {
      i = d + 1;
    }
    i = skipBlanks(s, i, n);
    for (int b = 0; b < 2 && i < n && s.charAt(i) == '['; b++) {
      int close = bracketEnd(s, i, n);
      if (close < 0) {
        return;
      }
      i = skipBlanks(s, close + 1, n);
    }
    int nameEnd = identifierEnd(s, i, n);
    if (nameEnd == i) {
      return;
    }
    int after = suffixEnd(s, nameEnd, n);
    if (offsetAt(s, after, n)) {
      out.add(s.substring(i, nameEnd));
    }
  }

  /** ARM32 "(f) from [<pc>] (g+0x…)": both names, when shaped so. */
  private static void armFrames(String s, int open, int n, List<String> out) {
    String first = armName(s, open, n);
    if (first == null) {
      return;
    }
    out.add(first);
    int from = s.indexOf(") from ", open, n);
    if (from < 0) {
      return;
    }
    int i = skipBlanks(s, from + 7, n);
    if (i < n && s.charAt(i) == '[') {
      int close = bracketEnd(s, i, n);
      if (close < 0) {
        return;
      }
      i = skipBlanks(s, close + 1, n);
    }
    if (i < n && s.charAt(i) == '(') {
      String second = armName(s, i, n);
      if (second != null) {
        out.add(second);
      }
    }
  }

  /** The name inside "(name)" or "(name+0x…)" at {@code open}, or null. */
  private static String armName(String s, int open, int n) {
    int i = open + 1;
    int nameEnd = identifierEnd(s, i, n);
    if (nameEnd == i) {
      return null;
    }
    int after = suffixEnd(s, nameEnd, n);
    if (after < n && (s.charAt(after) == ')' || offsetAt(s, after, n))) {
      return s.substring(i, nameEnd);
    }
    return null;
  }

  /** Skips compiler suffixes such as ".isra.7", ".constprop.0", ".part.3", ".cold", ".llvm.123". */
  private static int suffixEnd(String s, int i, int n) {
    while (i < n && s.charAt(i) == '.') {
      int e = identifierEnd(s, i + 1, n);
      if (e == i + 1) {
        break;
      }
      i = e;
    }
    return i;
  }

  /** "+0x…" or "+digits" at {@code i}. */
  private static boolean offsetAt(String s, int i, int n) {
    if (i + 1 >= n || s.charAt(i) != '+') {
      return false;
    }
    char c = s.charAt(i + 1);
    return c >= '0' && c <= '9';
  }

  /** " path.c:N [inline]" at {@code i}: the symboliser's line for an inlined call. */
  private static boolean inlineAt(String s, int i, int n) {
    if (i >= n || s.charAt(i) != ' ') {
      return false;
    }
    int p = i + 1;
    int pathEnd = p;
    while (pathEnd < n && isPathChar(s.charAt(pathEnd))) {
      pathEnd++;
    }
    if (pathEnd == p || pathEnd >= n || s.charAt(pathEnd) != ':') {
      return false;
    }
    int d = pathEnd + 1;
    int digits = d;
    while (d < n && isDigit(s.charAt(d))) {
      d++;
    }
    if (d == digits) {
      return false;
    }
    // Some symbolisers add ":column".
    if (d < n && s.charAt(d) == ':') {
      d++;
      while (d < n && isDigit(s.charAt(d))) {
        d++;
      }
    }
    return d + INLINE.length() <= n && s.startsWith(INLINE, d);
  }

  /** The index just past the ']' that closes the bracket at {@code open}, minus one; -1 if none. */
  private static int bracketEnd(String s, int open, int n) {
    int i = open + 1;
    if (i < n && s.charAt(i) == '<') {
      i++;
    }
    int digits = i;
    if (i + 2 <= n && s.startsWith("0x", i)) {
      i += 2;
    }
    while (i < n && isHexDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return -1;
    }
    if (i < n && s.charAt(i) == '>') {
      i++;
    }
    return i < n && s.charAt(i) == ']' ? i : -1;
  }

  /** "IRQ", "EOI", "NMI", "TASK", "/TASK", "#DF": the stack-section tags of x86 traces. */
  private static boolean isTag(String s, int from, int to) {
    if (from < to && s.charAt(from) == '/') {
      from++;
    }
    if (to - from < 2) {
      return false;
    }
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!(c >= 'A' && c <= 'Z') && c != '#') {
        return false;
      }
    }
    return true;
  }

  // ---- files ---------------------------------------------------------------------------------

  /** Adds every "path.ext:N" of {@code s} whose extension is a kernel source's (c, h, S, rs). */
  static void addFiles(String s, Set<String> files) {
    FileSet set = new FileSet();
    addFiles(s, set);
    files.addAll(set.inOrder);
  }

  private static void addFiles(String s, FileSet files) {
    addFiles(s, 0, s.length(), files, null);
  }

  /**
   * Same, for the line {@code s[from, n)}; returns the line's {@link GuiltyFile} candidate (start
   * &lt;&lt; 32 | end, or -1), met on the way: its first "path.c:N" or "path.h:N", with the same walk
   * back over the path. Whether that candidate's path is clean goes to {@code into} (when not null).
   */
  private static long addFiles(String s, int from, int n, FileSet files, Collector into) {
    long guilty = -1;
    int colon = s.indexOf(':', from, n);
    while (colon >= 0) {
      if (colon + 1 < n && isDigit(s.charAt(colon + 1))) {
        // Walk back over the path, noting on the way whether cleanPath would change it ("/." or
        // "//" inside): nearly every path is clean and is then compared in place.
        int start = colon;
        boolean clean = true;
        char right = ':';
        while (start > from) {
          char c = s.charAt(start - 1);
          if (!isPathChar(c)) {
            break;
          }
          if (c == '/' && (right == '.' || right == '/')) {
            clean = false;
          }
          right = c;
          start--;
        }
        boolean unchanged = clean && !s.startsWith("./", start);
        if (guilty < 0 && GuiltyFile.isCandidate(s, from, start, colon)) {
          guilty = (long) start << 32 | colon;
          if (into != null) {
            into.guiltyClean = unchanged;
          }
        }
        if (start < colon && isSourceFile(s, start, colon)) {
          if (unchanged) {
            files.add(s, start, colon);
          } else {
            files.add(cleanPath(s.substring(start, colon)));
          }
        }
      }
      colon = s.indexOf(':', colon + 1, n);
    }
    return guilty;
  }

  private static boolean isSourceFile(String s, int start, int end) {
    // The extension after the last '.' of [start, end) is one of c, h, S, rs (compared in place:
    // this runs for every frame line).
    int len = end - start;
    if (len >= 3 && s.charAt(end - 2) == '.') {
      char c = s.charAt(end - 1);
      return c == 'c' || c == 'h' || c == 'S';
    }
    return len >= 4 && s.charAt(end - 3) == '.' && s.charAt(end - 2) == 'r' && s.charAt(end - 1) == 's';
  }

  /**
   * The path with "." and ".." segments resolved and doubled slashes collapsed, as Go's
   * {@code filepath.Clean} would give it; "" gives ".".
   */
  static String cleanPath(String path) {
    if (isClean(path)) {
      return path;
    }
    boolean rooted = path.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
          parts.remove(parts.size() - 1);
        } else if (!rooted) {
          parts.add(seg);
        }
        continue;
      }
      parts.add(seg);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /**
   * Whether {@link #cleanPath} leaves {@code path} as it is: no "/." or "//", no leading "./", no
   * trailing '/', not "." or "..". (The two searches are intrinsics; a loop by hand measured slower.)
   */
  private static boolean isClean(String path) {
    return path.indexOf("/.") < 0 && path.indexOf("//") < 0 && !path.startsWith("./")
        && !path.endsWith("/") && !path.equals(".") && !path.equals("..");
  }

  // ---- characters ----------------------------------------------------------------------------

  private static int skipBlanks(String s, int i, int n) {
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int identifierEnd(String s, int i, int n) {
    while (i < n && isIdentifierChar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static boolean isIdentifierChar(char c) {
    return c < 128 && IDENTIFIER[c];
  }

  static boolean isPathChar(char c) {
    return c < 128 && PATH[c];
  }

  /** [a-zA-Z0-9_] and that plus "-./", as tables: these run on every character of every frame line. */
  private static final boolean[] IDENTIFIER = new boolean[128];
  private static final boolean[] PATH = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      IDENTIFIER[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      PATH[c] = IDENTIFIER[c] || c == '-' || c == '.' || c == '/';
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
