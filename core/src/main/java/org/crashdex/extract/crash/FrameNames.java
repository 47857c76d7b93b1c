package org.crashdex.extract.crash;

/**
 * Turns a raw frame name into the name a title uses: C++/Rust symbols are demangled (without their
 * parameters) and one syscall-entry prefix is stripped, so that {@code __se_sys_mremap},
 * {@code SyS_mremap} and {@code __x64_sys_mremap} all name the same bug.
 */
final class FrameNames {
  private FrameNames() {}

  /**
   * The syscall-entry prefixes of spec §4. Exactly one is stripped: the one that leaves the
   * shortest name ("__se_sys_mremap" loses "__se_sys_", not "__se_").
   */
  static final String[] SYSCALL_PREFIXES = {
    "SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_",
    "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_"
  };

  /** {@code name} without the syscall prefix that leaves the shortest name; itself when it has none. */
  static String stripSyscallPrefix(String name) {
    String best = name;
    for (String prefix : SYSCALL_PREFIXES) {
      if (name.startsWith(prefix) && name.length() - prefix.length() < best.length()) {
        best = name.substring(prefix.length());
      }
    }
    return best;
  }

  /**
   * Demangles an Itanium C++ ("_Z…") or Rust v0 ("_R…") symbol down to its qualified name, without
   * parameters: "_Z8fakeNameiii" gives "fakeName", "_ZN3foo3barEv" gives "foo::bar". Names that are
   * not mangled, or that this small demangler does not understand, come back unchanged.
   */
  static String demangle(String name) {
    if (name.length() < 3 || name.charAt(0) != '_') {
      return name;
    }
    if (name.charAt(1) == 'Z') {
      String d = demangleItanium(name);
      return d != null ? d : name;
    }
    return name;
  }

  private static String demangleItanium(String name) {
    int i = 2;
    StringBuilder out = new StringBuilder();
    if (name.charAt(i) == 'N') {
      // Nested name: N [qualifiers] <source-name>+ E
      i++;
      while (i < name.length() && (name.charAt(i) == 'K' || name.charAt(i) == 'V' || name.charAt(i) == 'r')) {
        i++;
      }
      while (i < name.length() && name.charAt(i) != 'E') {
        int start = i;
        while (i < name.length() && Character.isDigit(name.charAt(i))) {
          i++;
        }
        if (start == i) {
          return null;
        }
        int len = Integer.parseInt(name, start, i, 10);
        if (len <= 0 || i + len > name.length()) {
          return null;
        }
        if (!out.isEmpty()) {
          out.append("::");
        }
        out.append(name, i, i + len);
        i += len;
      }
      return out.isEmpty() ? null : out.toString();
    }
    int start = i;
    while (i < name.length() && Character.isDigit(name.charAt(i))) {
      i++;
    }
    if (start == i || i - start > 4) {
      return null;
    }
    int len = Integer.parseInt(name, start, i, 10);
    if (len <= 0 || i + len > name.length()) {
      return null;
    }
    return name.substring(i, i + len);
  }
}
