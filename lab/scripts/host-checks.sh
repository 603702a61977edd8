#!/bin/bash
# After a boot, on the host: open the guest's snapshot with this machine's P2PScope and check that it gives the
# same all-pairs verdicts the guest computed from its live sysfs (matrix.txt). Device names are left out: the guest
# has no pci.ids, so it names devices by ID where the host names them in words. The result joins the boot's summary.
set -uo pipefail
. "$(dirname "$0")/common.sh"
OUT=$1
[ -f "$OUT/snapshot.tar.gz" ] && [ -f "$OUT/matrix.txt" ] || exit 0
# verdicts: the matrix without its name column (which starts where the header says "name").
verdicts() { awk 'NR == 1 { w = index($0, "name") } { print (w > 0 ? substr($0, 1, w - 1) : $0) }' | sed 's/ *$//'; }
guest=$(sed '/^\$ /,$d' "$OUT/matrix.txt" | verdicts)
# Standard output only: a rebuild, a start-up cache being trained or the loaders' notices go to stderr (kept beside it).
if host=$("$REPO_DIR/p2pscope" matrix --sysfs "$OUT/snapshot.tar.gz" 2>"$OUT/host-matrix.err"); then :; fi
printf '%s\n' "$host" > "$OUT/host-matrix.txt"
host=$(printf '%s\n' "$host" | verdicts)
if [ "$guest" = "$host" ]; then r=PASS; else r=FAIL; diff <(echo "$guest") <(echo "$host") > "$OUT/host-matrix.diff"; fi
echo "$r  host-matrix: the snapshot, opened on the host, gives the guest's live verdicts" >> "$OUT/summary.txt"
echo "lab: $r  host-matrix ($OUT/snapshot.tar.gz opened on the host)" >&2
