#!/bin/bash
# After a boot, on the host: open the guest's snapshot with this machine's P2PScope and check that it gives the
# same all-pairs matrix the guest computed from its live sysfs (matrix.txt). The result joins the boot's summary.
set -uo pipefail
. "$(dirname "$0")/common.sh"
OUT=$1
[ -f "$OUT/snapshot.tar.gz" ] && [ -f "$OUT/matrix.txt" ] || exit 0
guest=$(sed '/^\$ /,$d' "$OUT/matrix.txt")
if host=$("$REPO_DIR/p2pscope" matrix --sysfs "$OUT/snapshot.tar.gz" 2>&1); then :; fi
printf '%s\n' "$host" > "$OUT/host-matrix.txt"
if [ "$guest" = "$host" ]; then r=PASS; else r=FAIL; diff <(echo "$guest") <(echo "$host") > "$OUT/host-matrix.diff"; fi
echo "$r  host-matrix: the snapshot, opened on the host, gives the guest's live matrix" >> "$OUT/summary.txt"
echo "lab: $r  host-matrix ($OUT/snapshot.tar.gz opened on the host)" >&2
