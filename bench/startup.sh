#!/usr/bin/env bash
# Start-up speed of ./p2pscope with and without its JDK 25 AOT caches (issue 15, goal 2), as whole processes:
#   check --sample skylake-sp-2s-switch --provider 0000:1a:00.0 --client 0000:1c:00.0    (goal: < 0.3 s, quiet machine)
#   the window's first frame of a sample, from the process start (--bench-render)        (goal: < 1.5 s)
# P2PSCOPE_AOT=0 is the same launcher without a cache. Uses hyperfine (Debian's) when installed, else GNU time.
# Prints the load average too: on a busy machine both figures grow, the cache's share much less.
#
#   bench/startup.sh [--runs N] [--sample NAME]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=10 sample=skylake-sp-2s-switch
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--sample NAME]" >&2; exit 2 ;;
  esac
done
p2pscope="$here/p2pscope"
check=(check --sample skylake-sp-2s-switch --provider 0000:1a:00.0 --client 0000:1c:00.0)
"$p2pscope" --version >/dev/null                       # builds and trains the command line's cache
shot=$(mktemp --suffix=.png)
"$p2pscope" --sample "$sample" --screenshot "$shot" >/dev/null 2>&1 || true       # ... and the window's
rm -f "$shot"

echo "== check as a whole process ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs "$runs" -n "with AOT cache" "$p2pscope ${check[*]}" \
    -n "without (P2PSCOPE_AOT=0)" "env P2PSCOPE_AOT=0 $p2pscope ${check[*]}"
else
  for mode in 1 0; do
    for ((i = 0; i < runs; i++)); do
      P2PSCOPE_AOT=$mode /usr/bin/time -f "%e" -a -o "/tmp/p2pscope-startup.$$" "$p2pscope" "${check[@]}" >/dev/null
    done
    echo "P2PSCOPE_AOT=$mode: median $(sort -g "/tmp/p2pscope-startup.$$" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') s over $runs runs"
    rm -f "/tmp/p2pscope-startup.$$"
  done
fi

echo "== the window's first frame of $sample, from the process start (3 runs each)"
for mode in 1 0; do
  for i in 1 2 3; do
    P2PSCOPE_AOT=$mode "$p2pscope" --sample "$sample" --bench-render 2>/dev/null | sed -n "s/^time to first frame: /P2PSCOPE_AOT=$mode: /p"
  done
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
