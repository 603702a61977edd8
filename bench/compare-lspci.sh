#!/usr/bin/env bash
# Loading speed against lspci, in one run on the same tree (issue 15, goal 1):
#   p2pscope tree --sysfs DIR --numeric            vs   lspci -A linux-sysfs -O sysfs.path=DIR/sys/bus/pci -tvn
#   p2pscope tree --sysfs DIR.tar.gz --numeric     (the same tree as a snapshot tarball, read in place)
# on a generated sysfs tree (default: generate --endpoints 4096 --seed 11, about 10,000 functions). Prints the
# median wall time, peak RSS and CPU time (user + sys) of each (GNU time), p2pscope's wall and CPU time as multiples
# of lspci's, and whether the outputs are byte-identical. Runs alternate, so that a busy machine slows both alike;
# say the load with the figures (the CPU ratio is the one least changed by other work on the machine).
#
#   bench/compare-lspci.sh [--endpoints N] [--seed S] [--runs R] [--keep DIR]
#
# Needs pciutils (lspci) and time (GNU time) from Debian: installed with apt-get when missing and run as root.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
endpoints=4096 seed=11 runs=5 keep=""
while [ $# -gt 0 ]; do
  case $1 in
    --endpoints) endpoints=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--endpoints N] [--seed S] [--runs R] [--keep DIR]" >&2; exit 2 ;;
  esac
done
if ! command -v lspci >/dev/null || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q pciutils time >/dev/null
  else echo "compare-lspci: needs lspci and /usr/bin/time: apt-get install pciutils time" >&2; exit 1; fi
fi

p2pscope="$here/p2pscope"
"$p2pscope" --version >/dev/null  # builds and trains the start-up cache first, outside the measurement
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
dir="$work/tree"
if [ ! -d "$dir/sys/bus/pci" ]; then
  "$p2pscope" generate --endpoints "$endpoints" --seed "$seed" --format sysfs -o "$dir" >&2
fi
[ -f "$work/tree.tar.gz" ] || tar -czf "$work/tree.tar.gz" -C "$dir" sys
functions=$(find "$dir/sys/bus/pci/devices" -mindepth 1 -maxdepth 1 | wc -l)

declare -A cmds=(
  [lspci]="lspci -A linux-sysfs -O sysfs.path=$dir/sys/bus/pci -tvn"
  [p2pscope-dir]="$p2pscope tree --sysfs $dir --numeric"
  [p2pscope-tar]="$p2pscope tree --sysfs $work/tree.tar.gz --numeric"
)
order=(lspci p2pscope-dir p2pscope-tar)
for name in "${order[@]}"; do : >"$work/$name.times"; done
for ((i = 0; i < runs; i++)); do
  for name in "${order[@]}"; do
    # shellcheck disable=SC2086  # the command line is words
    /usr/bin/time -f "%e %M %U %S" -o "$work/$name.one" ${cmds[$name]} >"$work/$name.out" 2>"$work/$name.err" \
      || { echo "compare-lspci: $name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
    tail -1 "$work/$name.one" >>"$work/$name.times"
  done
done

median() {  # median of column $2 in file $1
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}
for name in "${order[@]}"; do awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/$name.times" >"$work/$name.cpu"; done
lspci_s=$(median "$work/lspci.times" 1)
lspci_cpu=$(median "$work/lspci.cpu" 3)
echo "tree: $functions functions (generate --endpoints $endpoints --seed $seed), $runs runs each, alternating"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
printf '%-14s %9s %14s %8s %13s %10s  %s\n' "command" "wall (s)" "peak RSS (MB)" "x lspci" "CPU u+s (s)" "CPU x lspci" "output"
for name in "${order[@]}"; do
  s=$(median "$work/$name.times" 1); kb=$(median "$work/$name.times" 2); cpu=$(median "$work/$name.cpu" 3)
  if cmp -s "$work/$name.out" "$work/lspci.out"; then same="identical to lspci's"; else same="DIFFERS from lspci's"; fi
  [ "$name" = lspci ] && same="-"
  printf '%-14s %9s %14.1f %8.2f %13s %10.2f  %s\n' "$name" "$s" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" \
    "$(awk -v a="$s" -v b="$lspci_s" 'BEGIN {print a / b}')" "$cpu" "$(awk -v a="$cpu" -v b="$lspci_cpu" 'BEGIN {print a / b}')" "$same"
done
echo "(goal: p2pscope at most 0.5 x lspci's wall time, peak RSS under 150 MB)"
