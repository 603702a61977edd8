# Sourced by the lab's scripts: where things live, and small helpers. Not executable on its own.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are for the scripts that source this file

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
# Everything built (kernel tree, images, runtime) lives in the cache, never in the git tree.
LAB_CACHE=${P2PSCOPE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/p2pscope-lab}
KERNEL_SERIES=6.12
KERNEL_TARBALL=/usr/src/linux-source-$KERNEL_SERIES.tar.xz
KERNEL_TREE=$LAB_CACHE/linux-source-$KERNEL_SERIES
KERNEL_IMAGE=$LAB_CACHE/bzImage
INITRAMFS=$LAB_CACHE/initramfs.cpio
JDK_HOME=${P2PSCOPE_LAB_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JOBS=${LAB_JOBS:-2}

say() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: %s\n' "$*" >&2; exit 1; }

# A stamp file holds the hash of what a step was built from; the step reruns only when it changed.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
