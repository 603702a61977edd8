# title: One NVMe subsystem per drive: the kernel refuses p2pmem I/O through a multipath head, even on one drive
# boot: multipath --topology switch --multipath
#
# Guest side. With native NVMe multipath each namespace is reached through a head device under
# /sys/devices/virtual/nvme-subsystem/, whose queue does not advertise P2PDMA: O_DIRECT with a p2pmem buffer
# fails there, whatever the PCI verdict. The C reference shows what the kernel does; P2PScope must not run it.
A=$(lab_dev A); B=$(lab_dev B)
PA=$(lab_bdf A); PB=$(lab_bdf B)
note "A is $A ($(readlink -f "/sys/class/block/${A#/dev/}")), B is $B"
expect check-same-switch 0 p2pscope check --sysfs / --provider "$PA" --client "$PB"
expect_text check-same-switch "map type  BUS_ADDR"
# The PCI path A -> B is fine, yet the kernel refuses I/O through the heads (same drive too).
expect ref-head-same-switch 4 p2pref "$A" "$B" "$(lab_alloc A)" -s 64k -c 4
expect_text ref-head-same-switch "Remote I/O error"
expect ref-head-same-drive 4 p2pref "$A" "$A" "$(lab_alloc A)" -s 64k -c 4
expect_text ref-head-same-drive "Remote I/O error"
# The control: host memory through the same heads works.
expect ref-head-host-memory 0 p2pref "$A" "$B" host -s 64k -c 4
# What P2PScope says about copying through the heads (the kernel refuses: exit 4 either way).
expect copy-head 4 p2pscope copy "$A" "$B" --p2pmem "$(lab_alloc A)" -s 64k -c 4 --allow-write-device "$B"
expect snapshot 0 p2pscope snapshot -o snapshot.tar.gz
dmesg | grep -iE 'p2p|peer-to-peer|EREMOTE|critical target' > kernel-p2p.txt
