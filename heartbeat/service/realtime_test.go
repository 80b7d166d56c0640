package service

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"hbgo/internal/testenv"
)

// TestRealtimeAllThreads: every thread of the process runs SCHED_RR at
// the default priority afterwards, a thread started later inherits it,
// and a child started through NormalPrefix runs at normal time.
func TestRealtimeAllThreads(t *testing.T) {
	testenv.RequireRoot(t)
	if err := Realtime(0); err != nil {
		t.Skipf("no real-time scheduling here: %v", err)
	}
	t.Cleanup(func() { _ = Normaltime() })
	check := func(when string) {
		t.Helper()
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			tid, _ := strconv.Atoi(task.Name())
			pol, prio, err := Policy(tid)
			if err != nil {
				continue // the thread exited meanwhile
			}
			if pol != schedRR || prio != DefaultRTPrio {
				t.Errorf("%s: thread %d policy %d prio %d, want SCHED_RR %d", when, tid, pol, prio, DefaultRTPrio)
			}
		}
	}
	check("after Realtime")
	// Force new threads: goroutines locked to their threads while blocked.
	done := make(chan struct{})
	started := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func() {
			runtime.LockOSThread()
			started <- struct{}{}
			<-done
		}()
	}
	for i := 0; i < 4; i++ {
		<-started
	}
	check("with new threads")
	close(done)

	prefix := NormalPrefix(exec.LookPath)
	if prefix == nil {
		t.Skip("chrt not installed")
	}
	out, err := exec.Command(prefix[0], append(prefix[1:], "chrt", "-p", "0")...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "SCHED_OTHER") {
		t.Errorf("child through NormalPrefix: %s", out)
	}
	out, _ = exec.Command("chrt", "-p", "0").CombinedOutput()
	if !strings.Contains(string(out), "SCHED_RR") {
		t.Errorf("plain child of the real-time process: %s (want it to inherit SCHED_RR, which is why NormalPrefix exists)", out)
	}
}

func TestRealtimePriorityRange(t *testing.T) {
	if err := Realtime(100); !errors.Is(err, ErrRealtime) {
		t.Errorf("Realtime(100) = %v, want ErrRealtime", err)
	}
}

func TestNormalPrefixWithoutChrt(t *testing.T) {
	if p := NormalPrefix(func(string) (string, error) { return "", exec.ErrNotFound }); p != nil {
		t.Errorf("prefix %v without chrt", p)
	}
	if p := NormalPrefix(func(string) (string, error) { return "/usr/bin/chrt", nil }); strings.Join(p, " ") != "/usr/bin/chrt -o 0" {
		t.Errorf("prefix %v", p)
	}
}
