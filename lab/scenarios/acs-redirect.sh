# title: ACS redirect on the switch's downstream ports (vIOMMU) refuses the same-switch pair; the boot parameter lifts it
# boot: acs --topology acs-switch --iommu pt
# boot: acs-lifted --topology acs-switch --iommu pt --append pci=disable_acs_redir=0000:02:00.0;0000:02:01.0
#
# Guest side. With an IOMMU the kernel turns ACS on at every port that has it (QEMU's pcie-root-port model, here
# standing in for the switch's downstream ports), so A -> B goes up to the host bridge, which q35's is not allowed
# to do. iommu=pt keeps the data path honest under QEMU (a translating vIOMMU sends all DMA through it).
A=$(lab_dev A); B=$(lab_dev B)
PA=$(lab_bdf A); PB=$(lab_bdf B)
expect matrix 0 p2pscope matrix --sysfs /
expect check-same-switch 0 p2pscope check --sysfs / --provider "$PA" --client "$PB"
case $LAB_BOOT in
  acs)
    expect_text check-same-switch "map type  NOT_SUPPORTED"
    expect_text check-same-switch "pci=disable_acs_redir="
    expect ref-same-switch 4 p2pref "$A" "$B" "$(lab_alloc A)" -s 64k -c 4
    expect copy-same-switch 4 p2pscope copy "$A" "$B" --p2pmem "$(lab_alloc A)" -s 64k -c 4 --allow-write-device "$B"
    ;;
  acs-lifted)
    expect_text check-same-switch "map type  BUS_ADDR"
    expect ref-same-switch 0 p2pref "$A" "$B" "$(lab_alloc A)" -s 64k -c 4
    expect copy-same-switch 0 p2pscope copy "$A" "$B" --p2pmem "$(lab_alloc A)" -s 64k -c 4 --allow-write-device "$B"
    ;;
esac
expect snapshot 0 p2pscope snapshot -o snapshot.tar.gz
dmesg | grep -iE 'p2p|peer-to-peer|ACS|EREMOTE|critical target' > kernel-p2p.txt
