#!/bin/bash
# Builds what the guest runs, into the cache: a jlinked JDK 25 runtime (once per JDK and module list), the static
# C reference, and the initramfs (busybox, /init, P2PScope's jar and libraries without JavaFX, the runtime).
# Cheap (seconds) except the first jlink; reruns only what changed.
set -euo pipefail
. "$(dirname "$0")/common.sh"

APP_JAR=$REPO_DIR/app/target/p2pscope.jar
APP_LIB=$REPO_DIR/app/target/lib
[ -x "$JDK_HOME/bin/jlink" ] || die "no JDK 25 at $JDK_HOME (set P2PSCOPE_LAB_JDK)"
[ -f "$APP_JAR" ] || die "$APP_JAR missing: build P2PScope first (./run-tests -q -DskipTests)"
command -v busybox >/dev/null || die "busybox missing: run lab/scripts/install-deps.sh"

# The guest runs the command line only: JavaFX and ControlsFX stay on the host (Main never loads them for a
# subcommand, and a Class-Path entry that is missing is skipped by the class loader).
guest_libs() { find "$APP_LIB" -maxdepth 1 -name '*.jar' ! -name 'javafx-*' ! -name 'controlsfx-*' | sort; }

# --- 1. the runtime: the modules jdeps finds in the guest's jars, nothing compressed (TCG pays for inflating)
RUNTIME=$LAB_CACHE/runtime
MODULES=java.base,java.desktop,java.prefs,java.sql,java.logging,jdk.unsupported
want=$(hash_of <("$JDK_HOME/bin/java" -version 2>&1; echo "$MODULES"))
if ! stamp_ok "$LAB_CACHE/runtime.stamp" "$want" || [ ! -x "$RUNTIME/bin/java" ]; then
  say "jlink: $MODULES from $JDK_HOME"
  rm -rf "$RUNTIME"
  mapfile -t libs < <(guest_libs)
  found=$("$JDK_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
            -cp "$(IFS=:; echo "${libs[*]}")" "$APP_JAR" "${libs[@]}" 2>/dev/null | tail -1)
  for m in ${found//,/ }; do
    [[ ",$MODULES," == *",$m,"* ]] || die "jdeps says the guest needs module $m: add it to MODULES in $0"
  done
  nice "$JDK_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
       --output "$RUNTIME"
  echo "$want" > "$LAB_CACHE/runtime.stamp"
fi

# --- 2. the C reference, static (the guest has no libc)
mkdir -p "$LAB_CACHE/bin"
REF=$LAB_CACHE/bin/p2pref
if [ ! -x "$REF" ] || [ "$LAB_DIR/src/p2pref.c" -nt "$REF" ]; then
  say "gcc: p2pref"
  gcc -static -O2 -Wall -Wextra -o "$REF" "$LAB_DIR/src/p2pref.c"
fi

# --- 3. the initramfs root
ROOT=$LAB_CACHE/initramfs
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,etc,proc,sys,dev,tmp,run,mnt,lab,opt/p2pscope/lib}
cp "$(command -v busybox)" "$ROOT/bin/busybox"
for a in $("$ROOT/bin/busybox" --list); do [ -e "$ROOT/bin/$a" ] || ln -s busybox "$ROOT/bin/$a"; done
cp "$REF" "$ROOT/bin/p2pref"
cp "$LAB_DIR/guest/init" "$ROOT/init"
cp "$LAB_DIR/guest/lab.sh" "$ROOT/etc/lab.sh"
cp -a "$RUNTIME" "$ROOT/opt/jdk"
cp -p "$APP_JAR" "$ROOT/opt/p2pscope/"
guest_libs | xargs -I{} cp -p {} "$ROOT/opt/p2pscope/lib/"
# The runtime's shared libraries (glibc and friends) at the paths the dynamic linker looks in.
find "$ROOT/opt/jdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 | xargs -0 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' \
  | grep -v "^$ROOT/" | sort -u | while read -r so; do
    mkdir -p "$ROOT$(dirname "$so")"; cp -L "$so" "$ROOT$so"
  done
printf 'root:x:0:0:root:/lab:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'export PATH=/bin:/sbin:/opt/jdk/bin\n. /etc/lab.sh\ncd /tmp\n' > "$ROOT/etc/profile"

# The JVM's options, shared by the guest's p2pscope and the AOT training run (an AOT cache is only used by a JVM
# started with the same class path and GC). Serial GC: the guest has two vCPUs on one emulator thread, where
# G1's concurrent threads only take turns from the copy.
mkdir -p "$LAB_CACHE/train-classes"
"$JDK_HOME/bin/javac" --release 25 -cp "$APP_JAR" \
  -d "$LAB_CACHE/train-classes" "$LAB_DIR/guest/LabTrain.java"
