# shellcheck shell=bash
# Sourced by ./p2pscope and ./run-tests: sets JAVA_HOME to a JDK 25 or newer.
# Order: JAVA_HOME if it is 25+, else the newest JDK 25+ under /usr/lib/jvm, else a clear error.

p2p_java_major() {  # prints the feature version of the JDK at $1, or nothing
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    # read by bash itself: a launcher start looks at every JDK installed, and a process per file costs ~2 ms each
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then v=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p')
  fi
  printf '%s' "$v"
}

p2p_find_jdk() {
  local want=25 best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(p2p_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$want" ]; then return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(p2p_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge "$want" ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "p2pscope: no JDK $want or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
    echo "p2pscope: install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
