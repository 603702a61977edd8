# Sourced: the mapping from a lab topology to QEMU arguments and kernel parameters. Pure (no I/O), so that
# lab/test.sh can check it without a kernel. Not executable on its own.
# shellcheck shell=bash

# The drives: A and B behind one switch (or on two ports of one), C on a root port of its own.
LAB_DRIVES=(A B C)

# lab_topology_usage: the options lab_qemu_args understands (shared by boot and run).
lab_topology_usage() {
  cat <<'TXT'
topology options:
  --topology switch      A and B behind one PCIe switch (QEMU's x3130/xio3130, no ACS capability), C on its own
                         root port (default)
  --topology acs-switch  the same, with ACS-capable downstream ports (QEMU's pcie-root-port, its only port model
                         with an ACS capability, plugged under the switch's upstream port)
  --topology root-ports  A, B and C each on a root port of its own
  --cpu MODEL            the guest CPU (QEMU's default qemu64 is AMD family 0xf: no Zen rule)
  --zen                  an AMD Zen CPU (-cpu EPYC, family 0x17): the kernel allows traffic through the host bridge
  --iommu on|pt          a virtual Intel IOMMU with intel_iommu=on (the kernel then turns ACS on where it exists);
                         pt adds iommu=pt (a passthrough DMA domain)
  --multipath            one NVMe subsystem per drive, as dual-port drives have: namespaces are reached through
                         native multipath heads (/sys/devices/virtual/nvme-subsystem/...)
  --append "ARGS"        extra kernel parameters (e.g. pci=disable_acs_redir=...)
  --drive-mb N           size of each drive's namespace (default 128)
TXT
}

# lab_qemu_args OPTIONS... -- prints one QEMU argument per line, then a line "--append", then the kernel parameters
# on one line. Images are named $LAB_RUN/drive-X.img and $LAB_RUN/io.img (the caller creates them).
# Returns 2 with a message on stderr for an unknown option or value.
lab_qemu_args() {
  local topology=switch cpu="" iommu=off multipath=0 append="" run=${LAB_RUN:-.}
  while [ $# -gt 0 ]; do
    case $1 in
      --topology) topology=${2:-}; shift 2 ;;
      --cpu) cpu=${2:-}; shift 2 ;;
      --zen) cpu=EPYC; shift ;;
      --iommu) iommu=${2:-}; shift 2 ;;
      --multipath) multipath=1; shift ;;
      --append) append="$append ${2:-}"; shift 2 ;;
      --drive-mb) shift 2 ;;          # used by the caller when it creates the images
      *) echo "unknown topology option: $1" >&2; return 2 ;;
    esac
  done
  case $topology in switch|acs-switch|root-ports) ;; *) echo "unknown topology: $topology" >&2; return 2 ;; esac
  case $iommu in off|on|pt) ;; *) echo "--iommu takes on or pt, not: $iommu" >&2; return 2 ;; esac
  [ -z "$cpu" ] || [[ $cpu =~ ^[A-Za-z0-9_.,=+-]+$ ]] || { echo "bad CPU model: $cpu" >&2; return 2; }

  # Machine: q35 (host bridge 8086:29c0, not on the kernel's allowlist). One TCG thread: multi-threaded TCG
  # occasionally crashes this kernel while it patches static keys (cross-modifying code).
  printf '%s\n' -machine q35 -accel tcg,thread=single -m 2G -smp 2 -nographic -no-reboot -nic none -vga none
  [ -z "$cpu" ] || printf '%s\n' -cpu "$cpu"
  # The IOMMU must come before the devices it translates for.
  [ "$iommu" = off ] || printf '%s\n' -device intel-iommu
  # Ports: where each drive plugs in.
  local -A port
  case $topology in
    switch|acs-switch)
      printf '%s\n' -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x4 \
                    -device x3130-upstream,id=usp1,bus=rp1
      if [ "$topology" = switch ]; then
        printf '%s\n' -device xio3130-downstream,id=dsp1,bus=usp1,chassis=2,slot=0 \
                      -device xio3130-downstream,id=dsp2,bus=usp1,chassis=3,slot=0
      else
        printf '%s\n' -device pcie-root-port,id=dsp1,bus=usp1,chassis=2,slot=0,addr=0x0 \
                      -device pcie-root-port,id=dsp2,bus=usp1,chassis=3,slot=0,addr=0x1
      fi
      printf '%s\n' -device pcie-root-port,id=rp2,bus=pcie.0,chassis=4,addr=0x5
      port=([A]=dsp1 [B]=dsp2 [C]=rp2) ;;
    root-ports)
      printf '%s\n' -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x4 \
                    -device pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x5 \
                    -device pcie-root-port,id=rp3,bus=pcie.0,chassis=3,addr=0x7
      port=([A]=rp1 [B]=rp2 [C]=rp3) ;;
  esac
  # Drives: NVMe with a 64 MiB CMB each (the kernel publishes it as p2pmem), serial p2plab-X.
  local d
  for d in "${LAB_DRIVES[@]}"; do
    printf '%s\n' -drive "file=$run/drive-$d.img,if=none,id=ns$d,format=raw"
    if [ $multipath = 1 ]; then
      printf '%s\n' -device "nvme-subsys,id=subsys$d,nqn=nqn.2026-11.dev.p2pscope:lab-$d" \
                    -device "nvme,id=nvme$d,serial=p2plab-$d,cmb_size_mb=64,bus=${port[$d]},subsys=subsys$d" \
                    -device "nvme-ns,drive=ns$d,bus=nvme$d,nsid=1"
    else
      printf '%s\n' -device "nvme,id=nvme$d,drive=ns$d,serial=p2plab-$d,cmb_size_mb=64,bus=${port[$d]}"
    fi
  done
  # The exchange disk: the scenario in (a tar), the results out (a tar), serial lab-io.
  printf '%s\n' -drive "file=$run/io.img,if=none,id=io,format=raw" \
                -device virtio-blk-pci,drive=io,serial=lab-io,bus=pcie.0,addr=0x6
  local kargs="console=ttyS0 panic=-1 quiet loglevel=4"
  case $iommu in on) kargs="$kargs intel_iommu=on" ;; pt) kargs="$kargs intel_iommu=on iommu=pt" ;; esac
  printf '%s\n' --append "$kargs${append}"
}
