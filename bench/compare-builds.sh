#!/usr/bin/env bash
# Two builds of P2PScope side by side, as whole processes, in alternating runs: how a change's effect on a command's
# time is measured here (the machine's speed drifts by tens of percent over hours; only runs taken turn about
# compare). Each commit is built in a scratch worktree (`mvn package`, nothing installed into ~/.m2), started
# directly with the command line's JVM options from its own tools/jvm.sh (or the launcher's older inline ones) and
# its own trained start-up cache, exactly as its ./p2pscope would start it. Prints, for each build, the median wall
# time, CPU time (user + sys) and peak RSS (GNU time), and whether the outputs are byte-identical.
#
#   bench/compare-builds.sh [--runs R] REV_A REV_B -- P2PSCOPE ARGUMENTS...
#   bench/compare-builds.sh --runs 21 1efbefb HEAD -- tree --sysfs /tmp/t4096/tree --numeric
#
# REV may be any git revision; "WORKTREE" is the current checkout's own build (app/target, as ./p2pscope built it).
# Needs GNU time (apt-get install time). Scratch builds and caches are kept under ${TMPDIR:-/tmp}/p2pscope-builds,
# keyed by commit, so a second comparison with the same commits starts at once.
set -euo pipefail
shopt -s inherit_errexit   # a failing step inside $(prepare ...) fails the script, and no broken build is kept
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=11
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 4 ] || [ "$3" != -- ]; then
  echo "usage: $0 [--runs R] REV_A REV_B -- P2PSCOPE ARGUMENTS..." >&2; exit 2
fi
revs=("$1" "$2"); shift 3
[ -x /usr/bin/time ] || { echo "compare-builds: needs GNU time: apt-get install time" >&2; exit 1; }
# shellcheck source=tools/jdk.sh
. "$here/tools/jdk.sh"
p2p_find_jdk
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
store=${TMPDIR:-/tmp}/p2pscope-builds
mkdir -p "$store"

# prepare REV -> prints the directory holding that build's cmd file (the java command line, without arguments)
prepare() {
  local rev=$1 src dir sha
  if [ "$rev" = WORKTREE ]; then
    "$here/p2pscope" --version >/dev/null   # builds when sources changed
    src=$here; dir=$store/worktree-$$; rm -rf "$dir"
  else
    sha=$(git -C "$here" rev-parse --short "$rev^{commit}")
    dir=$store/$sha; src=$dir/src
    if [ -s "$dir/cmd" ]; then echo "$dir"; return; fi
    rm -rf "$dir"; git -C "$here" worktree prune; mkdir -p "$dir"   # a half-made build of it: start again
    git -C "$here" worktree add -q --detach "$src" "$sha" >&2
    echo "compare-builds: building $rev ($sha)..." >&2
    (cd "$src" && mvn -B -q -ntp -Dstyle.color=never -DskipTests package >&2)
  fi
  mkdir -p "$dir/lib"
  cp "$src/app/target/p2pscope.jar" "$dir/"
  cp "$src"/app/target/lib/*.jar "$dir/lib/"
  local cp=$dir/p2pscope.jar e opts
  IFS=: read -r -a entries <"$src/app/target/classpath" || true   # no newline at its end
  for e in "${entries[@]}"; do [ -n "$e" ] && cp+=":$dir/$e"; done
  if [ -f "$src/tools/jvm.sh" ]; then
    # shellcheck disable=SC1091
    opts=$(. "$src/tools/jvm.sh"; echo "${P2P_CLI_JVM_OPTS[*]}")
  else
    opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m"   # the launcher's options before tools/jvm.sh
  fi
  opts+=" --enable-native-access=ALL-UNNAMED -cp $cp -Dp2pscope.home=$src"
  # shellcheck disable=SC2086  # the options are words
  java -XX:AOTCacheOutput="$dir/cli.aot" $opts dev.p2pscope.AotTraining cli >"$dir/train.log" 2>&1 \
    || echo "compare-builds: training the cache of $rev failed ($dir/train.log); timing it without" >&2
  local aot=""
  [ -s "$dir/cli.aot" ] && aot="-XX:AOTCache=$dir/cli.aot -Xlog:aot*=off -Xlog:cds*=off"
  echo "$JAVA_HOME/bin/java $aot $opts dev.p2pscope.Main" >"$dir/cmd.tmp"
  mv "$dir/cmd.tmp" "$dir/cmd"   # last: a build whose cmd exists is complete
  echo "$dir"
}

dirs=()
for r in "${revs[@]}"; do dirs+=("$(prepare "$r")"); done
work=$(mktemp -d)
trap 'rm -rf "$work" "$store/worktree-$$"' EXIT
for i in 0 1; do : >"$work/$i.times"; done
for ((k = 0; k < runs; k++)); do
  for i in 0 1; do
    # shellcheck disable=SC2046  # the command line is words
    /usr/bin/time -f "%e %U %S %M" -a -o "$work/$i.times" $(cat "${dirs[$i]}/cmd") "$@" >"$work/$i.out" 2>"$work/$i.err" \
      || { echo "compare-builds: ${revs[$i]} failed:" >&2; cat "$work/$i.err" >&2; exit 1; }
  done
done
median() {  # median of column $2 of file $1
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}
echo "$runs alternating runs each, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
printf '%-16s %9s %12s %14s\n' build "wall (s)" "CPU u+s (s)" "peak RSS (MB)"
for i in 0 1; do
  awk '{printf "%s %s %.2f\n", $1, $4, $2 + $3}' "$work/$i.times" >"$work/$i.cpu"
  printf '%-16s %9s %12s %14.1f\n' "${revs[$i]}" "$(median "$work/$i.cpu" 1)" "$(median "$work/$i.cpu" 3)" \
    "$(median "$work/$i.cpu" 2 | awk '{print $1 / 1024}')"
done
if cmp -s "$work/0.out" "$work/1.out"; then echo "outputs: identical"; else echo "outputs: DIFFERENT"; fi
