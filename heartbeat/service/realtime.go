package service

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// Scheduling policies of sched_setscheduler(2).
const (
	schedOther = 0
	schedRR    = 2
)

// DefaultRTPrio is the SCHED_RR priority 3.0.6 runs at with "realtime on"
// and no rtprio line (seen on the lab's real daemon: every process
// SCHED_RR, priority 1).
const DefaultRTPrio = 1

// ErrRealtime means real-time scheduling could not be set for every thread.
var ErrRealtime = errors.New("cannot set real-time scheduling")

// Realtime sets SCHED_RR at prio (DefaultRTPrio when 0) for every thread
// of the process, as 3.0.6 does with "realtime on": heartbeats then go
// out and are read on time on a busy machine, where a late one can make
// the peer declare us dead. Threads the Go runtime starts later inherit
// the policy from the thread that creates them. Child processes inherit
// it too, so resource agents must be started through NormalPrefix.
func Realtime(prio int) error { return setAllThreads(schedRR, prio) }

// Normaltime puts every thread back to SCHED_OTHER.
func Normaltime() error { return setAllThreads(schedOther, 0) }

func setAllThreads(policy, prio int) error {
	if policy == schedRR && prio == 0 {
		prio = DefaultRTPrio
	}
	if policy == schedRR && (prio < 1 || prio > 99) {
		return fmt.Errorf("%w: priority %d out of 1..99", ErrRealtime, prio)
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRealtime, err)
	}
	var firstErr error
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := setScheduler(tid, policy, prio); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%w: thread %d: %v", ErrRealtime, tid, err)
		}
	}
	return firstErr
}

func setScheduler(tid, policy, prio int) error {
	param := struct{ prio int32 }{int32(prio)}
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, uintptr(tid), uintptr(policy), uintptr(unsafe.Pointer(&param)))
	if e != 0 {
		return e
	}
	return nil
}

// Policy returns the scheduling policy and priority of a thread (0 = the
// calling thread).
func Policy(tid int) (policy, prio int, err error) {
	p, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, uintptr(tid), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	var param struct{ prio int32 }
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETPARAM, uintptr(tid), uintptr(unsafe.Pointer(&param)), 0); e != 0 {
		return 0, 0, e
	}
	return int(p), int(param.prio), nil
}

// NormalPrefix is the command prefix that starts a resource agent at
// normal priority from a real-time daemon (3.0.6 switches its children
// back to normal time before it runs a script): chrt -o 0, or nil when
// chrt is not installed.
func NormalPrefix(lookPath func(string) (string, error)) []string {
	p, err := lookPath("chrt")
	if err != nil {
		return nil
	}
	return []string{p, "-o", "0"}
}