"$JDK_HOME/bin/jar" --create --date=2026-01-01T00:00:00Z --file "$ROOT/opt/p2pscope/lab-train.jar" -C "$LAB_CACHE/train-classes" .
touch -r "$LAB_DIR/guest/LabTrain.java" "$ROOT/opt/p2pscope/lab-train.jar"   # a stable date for the AOT cache
# No AOT adapter or stub code in the cache: JDK 25 compiles it for the training machine's CPU (AVX and all) and
# does not check the CPU when loading it, so a guest on QEMU's qemu64 died of SIGILL in an AdapterBlob.
# The class path is spelled out (the jar's manifest names no libraries): the same list, in the same order, in every
# run, which the AOT cache also requires.
guest_cp=/opt/p2pscope/p2pscope.jar
for lib in $(guest_libs); do guest_cp=$guest_cp:/opt/p2pscope/lib/$(basename "$lib"); done
guest_cp=$guest_cp:/opt/p2pscope/lab-train.jar
cat > "$ROOT/opt/p2pscope/jvm.args" <<ARGS
-XX:+UnlockDiagnosticVMOptions
-XX:-AOTAdapterCaching
-XX:-AOTStubCaching
-XX:+UseSerialGC
-Xmx512m
--enable-native-access=ALL-UNNAMED
-cp $guest_cp
ARGS
cat > "$ROOT/bin/p2pscope" <<'SH'
#!/bin/sh
# P2PScope's command line in the lab guest. With the AOT cache (lab/lab build trains one) the JVM starts with the
# classes already loaded and linked and with profiles from the training run; LAB_NO_AOT=1 runs without it.
aot=
[ -f /opt/p2pscope/p2pscope.aot ] && [ -z "${LAB_NO_AOT:-}" ] && aot=-XX:AOTCache=/opt/p2pscope/p2pscope.aot
exec /opt/jdk/bin/java @/opt/p2pscope/jvm.args $aot $LAB_JAVA_OPTS dev.p2pscope.Main "$@"
SH
chmod +x "$ROOT/bin/p2pscope" "$ROOT/init"

# --- 4. the AOT cache: trained once per jar/runtime/training change, in a chroot of this very root on the host
# (same paths, same jars, same runtime as in the guest), in a private mount namespace that vanishes afterwards.
AOT=$LAB_CACHE/p2pscope.aot
key=$(hash_of "$ROOT/opt/p2pscope/jvm.args" "$LAB_DIR/guest/train-commands.txt" "$LAB_DIR/guest/LabTrain.java" \
        <(cd "$ROOT" && find opt \( -name '*.jar' -o -name modules -o -name '*.so' \) -printf '%P %s %T@\n' | sort))
if [ "${LAB_AOT:-1}" = 0 ]; then
  say "AOT cache: skipped (LAB_AOT=0)"
elif stamp_ok "$AOT.stamp" "$key" && [ -f "$AOT" ]; then
  cp "$AOT" "$ROOT/opt/p2pscope/p2pscope.aot"
else
  say "AOT cache: training run in a chroot of the guest's root"
  T=$ROOT/lab/train; mkdir -p "$T/base"
  cp "$REPO_DIR/core/src/test/resources/dev/p2pscope/core/topology/snapshots/qemu612-base.tar.gz" "$T/base.tar.gz"
  tar -xzf "$T/base.tar.gz" -C "$T/base"
  head -c 8M /dev/urandom > "$T/src.bin"
  cp "$LAB_DIR/guest/train-commands.txt" "$T/commands.txt"
  userns=(); [ "$(id -u)" -eq 0 ] || userns=(--map-root-user)   # without root: a user namespace
  # shellcheck disable=SC2016  # $1 expands in the inner shell
  if unshare ${userns[@]+"${userns[@]}"} --mount --fork -- sh -c 'mount -t proc proc "$1/proc" && mount -t tmpfs tmpfs "$1/tmp" &&
       exec chroot "$1" /opt/jdk/bin/java @/opt/p2pscope/jvm.args -XX:AOTCacheOutput=/lab/train/p2pscope.aot \
         LabTrain /lab/train/commands.txt' sh "$ROOT" > "$LAB_CACHE/aot-train.log" 2>&1 \
     && [ -f "$T/p2pscope.aot" ]; then
    cp "$T/p2pscope.aot" "$AOT"; echo "$key" > "$AOT.stamp"
    cp "$AOT" "$ROOT/opt/p2pscope/p2pscope.aot"
    say "AOT cache: $(du -m "$AOT" | cut -f1) MB"
  else
    say "AOT cache: training failed, the guest runs without one (see $LAB_CACHE/aot-train.log)"
  fi
  rm -rf "$T"
fi

# --- 5. the archive. Uncompressed: under TCG inflating a gzip costs more than QEMU copying the bytes.
(cd "$ROOT" && find . | sort | cpio -o -H newc --quiet) > "$INITRAMFS.tmp"
mv "$INITRAMFS.tmp" "$INITRAMFS"
say "initramfs: $INITRAMFS ($(du -m "$INITRAMFS" | cut -f1) MB)"
