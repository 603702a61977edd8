#!/bin/bash
# Builds the lab kernel (bzImage, no modules) from Debian's linux-source-6.12, once.
# Reruns only when the tarball or lab/kernel/p2plab.config changed. Takes ~15 min on two cores.
set -euo pipefail
. "$(dirname "$0")/common.sh"

FRAGMENT=$LAB_DIR/kernel/p2plab.config
[ -f "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL missing: run lab/scripts/install-deps.sh"
want=$(hash_of "$FRAGMENT" <(ls -l --time-style=+%s "$KERNEL_TARBALL"))
if stamp_ok "$LAB_CACHE/kernel.stamp" "$want" && [ -f "$KERNEL_IMAGE" ]; then
  say "kernel up to date ($KERNEL_IMAGE)"; exit 0
fi
mkdir -p "$LAB_CACHE"
if [ ! -f "$KERNEL_TREE/Makefile" ]; then
  say "unpacking $KERNEL_TARBALL"
  tar -xf "$KERNEL_TARBALL" -C "$LAB_CACHE"
fi
cd "$KERNEL_TREE"
say "configuring: x86_64 defconfig + $FRAGMENT"
make -s defconfig
scripts/kconfig/merge_config.sh -m -O . .config "$FRAGMENT" >/dev/null
make -s olddefconfig
# Every "=y" line of the fragment must have survived olddefconfig (a dependency may have dropped it).
bad=0
while IFS= read -r line; do
  grep -qxF "$line" .config || { say "config did not stick: $line"; bad=1; }
done < <(grep -E '^CONFIG_[A-Z0-9_]+=y$' "$FRAGMENT")
[ $bad -eq 0 ] || die "kernel config incomplete (see above)"
cp .config "$LAB_CACHE/kernel.config"
say "building bzImage with -j$JOBS at nice 19 (log: $LAB_CACHE/kernel-build.log)"
start=$(date +%s)
if ! nice -n 19 make -j"$JOBS" bzImage > "$LAB_CACHE/kernel-build.log" 2>&1; then
  tail -20 "$LAB_CACHE/kernel-build.log" >&2; die "kernel build failed"
fi
cp arch/x86/boot/bzImage "$KERNEL_IMAGE"
echo "$want" > "$LAB_CACHE/kernel.stamp"
say "kernel built in $(( $(date +%s) - start )) s: $KERNEL_IMAGE ($(make -s kernelrelease))"
