# shellcheck shell=bash
# Sourced by ./p2pscope and packaging/build-deb (which writes them into the installed launcher): the JVM options of
# a command-line run other than bench, in one place, since the start-up cache is trained with exactly these.
#
# The command line runs for seconds, not hours:
# - the serial collector on a heap that starts small (its young generation is sized from the initial heap; live data
#   of a 10,000-function load is about 25 MB) keeps such a load near 100 MB instead of 500-650 MB with G1's
#   defaults; the heap still grows to the JVM's default maximum when a load needs it;
# - objects that live through one young collection go straight to the old generation (MaxTenuringThreshold=0):
#   what a load keeps lives to the end, and copying it between survivor spaces first cost a 10,000-function load
#   ~30 ms of its ~125 ms of collector pauses;
# - the quick compiler alone (C1) spends less CPU compiling in such a short run.
# bench keeps the JVM's defaults (it measures warmed-up code) and no start-up cache. Figures and how to repeat them:
# docs/performance.md.
# shellcheck disable=SC2034  # used by the scripts that source this file
P2P_CLI_JVM_OPTS=(-XX:+UseSerialGC -XX:MaxTenuringThreshold=0 -XX:TieredStopAtLevel=1 -Xms16m)
