# shellcheck shell=bash
# Sourced by ./p2pscope and by the installed /usr/bin/p2pscope (packaging/p2pscope.in; the package installs this
# file as /opt/p2pscope/lib/window.sh): whether a run opens the window, and whether this machine can show one.
# One owner for both launchers, so a clone and the package decide alike.

# Succeeds when the arguments open the window: none at all, a window option first (--sample, --select, ...), or a
# headless window mode anywhere (--screenshot, --bench-render). --help and --version, and every subcommand, are
# the command line's.
p2p_wants_window() {
  [ $# -eq 0 ] && return 0
  [[ " $* " == *" --screenshot"* ]] || [[ " $* " == *" --bench-render"* ]] && return 0
  [[ "$1" == --* && "$1" != --help && "$1" != --version ]]
}

# Succeeds when GTK 3, which JavaFX draws its windows with on Linux, is installed.
p2p_has_gtk3() {
  compgen -G "/usr/lib/*/libgtk-3.so.0" >/dev/null || compgen -G "/usr/lib64/libgtk-3.so.0" >/dev/null \
    || { command -v ldconfig >/dev/null && ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0'; }
}

# Prints why no window can be shown here (nothing when one can): no display, or no GTK 3.
p2p_no_window_reason() {
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "there is no display: DISPLAY and WAYLAND_DISPLAY are unset"
  elif ! p2p_has_gtk3; then
    echo "GTK 3, which JavaFX draws windows with, is not installed: apt install libgtk-3-0"
  fi
}

# Appends to the array named $1 the JVM options for a window that cannot be shown: JavaFX's own headless platform
# then renders it to a picture, and the app says why no window appears. Appends nothing when a window can be shown.
p2p_window_opts() {
  local -n into=$1
  local reason
  reason=$(p2p_no_window_reason)
  if [ -n "$reason" ]; then
    into+=(-Dglass.platform=Headless -Dprism.order=sw "-Dp2pscope.noWindow=$reason")
  fi
}
