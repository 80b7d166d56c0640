package proc

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// PR_SET_CHILD_SUBREAPER from <linux/prctl.h>.
const prSetChildSubreaper = 36

// EnableSubreaper makes this process the child subreaper (prctl
// PR_SET_CHILD_SUBREAPER) so that processes orphaned by an agent are
// re-parented to us instead of PID 1 and Run can reap the members of a
// killed group. It is process-wide; daemons call it once at start-up.
// Without it, a PID 1 that does not reap leaves zombies behind.
func EnableSubreaper() error {
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// ReapOrphans reaps zombie children of this process that os/exec is not
// waiting for (daemons started by agents that later died, re-parented to
// us as subreaper) and returns how many it reaped.
func ReapOrphans() int {
	self := os.Getpid()
	trackMu.Lock()
	defer trackMu.Unlock()
	n := 0
	for _, p := range scanProcs() {
		if p.ppid != self || p.state != 'Z' || leaders[p.pid] {
			continue
		}
		var ws syscall.WaitStatus
		if got, _ := syscall.Wait4(p.pid, &ws, syscall.WNOHANG, nil); got == p.pid {
			n++
		}
	}
	return n
}

// procInfo is the part of /proc/<pid>/stat we need.
type procInfo struct {
	pid, ppid, pgrp int
	state           byte
}

// GroupMembers returns the pids of the processes (including zombies) whose
// process group is pgid.
func GroupMembers(pgid int) []int {
	var pids []int
	for _, m := range groupMembers(pgid) {
		pids = append(pids, m.pid)
	}
	return pids
}

func groupMembers(pgid int) []procInfo {
	var out []procInfo
	for _, p := range scanProcs() {
		if p.pgrp == pgid {
			out = append(out, p)
		}
	}
	return out
}

func scanProcs() []procInfo {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var out []procInfo
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		if p, ok := parseStat(pid, data); ok {
			out = append(out, p)
		}
	}
	return out
}

// parseStat reads state, ppid and pgrp from a /proc/<pid>/stat line. The
// command name is in parentheses and may itself contain ") ", so fields are
// counted from the last ')'.
func parseStat(pid int, data []byte) (procInfo, bool) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 || i+2 >= len(data) || data[i+1] != ' ' {
		return procInfo{}, false
	}
	f := bytes.Fields(data[i+2:])
	if len(f) < 3 || len(f[0]) != 1 || !isStateLetter(f[0][0]) {
		return procInfo{}, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	pgrp, err2 := strconv.Atoi(string(f[2]))
	if err1 != nil || err2 != nil {
		return procInfo{}, false
	}
	return procInfo{pid: pid, ppid: ppid, pgrp: pgrp, state: f[0][0]}, true
}

// isStateLetter accepts the one-letter process states of /proc (R, S, D,
// Z, T, t, X, x, K, W, P, I).
func isStateLetter(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
