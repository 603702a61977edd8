#!/usr/bin/env bash
# Start-up speed of ./p2pscope with and without its JDK 25 AOT caches (issue 15, goal 2), as whole processes:
#   check --sample skylake-sp-2s-switch --provider 0000:1a:00.0 --client 0000:1c:00.0    (goal: < 0.3 s, quiet machine)
#   the window's first frame of a sample, from the process start (--bench-render)        (goal: < 1.5 s)
#     with the process's CPU time to that frame, headless and (with Xvfb) as a real GTK window
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

# The window's first frame, from the process start (--bench-render prints it; P2PSCOPE_START_TRACE=1 adds the
# process's CPU time at each step of the start, the last being the first pulse). Medians, since the machine is
# shared: on the software pipeline as the headless platform draws it, then, when Xvfb and GTK 3 are installed, in a
# real GTK window on an Xvfb display (JavaFX tries its es2 pipeline there first and falls back to software).
first_frames() {  # first_frames LABEL [ENV...]: prints the median wall and CPU time to the first frame
  local label=$1 i out walls=() cpus=(); shift
  for ((i = 0; i < wruns; i++)); do
    out=$(env "$@" P2PSCOPE_START_TRACE=1 "$p2pscope" --sample "$sample" --bench-render 2>&1 || true)
    walls+=("$(sed -n 's/^time to first frame: .* \([0-9][0-9]*\) ms from launch.*/\1/p' <<<"$out")")
    cpus+=("$(sed -n 's/^\[start\] *[0-9]* ms wall *\([0-9]*\) ms cpu: first pulse$/\1/p' <<<"$out")")
  done
  median() { printf '%s\n' "$@" | sort -n | awk 'NF {v[++n]=$1} END {print n ? v[int((n+1)/2)] : "?"}'; }
  echo "$label: first frame $(median "${walls[@]}") ms from launch, $(median "${cpus[@]}") ms CPU" \
    "(medians of $wruns; all: ${walls[*]} ms)"
}
wruns=$(( runs / 2 < 5 ? 5 : runs / 2 ))   # at least 5 windows
echo "== the window's first frame of $sample, from the process start (load average $(cut -d' ' -f1-3 /proc/loadavg))"
first_frames "headless, software pipeline, with AOT cache   " P2PSCOPE_AOT=1 DISPLAY= WAYLAND_DISPLAY=
first_frames "headless, software pipeline, P2PSCOPE_AOT=0   " P2PSCOPE_AOT=0 DISPLAY= WAYLAND_DISPLAY=
if command -v Xvfb >/dev/null && command -v xvfb-run >/dev/null; then
  # One Xvfb for all runs (xvfb-run per run would count its own start); ended by its process id.
  display=:$(( 90 + $$ % 100 ))
  Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  sleep 1
  first_frames "GTK window on Xvfb, with AOT cache            " P2PSCOPE_AOT=1 DISPLAY="$display"
  first_frames "GTK window on Xvfb, P2PSCOPE_AOT=0            " P2PSCOPE_AOT=0 DISPLAY="$display"
  kill "$xvfb" 2>/dev/null || true
else
  echo "(no Xvfb: apt install xvfb libgtk-3-0 to measure the real GTK window too)"
fi
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
