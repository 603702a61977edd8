# shellcheck shell=bash
# Sourced by ./p2pscope (and tested by AotCacheScriptTest): the JDK ahead-of-time cache (JEP 483/514/515) that
# makes P2PScope start faster. The JVM validates a cache itself and runs without one it cannot use, but it checks
# only file sizes and dates; we also record what a cache was built for (checksums of our own jars, the JDK's exact
# version and the launch options) and pass -XX:AOTCache only when that record matches. A stale, missing or broken
# cache therefore costs nothing but the speed-up.

# The JVM options every P2PScope start uses when it uses the cache; none of them may print anything on stdout.
# shellcheck disable=SC2034  # used by the scripts that source this file
P2P_AOT_QUIET=("-Xlog:aot*=off" "-Xlog:cds*=off")

# Prints "SHA-256  FILE" for each file that can be read, with the first of sha256sum (coreutils), shasum (perl)
# or openssl that is installed. Fails, printing nothing, when none is.
p2p_aot_sums() {
  local f
  if command -v sha256sum >/dev/null; then
    sha256sum -- "$@" 2>/dev/null
  elif command -v shasum >/dev/null; then
    shasum -a 256 -- "$@" 2>/dev/null
  elif command -v openssl >/dev/null; then
    for f in "$@"; do
      [ -r "$f" ] && printf '%s  %s\n' "$(openssl dgst -sha256 -r <"$f" | cut -d' ' -f1)" "$f"
    done
  else
    return 1
  fi
  return 0
}

# Prints the key of a cache for these jars on the JDK at JAVA_HOME with these launch options:
#   p2p_aot_key "OPTIONS AS ONE STRING" JAR...
# The key changes whenever a jar's content, the JDK build or the options change. Without a tool to checksum the
# jars there is no key (a stale cache could not be told from a good one): it says so on stderr and fails, and
# the launcher then makes and uses no cache.
p2p_aot_key() {
  local opts=$1; shift
  local jdk sums
  if ! sums=$(p2p_aot_sums "$@"); then
    echo "p2pscope: no start-up cache: sha256sum, shasum or openssl is needed to checksum the jars it is made for (apt install coreutils)" >&2
    return 1
  fi
  local line runtime="" version=""
  if [ -r "$JAVA_HOME/release" ]; then   # read by bash itself, on every start: no process for it
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_RUNTIME_VERSION=\"(.*)\"$ ]]; then runtime=${BASH_REMATCH[1]}
      elif [[ $line =~ ^JAVA_VERSION=\"(.*)\"$ ]]; then version=${BASH_REMATCH[1]}; fi
    done <"$JAVA_HOME/release"
  fi
  jdk=${runtime:-$version}
  printf 'p2pscope-aot 1\njdk %s %s\noptions %s\n' "${jdk:-unknown}" "$JAVA_HOME" "$opts"
  [ -z "$sums" ] || printf '%s\n' "$sums" | sed 's/^/jar /'
}

# Succeeds when CACHE exists and CACHE.key holds exactly KEY.
p2p_aot_usable() {
  local cache=$1 key=$2
  [ -s "$cache" ] && [ -f "$cache.key" ] && [ "$(<"$cache.key")" = "$key" ]
}

# Creates CACHE for KEY by one training run: p2p_aot_create CACHE KEY JAVA-ARGS... (the arguments that start the
# training class). Writes to temporary files and renames them, so a concurrent run never sees half a cache. A
# failed training leaves CACHE.key saying so (no retry on every start) and returns non-zero.
p2p_aot_create() {
  local cache=$1 key=$2; shift 2
  local tmp="$cache.$$.tmp" log="$cache.$$.log"
  rm -f "$cache" "$cache.key"
  if "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$tmp" "$@" >"$log" 2>&1 && [ -s "$tmp" ]; then
    mv -f "$tmp" "$cache"
    printf '%s\n' "$key" >"$cache.key.$$" && mv -f "$cache.key.$$" "$cache.key"
    rm -f "$log" "$tmp.config"
    return 0
  fi
  mv -f "$log" "$cache.failed.log" 2>/dev/null
  printf 'failed\n%s\n' "$key" >"$cache.key"
  rm -f "$tmp" "$tmp.config"
  return 1
}

# Succeeds when an earlier training for KEY failed (see p2p_aot_create).
p2p_aot_failed_before() {
  local cache=$1 key=$2
  [ -f "$cache.key" ] && [ "$(<"$cache.key")" = "$(printf 'failed\n%s' "$key")" ]
}
