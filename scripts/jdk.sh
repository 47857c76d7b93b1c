# Sourced by ./crashdex and ./run-tests: sets java_bin and java_home to a JDK 25 or newer, or exits 3
# with a message that says how to get one. Looks at JAVA_HOME, then java on PATH, then /usr/lib/jvm/*.
min_java=25

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

find_java() {
  local candidates=() d c v best="" best_v=0
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/*/; do [[ -d "$d" ]] && candidates+=("${d}bin/java"); done
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    v=$(java_major "$c")
    [[ -n "$v" ]] || continue
    if (( v >= min_java )); then echo "$c"; return 0; fi
    if (( v > best_v )); then best_v=$v; best=$c; fi
  done
  {
    if [[ -n "$best" ]]; then
      echo "crashdex: needs a JDK $min_java or newer; the newest Java found is $best_v ($best)."
    else
      echo "crashdex: needs a JDK $min_java or newer; no Java was found."
    fi
    echo "  Install one (a Temurin or OpenJDK $min_java under /usr/lib/jvm is found by itself) or set JAVA_HOME to it."
  } >&2
  return 1
}

require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "crashdex: Maven (mvn) is needed to build crashdex and was not found." >&2
    echo "  Install it (e.g. 'apt-get install maven') and run this command again." >&2
    exit 3
  fi
}

java_bin=$(find_java) || exit 3
java_home=$(cd "$(dirname "$java_bin")/.." && pwd)
