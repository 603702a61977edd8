#!/bin/bash
# The lab's own check, without a kernel or QEMU (seconds): the scripts parse, shellcheck is clean when it is
# installed, the C reference compiles, and each topology maps to the QEMU arguments it promises.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/scripts/qemu-args.sh"
fails=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }

# --- the scripts parse
for f in "$here/lab" "$here/test.sh" "$here"/scripts/*.sh; do
  if bash -n "$f"; then ok "bash -n ${f#"$here"/}"; else bad "bash -n ${f#"$here"/}"; fi
done
for f in "$here/guest/init" "$here/guest/lab.sh" "$here"/scenarios/*.sh; do
  if sh -n "$f"; then ok "sh -n ${f#"$here"/}"; else bad "sh -n ${f#"$here"/}"; fi
done
if command -v shellcheck >/dev/null && cd "$here"; then   # sourced paths resolve from lab/
  if shellcheck -x -P "$here/scripts" "$here/lab" "$here/test.sh" "$here"/scripts/*.sh; then ok "shellcheck (host scripts)"
  else bad "shellcheck (host scripts)"; fi
  if shellcheck -s sh -e SC1091 "$here/guest/init" "$here/guest/lab.sh"; then ok "shellcheck -s sh (guest)"
  else bad "shellcheck -s sh (guest)"; fi
  # Scenarios are sourced by lab.sh in the guest: its helpers and LAB_BOOT come from there.
  if shellcheck -s sh -e SC2154,SC2034 "$here"/scenarios/*.sh; then ok "shellcheck -s sh (scenarios)"
  else bad "shellcheck -s sh (scenarios)"; fi
else
  echo "skip  shellcheck (not installed: apt-get install shellcheck)"
fi
if command -v gcc >/dev/null; then
  if gcc -O2 -Wall -Wextra -Werror -o /dev/null "$here/src/p2pref.c"; then ok "gcc -Wall -Wextra -Werror src/p2pref.c"
  else bad "gcc src/p2pref.c"; fi
fi

# --- topology -> QEMU arguments
# args "OPTIONS": the arguments on one line, space-separated (as lab_qemu_args prints them one per line)
args() { local o; read -ra o <<< "$1"; LAB_RUN=/r lab_qemu_args ${o[@]+"${o[@]}"} | tr '\n' ' '; }
has() {  # has NAME "OPTIONS" "TEXT": the arguments for OPTIONS contain TEXT
  local a; a=$(args "$2")
  if [[ $a == *"$3"* ]]; then ok "$1"; else bad "$1: '$3' missing from: $a"; fi
}
hasnt() {
  local a; a=$(args "$2")
  if [[ $a != *"$3"* ]]; then ok "$1"; else bad "$1: '$3' present in: $a"; fi
}
before() {  # before NAME "OPTIONS" FIRST SECOND: FIRST comes before SECOND
  local a; a=$(args "$2")
  local x=${a%%"$3"*} y=${a%%"$4"*}
  if [ ${#x} -lt ${#a} ] && [ ${#x} -lt ${#y} ]; then ok "$1"; else bad "$1: '$3' not before '$4' in: $a"; fi
}

has    "default: q35 on one TCG thread"          ""                      "-machine q35 -accel tcg,thread=single"
has    "default: A behind the switch"            ""                      "serial=p2plab-A,cmb_size_mb=64,bus=dsp1"
has    "default: B behind the switch"            ""                      "serial=p2plab-B,cmb_size_mb=64,bus=dsp2"
has    "default: C on the second root port"      ""                      "serial=p2plab-C,cmb_size_mb=64,bus=rp2"
has    "default: the switch's ports"             ""                      "-device xio3130-downstream,id=dsp1,bus=usp1"
has    "default: upstream port under rp1"        ""                      "-device x3130-upstream,id=usp1,bus=rp1"
hasnt  "default: no CPU model (qemu64)"          ""                      "-cpu"
hasnt  "default: no IOMMU"                       ""                      "intel-iommu"
hasnt  "default: no IOMMU on the kernel line"    ""                      "intel_iommu=on"
has    "default: the exchange disk"              ""                      "-device virtio-blk-pci,drive=io,serial=lab-io"
has    "default: console on the serial port"     ""                      "--append console=ttyS0"
has    "acs-switch: root-port models as DSPs"    "--topology acs-switch" "-device pcie-root-port,id=dsp1,bus=usp1"
hasnt  "acs-switch: no xio3130 ports"            "--topology acs-switch" "-device xio3130-downstream"
has    "acs-switch: C still alone"               "--topology acs-switch" "serial=p2plab-C,cmb_size_mb=64,bus=rp2"
has    "root-ports: A on rp1"                    "--topology root-ports" "serial=p2plab-A,cmb_size_mb=64,bus=rp1"
has    "root-ports: B on rp2"                    "--topology root-ports" "serial=p2plab-B,cmb_size_mb=64,bus=rp2"
has    "root-ports: C on rp3"                    "--topology root-ports" "serial=p2plab-C,cmb_size_mb=64,bus=rp3"
hasnt  "root-ports: no switch"                   "--topology root-ports" "x3130-upstream"
has    "--zen: an AMD Zen CPU"                   "--zen"                 "-cpu EPYC"
has    "--cpu MODEL"                             "--cpu Skylake-Server"  "-cpu Skylake-Server"
has    "--iommu on: the device"                  "--iommu on"            "-device intel-iommu"
has    "--iommu on: the kernel parameter"        "--iommu on"            "intel_iommu=on"
hasnt  "--iommu on: no passthrough"              "--iommu on"            "iommu=pt"
has    "--iommu pt: passthrough"                 "--iommu pt"            "intel_iommu=on iommu=pt"
before "--iommu: before the ports"               "--iommu on"            "-device intel-iommu" "-device pcie-root-port"
has    "--multipath: a subsystem per drive"      "--multipath"           "-device nvme-subsys,id=subsysA"
has    "--multipath: controller in its subsystem" "--multipath"          "serial=p2plab-A,cmb_size_mb=64,bus=dsp1,subsys=subsysA"
has    "--multipath: namespace on its controller" "--multipath"          "-device nvme-ns,drive=nsA,bus=nvmeA,nsid=1"
hasnt  "--multipath: no drive= on the controller" "--multipath"          "nvme,id=nvmeA,drive="
has    "--append: extra kernel parameters"       "--append pci=noaer"    "pci=noaer"
for opt in "--topology mesh" "--iommu maybe" "--bogus" "--cpu a;b"; do
  # shellcheck disable=SC2086
  if lab_qemu_args $opt >/dev/null 2>&1; then bad "rejects $opt"; else ok "rejects $opt"; fi
done
# Every scenario names its boots, and each boot's options map to arguments.
for f in "$here"/scenarios/*.sh; do
  n=0
  while IFS= read -r line; do
    n=$((n + 1)); name=${line%% *}
    # shellcheck disable=SC2086
    if lab_qemu_args ${line#"$name"} >/dev/null; then ok "$(basename "$f") boot $name"; else bad "$(basename "$f") boot $name"; fi
  done < <(sed -n 's/^# boot: *//p' "$f")
  [ $n -gt 0 ] || bad "$(basename "$f") has no '# boot:' line"
  grep -q '^# title: ' "$f" || bad "$(basename "$f") has no '# title:' line"
done

echo
[ $fails -eq 0 ] && { echo "lab test: all passed"; exit 0; }
echo "lab test: $fails failed"; exit 1
