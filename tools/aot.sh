# Sourced by ./p2pscope (and tested by AotCacheScriptTest): the JDK ahead-of-time cache (JEP 483/514/515) that
# makes P2PScope start faster. The JVM validates a cache itself and runs without one it cannot use, but it checks
# only file sizes and dates; we also record what a cache was built for (checksums of our own jars, the JDK's exact
# version and the launch options) and pass -XX:AOTCache only when that record matches. A stale, missing or broken
# cache therefore costs nothing but the speed-up.

# The JVM options every P2PScope start uses when it uses the cache; none of them may print anything on stdout.
P2P_AOT_QUIET=(-Xlog:aot*=off -Xlog:cds*=off)

# Prints the key of a cache for these jars on the JDK at JAVA_HOME with these launch options:
#   p2p_aot_key "OPTIONS AS ONE STRING" JAR...
# The key changes whenever a jar's content, the JDK build or the options change.
p2p_aot_key() {
  local opts=$1; shift
  local jdk
  jdk=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  [ -n "$jdk" ] || jdk=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  printf 'p2pscope-aot 1\njdk %s %s\noptions %s\n' "${jdk:-unknown}" "$JAVA_HOME" "$opts"
  sha256sum -- "$@" 2>/dev/null | sed 's/^/jar /'
}

# Succeeds when CACHE exists and CACHE.key holds exactly KEY.
p2p_aot_usable() {
  local cache=$1 key=$2
  [ -s "$cache" ] && [ -f "$cache.key" ] && [ "$(cat "$cache.key")" = "$key" ]
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
  [ -f "$cache.key" ] && [ "$(cat "$cache.key")" = "$(printf 'failed\n%s' "$key")" ]
}
