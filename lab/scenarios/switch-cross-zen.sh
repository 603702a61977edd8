# title: Same switch copies, cross-root refusal, AMD Zen CPU allows the cross pair
# boot: default --topology switch
# boot: zen --topology switch --zen
#
# Guest side (busybox sh), run once per "# boot:" line in that boot's output folder; $LAB_BOOT names the boot.
# Drives A and B share a switch; C sits on another root port. The C reference (p2pref) asks the kernel directly,
# so every P2PScope verdict below is checked against what the kernel then does.
A=$(lab_dev A); B=$(lab_dev B); C=$(lab_dev C)
PA=$(lab_bdf A); PB=$(lab_bdf B); PC=$(lab_bdf C)
W="--allow-write-device $A --allow-write-device $B --allow-write-device $C"

# What P2PScope reads from the live sysfs (matrix.txt is compared on the host with the snapshot's).
expect matrix 0 p2pscope matrix --sysfs /
expect check-same-switch 0 p2pscope check --sysfs / --provider "$PA" --client "$PB"
expect_text check-same-switch "map type  BUS_ADDR"
expect check-cross-root 0 p2pscope check --sysfs / --provider "$PA" --client "$PC"

# Same switch: real copies through A's CMB, data checked, both ways and with the kernel's own pick.
# shellcheck disable=SC2086  # $W is a list of options
{
expect copy-same-switch-1M 0 p2pscope copy "$A" "$B" --p2pmem "$(lab_alloc A)" -s 1M -c 16 --check $W
expect_text copy-same-switch-1M "MATCH on data check"
expect copy-same-switch-4k-4t 0 p2pscope copy "$B" "$A" --p2pmem "$(lab_alloc A)" -s 4k -c 256 -t 4 --check --json $W
expect_text copy-same-switch-4k-4t '"match":true'
expect copy-auto 0 p2pscope copy "$A" "$B" --p2pmem auto -s 64k -c 16 --check $W
expect_text copy-auto "MATCH on data check"
}

case $LAB_BOOT in
  default)
    # qemu64 is AMD family 0xf, not Zen, and q35's host bridge is not on the allowlist: the kernel refuses.
    expect_text check-cross-root "map type  NOT_SUPPORTED"
    expect ref-cross-root 4 p2pref "$A" "$C" "$(lab_alloc A)" -s 1M -c 4
    expect_text ref-cross-root "Remote I/O error"
    # shellcheck disable=SC2086
    expect copy-cross-root 4 p2pscope copy "$A" "$C" --p2pmem "$(lab_alloc A)" -s 1M -c 4 $W
    expect_text copy-cross-root "preflight refused"
    # shellcheck disable=SC2086
    expect copy-cross-root-forced 4 p2pscope copy "$A" "$C" --p2pmem "$(lab_alloc A)" -s 1M -c 4 --force $W
    expect_text copy-cross-root-forced "the kernel refused"
    ;;
  zen)
    # -cpu EPYC is AMD family 0x17: the kernel's Zen rule lets the pair through the host bridge.
    expect_text check-cross-root "map type  THRU_HOST_BRIDGE"
    expect ref-cross-root 0 p2pref "$A" "$C" "$(lab_alloc A)" -s 1M -c 4
    # shellcheck disable=SC2086
    expect copy-cross-root 0 p2pscope copy "$A" "$C" --p2pmem "$(lab_alloc A)" -s 1M -c 16 --check $W
    expect_text copy-cross-root "MATCH on data check"
    ;;
esac

expect snapshot 0 p2pscope snapshot -o snapshot.tar.gz
dmesg | grep -iE 'p2p|peer-to-peer|EREMOTE|critical target' > kernel-p2p.txt
