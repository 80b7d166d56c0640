package main

import (
	"runtime"
	"strconv"
)

// useRealtime is 3.0.6's rule: real-time scheduling unless ha.cf says
// "realtime off" or the daemon was started with -l.
func useRealtime(cfgRealtime, noRealtimeFlag bool) bool { return cfgRealtime && !noRealtimeFlag }

// daemonProcs is the GOMAXPROCS of the daemon: one, unless GOMAXPROCS is
// set in the environment. The daemon is idle nearly all the time and
// wakes for every packet and timer; with more than one P the runtime
// wakes a second thread to look for work on each of those wake-ups, which
// costs more CPU than the daemon's own work (measured: tests/bench/idle.sh).
func daemonProcs(env string) int {
	if n, err := strconv.Atoi(env); err == nil && n > 0 {
		return n
	}
	return 1
}

// setDaemonProcs applies daemonProcs (the runtime reads a valid
// GOMAXPROCS itself, so only the default needs setting).
func setDaemonProcs(env string) {
	if n := daemonProcs(env); n == 1 {
		runtime.GOMAXPROCS(1)
	}
}
