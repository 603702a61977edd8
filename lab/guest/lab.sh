# shellcheck shell=sh
# The lab guest's helpers (busybox sh). /init sources this file and calls lab_main; scenarios use the rest:
#   lab_ctrl X   the controller (nvmeN) of drive X (A, B or C, matched by serial p2plab-X)
#   lab_bdf X    its PCI function (0000:03:00.0)
#   lab_dev X    the block device a user would name (/dev/nvmeNn1; with --multipath, the multipath head)
#   lab_alloc X  its p2pmem allocate file
#   expect NAME CODE CMD...      run CMD, keep its output as NAME.txt, record PASS when it exits CODE
#   expect_text NAME TEXT        record PASS when NAME.txt contains TEXT (a fixed string)
#   note TEXT                    a line in the results' summary
#   seconds CMD...               run CMD quietly, print how long it took (wall, 0.01 s resolution)
# Scenario scripts run with the current directory set to this boot's output folder.

LAB_OUT=/tmp/out
SUMMARY=$LAB_OUT/summary.txt

lab_arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^lab\.$1=//p" | tail -1; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
log() { echo "[lab] $*"; }
note() { echo "$*" >> "$SUMMARY"; log "$*"; }

lab_ctrl() {
  for _lab_c in /sys/class/nvme/nvme*; do
    [ "$(tr -d ' ' < "$_lab_c/serial" 2>/dev/null)" = "p2plab-$1" ] && { basename "$_lab_c"; return 0; }
  done
  return 1
}
lab_bdf() { _lab_c=$(lab_ctrl "$1") && basename "$(readlink -f "/sys/class/nvme/$_lab_c/device")"; }
lab_dev() {
  _lab_c=$(lab_ctrl "$1") || return 1
  for _lab_n in /sys/class/nvme/"$_lab_c"/nvme*n1; do
    [ -e "$_lab_n" ] || continue
    _lab_n=$(basename "$_lab_n")
    case $_lab_n in
      nvme*c*n1) echo "/dev/$(echo "$_lab_n" | sed 's/c[0-9]*n/n/')" ;;   # a multipath path nvmeScCnN: its head is nvmeSnN
      *) echo "/dev/$_lab_n" ;;
    esac
    return 0
  done
  return 1
}
lab_alloc() { _lab_b=$(lab_bdf "$1") && echo "/sys/bus/pci/devices/$_lab_b/p2pmem/allocate"; }

# Helpers keep their variables in _lab_* names: sh has no locals, and a scenario's own variables must survive.
expect() {
  _lab_name=$1; _lab_want=$2; shift 2
  log "\$ $*"
  _lab_t0=$(uptime_s)
  "$@" > "$_lab_name.txt" 2>&1
  _lab_got=$?
  _lab_secs=$(awk -v a="$_lab_t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
  sed 's/^/    /' "$_lab_name.txt"
  printf '%s\n' "\$ $*" "exit $_lab_got (${_lab_secs} s)" >> "$_lab_name.txt"
  if [ "$_lab_got" = "$_lab_want" ]; then _lab_r=PASS; else _lab_r=FAIL; fi
  note "$_lab_r  $_lab_name: exit $_lab_got, expected $_lab_want (${_lab_secs} s)"
}
seconds() {
  _lab_t0=$(uptime_s)
  "$@" > /dev/null 2>&1
  awk -v a="$_lab_t0" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }'
}
expect_text() {
  if grep -qF -- "$2" "$1.txt" 2>/dev/null; then _lab_r=PASS; else _lab_r=FAIL; fi
  note "$_lab_r  $1: says \"$2\""
}

lab_io_disk() {
  for _lab_b in /sys/block/vd*; do
    [ "$(cat "$_lab_b/serial" 2>/dev/null)" = lab-io ] && { echo "/dev/$(basename "$_lab_b")"; return 0; }
  done
  return 1
}

lab_main() {
  BOOT=$(lab_arg boot); [ -n "$BOOT" ] || BOOT=boot
  log "guest up at $(uptime_s) s: $(uname -r), boot $BOOT"
  # Wait for the exchange disk and the three drives' block devices (NVMe probes asynchronously).
  i=0
  while [ $i -lt 120 ]; do
    IO=$(lab_io_disk) && [ -b "$IO" ] && lab_dev A >/dev/null && lab_dev B >/dev/null && lab_dev C >/dev/null \
      && [ -b "$(lab_dev A)" ] && [ -b "$(lab_dev B)" ] && [ -b "$(lab_dev C)" ] && break
    sleep 0.5; i=$((i + 1))
  done
  mkdir -p /lab/in "$LAB_OUT"
  if [ -z "$IO" ] || ! tar -xf "$IO" -C /lab/in; then
    log "no scenario on the exchange disk"; poweroff -f
  fi
  : > "$SUMMARY"
  {
    echo "boot $BOOT, kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "cmdline: $(cat /proc/cmdline)"
    for d in A B C; do
      echo "drive $d: $(lab_ctrl $d) at $(lab_bdf $d), $(lab_dev $d), p2pmem $(cat "/sys/bus/pci/devices/$(lab_bdf $d)/p2pmem/size" 2>/dev/null || echo none)"
    done
  } > "$LAB_OUT/guest.txt"
  sed 's/^/[lab] /' "$LAB_OUT/guest.txt"
  log "drives ready at $(uptime_s) s; running $(cat /lab/in/name)"
  export LAB_BOOT="$BOOT"
  if [ "$(lab_arg shell)" = 1 ]; then
    log "interactive shell: the drives are A=$(lab_dev A) B=$(lab_dev B) C=$(lab_dev C); exit powers off"
    setsid cttyhack sh -l; poweroff -f
  fi
  (cd "$LAB_OUT" && . /lab/in/scenario.sh) 2>&1 | tee "$LAB_OUT/scenario.log"
  dmesg > "$LAB_OUT/dmesg.txt"
  uptime_s > "$LAB_OUT/done"
  log "scenario done at $(uptime_s) s; writing results"
  tar -cf "$IO" -C "$LAB_OUT" . && sync
  poweroff -f
}
