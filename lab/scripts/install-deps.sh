#!/bin/bash
# Installs the Debian packages the lab needs, with apt-get (Debian 12 "bookworm" or newer).
# Idempotent: packages already installed are left alone. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  linux-source-6.12          # the kernel source the lab builds (a tarball under /usr/src)
  build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils kmod   # kernel build
  qemu-system-x86            # the emulator (TCG; no KVM needed)
  busybox-static             # the guest's userland
  pciutils                   # lspci on the host, to decode a captured config space
  shellcheck                 # the scripts' own check (lab/test.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "lab: all Debian packages present"
  exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "lab: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
