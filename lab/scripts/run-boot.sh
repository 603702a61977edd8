#!/bin/bash
# One boot of the lab guest: run-boot.sh OUTDIR NAME SCRIPT [topology options...]
# Creates scratch drives, puts SCRIPT on the exchange disk, boots QEMU, and unpacks the guest's results into
# OUTDIR. With SCRIPT "-" the guest gives an interactive shell on this terminal instead (no results).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$LAB_DIR/scripts/qemu-args.sh"

OUT=$1; NAME=$2; SCRIPT=$3; shift 3
{ [ -f "$KERNEL_IMAGE" ] && [ -f "$INITRAMFS" ]; } || die "the lab is not built: run lab/lab build"
drive_mb=128
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[i]}" = --drive-mb ] && drive_mb=${args[i+1]}; done

mkdir -p "$OUT" "$LAB_CACHE/runs"
export LAB_RUN
LAB_RUN=$(mktemp -d "$LAB_CACHE/runs/$NAME.XXXX")
trap 'rm -rf "$LAB_RUN"' EXIT
# Scratch drives: sparse, the first MiB random and different per drive, so that a copy moves real data.
for d in "${LAB_DRIVES[@]}"; do
  truncate -s "${drive_mb}M" "$LAB_RUN/drive-$d.img"
  head -c 1M /dev/urandom | dd of="$LAB_RUN/drive-$d.img" conv=notrunc status=none
done
mkdir -p "$LAB_RUN/in"
shell=0
if [ "$SCRIPT" = - ]; then
  shell=1; : > "$LAB_RUN/in/scenario.sh"
else
  cp "$SCRIPT" "$LAB_RUN/in/scenario.sh"
fi
echo "$(basename "$SCRIPT" .sh) / $NAME" > "$LAB_RUN/in/name"
tar -cf "$LAB_RUN/io.img" -C "$LAB_RUN/in" .
truncate -s 256M "$LAB_RUN/io.img"

mapfile -t qargs < <(lab_qemu_args "$@") || exit 2
[ ${#qargs[@]} -gt 2 ] || die "bad topology options: $*"
kargs=${qargs[-1]}; unset 'qargs[-1]' 'qargs[-1]'
kargs="$kargs lab.boot=$NAME"
[ $shell = 0 ] || kargs="$kargs lab.shell=1"
QEMU=(qemu-system-x86_64 "${qargs[@]}" -kernel "$KERNEL_IMAGE" -initrd "$INITRAMFS" -append "$kargs")
printf '%q ' "${QEMU[@]}" | sed "s#$LAB_RUN#\$RUN#g; s#$LAB_CACHE#\$CACHE#g" > "$OUT/qemu-cmdline.txt"
echo >> "$OUT/qemu-cmdline.txt"

say "boot $NAME: $*"
start=$(date +%s)
if [ $shell = 1 ]; then
  "${QEMU[@]}"
  exit 0
fi
set +e
# The console goes to console.log; the guest's "[lab]" lines are shown as they come.
timeout --foreground "${LAB_TIMEOUT:-3600}" "${QEMU[@]}" < /dev/null 2>&1 | tee "$OUT/console.log" \
  | grep --line-buffered -E '^\[lab\]|Kernel panic|BUG:|Oops' | sed -u "s/^/  $NAME /"
rc=${PIPESTATUS[0]}
set -e
echo "qemu exit $rc, $(( $(date +%s) - start )) s wall" > "$OUT/wall.txt"
tar -xf "$LAB_RUN/io.img" -C "$OUT" 2>/dev/null || true
if [ ! -f "$OUT/done" ]; then
  say "boot $NAME did not finish (qemu exit $rc): see $OUT/console.log"
  exit 1
fi
say "boot $NAME: $(cat "$OUT/wall.txt")"
