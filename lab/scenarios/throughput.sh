# title: copy's steady-state throughput against the C reference: same I/O, same p2pmem mapping, same boot
# boot: default --topology switch
#
# Guest side. A 1 MiB-chunk copy from A to B through A's CMB for $SECS seconds, by p2pscope copy and by p2pref,
# alternating, $ROUNDS times. Steady state = the mean of the per-second samples after the first $WARM seconds.
SECS=${SECS:-12}; ROUNDS=${ROUNDS:-3}; WARM=${WARM:-4}
A=$(lab_dev A); B=$(lab_dev B)
ALLOC=$(lab_alloc A)

steady() {   # steady FILE: mean of the per-second samples after the warm-up
  sed -n 's/.*"perSecondMBs":\[\([^]]*\)\].*/\1/p' "$1" | tr ',' '\n' \
    | awk -v w="$WARM" 'NF { n++; if (n > w) { s += $1; k++ } } END { if (k) printf "%.2f", s / k; else print "nan" }'
}

# JVM start under emulation, with and without the AOT cache (lab/lab build trains one): the same command twice each.
PA=$(lab_bdf A); PB=$(lab_bdf B)
for i in 1 2; do
  with=$(seconds p2pscope check --sysfs / --provider "$PA" --client "$PB")
  without=$(seconds env LAB_NO_AOT=1 p2pscope check --sysfs / --provider "$PA" --client "$PB")
  note "start-up $i: p2pscope check --sysfs / takes $with s with the AOT cache, $without s without"
done
expect aot-cache-used 0 env LAB_JAVA_OPTS=-XX:AOTMode=on p2pscope --version

round=1
while [ $round -le "$ROUNDS" ]; do
  expect "ref-$round" 0 p2pref "$A" "$B" "$ALLOC" -s 1M -c 16 -D "$SECS" --json
  expect "copy-$round" 0 p2pscope copy "$A" "$B" --p2pmem "$ALLOC" -s 1M -c 16 -D "$SECS" --json --allow-write-device "$B"
  ref=$(steady "ref-$round.txt"); cp=$(steady "copy-$round.txt")
  ratio=$(awk -v a="$cp" -v b="$ref" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }')
  note "round $round: steady state copy $cp MB/s, p2pref $ref MB/s, ratio $ratio"
  echo "$ratio" >> ratios.txt
  round=$((round + 1))
done
median=$(sort -n ratios.txt | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
if awk -v m="$median" 'BEGIN { exit !(m >= 0.95) }'; then res=PASS; else res=FAIL; fi
note "$res  throughput: median ratio copy / p2pref = $median over $ROUNDS rounds (goal >= 0.95)"
