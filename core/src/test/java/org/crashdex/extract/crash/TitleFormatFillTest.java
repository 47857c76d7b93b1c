package org.crashdex.extract.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link TitleFormat#fill} reads templates by hand: it must fill them as the regex it replaced. */
class TitleFormatFillTest {
  private static final Pattern ARG = Pattern.compile("%\\[([0-9]+)\\][vs]");

  /** The regex-based fill the hand-written one replaced. */
  private static String byRegex(String template, List<String> args) {
    Matcher m = ARG.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int index = Integer.parseInt(m.group(1)) - 1;
      m.appendReplacement(out, "");
      out.append(index < args.size() ? args.get(index) : "");
    }
    m.appendTail(out);
    return out.toString();
  }

  @Test
  void fillsLikeTheRegex() {
    List<String> args = List.of("use-after-free", "Read", "tcp_close", "$1 \\ %[1]v");
    String[] templates = {
      "no arguments",
      "KASAN: %[1]v %[2]v in %[3]v",
      "%[3]s",
      "%[4]v then %[1]v",
      "out of range %[9]v.",
      "100% sure %[1]v",
      "%[1]x %[1 v %[]v %[1] %[12",
      "%%[2]v%[2]v%",
      "%[1]v%[2]s%[3]v",
      "trailing %[",
    };
    for (String t : templates) {
      assertEquals(byRegex(t, args), TitleFormat.fill(t, args), t);
    }
    assertEquals("KASAN: use-after-free Read in tcp_close", TitleFormat.fill(templates[1], args));
  }
}
