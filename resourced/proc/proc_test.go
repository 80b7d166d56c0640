package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func TestMain(m *testing.M) {
	if err := EnableSubreaper(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func TestExitStatusAndOutput(t *testing.T) {
	out, err := Run(context.Background(), Spec{
		Path: "/bin/sh",
		Args: []string{"-c", `echo "out:$FOO"; echo err >&2; exit 3`},
		Env:  []string{"FOO=bar"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ExitStatus != 3 || string(out.Stdout) != "out:bar\n" || string(out.Stderr) != "err\n" || out.TimedOut || out.Truncated {
		t.Fatalf("outcome = %+v", out)
	}
}

func TestEnvironmentIsExplicit(t *testing.T) {
	t.Setenv("LEAK_CHECK", "leaked")
	out, err := Run(context.Background(), Spec{Path: "/bin/sh", Args: []string{"-c", `echo "[$LEAK_CHECK]"`}})
	if err != nil || string(out.Stdout) != "[]\n" {
		t.Fatalf("out=%q err=%v", out.Stdout, err)
	}
}

func TestOutputCap(t *testing.T) {
	out, err := Run(context.Background(), Spec{
		Path:      "/bin/sh",
		Args:      []string{"-c", `i=0; while [ $i -lt 200 ]; do echo 0123456789; i=$((i+1)); done`},
		OutputCap: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Truncated || out.ExitStatus != 0 || !bytes.HasPrefix(out.Stdout, []byte("0123456789\n0123456789\n")) ||
		!bytes.HasSuffix(out.Stdout, []byte("0123456789\n0123456789\n")) || !bytes.Contains(out.Stdout, []byte("[... 2100 bytes dropped ...]")) {
		t.Fatalf("truncated=%v status=%d out=%q", out.Truncated, out.ExitStatus, out.Stdout)
	}
}

func TestCapWriterKeepsHeadAndTail(t *testing.T) {
	cases := []struct {
		limit  int
		writes []string
		want   string
	}{
		{10, []string{"abc"}, "abc"},
		{10, []string{"abcdefghij"}, "abcdefghij"},
		{10, []string{"abcdefghijk"}, "abcde\n[... 1 bytes dropped ...]\nghijk"},
		{10, []string{"abcde", "fgh", "ijk", "lm"}, "abcde\n[... 3 bytes dropped ...]\nijklm"},
		{10, []string{"abcde", "f", "g", "h", "i", "j", "k", "l"}, "abcde\n[... 2 bytes dropped ...]\nhijkl"},
		{10, []string{"abcde", "0123456789xyz"}, "abcde\n[... 8 bytes dropped ...]\n89xyz"},
		{1, []string{"abc"}, "\n[... 2 bytes dropped ...]\nc"},
	}
	for _, c := range cases {
		w := &capWriter{limit: c.limit}
		for _, s := range c.writes {
			if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if got := string(w.bytes()); got != c.want {
			t.Errorf("limit %d writes %q: got %q, want %q", c.limit, c.writes, got, c.want)
		}
	}
}

// FuzzCapWriter compares capWriter with a naive model: keep everything,
// then cut the middle.
func FuzzCapWriter(f *testing.F) {
	f.Add(10, []byte("abcdefghijklmnop"), 3)
	f.Add(7, []byte("0123456789"), 1)
	f.Fuzz(func(t *testing.T, limit int, data []byte, chunk int) {
		if limit < 1 || limit > 64 || chunk < 1 {
			return
		}
		w := &capWriter{limit: limit}
		for p := data; len(p) > 0; {
			k := min(chunk, len(p))
			w.Write(p[:k])
			p = p[k:]
		}
		want := string(data)
		if len(data) > limit {
			h := limit / 2
			tl := limit - h
			want = string(data[:h]) + fmt.Sprintf("\n[... %d bytes dropped ...]\n", len(data)-limit) + string(data[len(data)-tl:])
		}
		if got := string(w.bytes()); got != want {
			t.Fatalf("limit %d chunk %d: got %q want %q", limit, chunk, got, want)
		}
	})
}

func TestStartError(t *testing.T) {
	_, err := Run(context.Background(), Spec{Path: "/nonexistent/agent"})
	if !errors.Is(err, ErrStart) {
		t.Fatalf("err = %v, want ErrStart", err)
	}
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("pid file %s: %v", path, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// gone reports whether pid has no /proc entry at all (neither running nor
// a zombie).
func gone(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return os.IsNotExist(err)
}

func TestTimeoutKillsWholeGroupIgnoringTERM(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	script, _ := filepath.Abs("testdata/stubborn.sh")
	out, err := Run(context.Background(), Spec{
		Path:      script,
		Args:      []string{pidFile},
		Env:       []string{"PATH=/usr/bin:/bin"},
		Timeout:   2 * time.Second, // generous: the box is shared and loaded
		KillGrace: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.TimedOut || out.Cancelled || out.ExitStatus != -1 || out.Signal != syscall.SIGKILL {
		t.Fatalf("outcome = %+v", out)
	}
	if out.Duration < 2200*time.Millisecond {
		t.Errorf("duration %v: grace after TERM was not honoured", out.Duration)
	}
	if !bytes.Contains(out.Stdout, []byte("started")) {
		t.Errorf("stdout before kill lost: %q", out.Stdout)
	}
	leader, child := readPid(t, pidFile), readPid(t, pidFile+".child")
	if out.Survivors != 0 || len(GroupMembers(leader)) != 0 {
		t.Fatalf("survivors=%d members=%v", out.Survivors, GroupMembers(leader))
	}
	for _, pid := range []int{leader, child} {
		if !gone(pid) {
			t.Errorf("pid %d still present (alive or zombie)", pid)
		}
	}
}

func TestTimeoutKillsChildWhenLeaderObeysTERM(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	script, _ := filepath.Abs("testdata/obedient-leader.sh")
	out, err := Run(context.Background(), Spec{
		Path: script, Args: []string{pidFile}, Env: []string{"PATH=/usr/bin:/bin"},
		Timeout: 2 * time.Second, KillGrace: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.TimedOut || out.Signal != syscall.SIGTERM {
		t.Fatalf("outcome = %+v", out)
	}
	if out.Duration > 5*time.Second {
		t.Errorf("waited the full grace (%v) although the leader had exited", out.Duration)
	}
	if child := readPid(t, pidFile+".child"); !gone(child) || out.Survivors != 0 {
		t.Errorf("child %d survived (survivors=%d)", child, out.Survivors)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a cancelled context still starts the process, then stops it at once
	out, err := Run(ctx, Spec{Path: "/bin/sleep", Args: []string{"30"}})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Cancelled || out.TimedOut {
		t.Fatalf("outcome = %+v", out)
	}
}

func TestDaemonHoldingPipesDoesNotBlock(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	out, err := Run(context.Background(), Spec{
		Path:    "/bin/sh",
		Args:    []string{"-c", `sleep 30 & echo $! > "$0"; echo up`, pidFile},
		Env:     []string{"PATH=/usr/bin:/bin"},
		IODelay: 100 * time.Millisecond,
		Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	daemon := readPid(t, pidFile)
	t.Cleanup(func() {
		// Orphaned by its shell, the daemon is our child (subreaper).
		_ = syscall.Kill(daemon, syscall.SIGKILL)
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(daemon, &ws, 0, nil)
	})
	if out.ExitStatus != 0 || out.TimedOut || string(out.Stdout) != "up\n" {
		t.Fatalf("outcome = %+v", out)
	}
	if gone(daemon) {
		t.Error("a successful run must not kill what the program left running")
	}
}

func TestParseStat(t *testing.T) {
	cases := []struct {
		in   string
		ok   bool
		want procInfo
	}{
		{"12 (sh) S 1 12 12 0 -1", true, procInfo{12, 1, 12, 'S'}},
		{"13 (a) b) (c) Z 7 9 9", true, procInfo{13, 7, 9, 'Z'}},
		{"14 (x", false, procInfo{}},
		{"15 (x) S one 2", false, procInfo{}},
	}
	for _, c := range cases {
		var pid int
		_, _ = fmtSscan(c.in, &pid)
		got, ok := parseStat(pid, []byte(c.in))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseStat(%q) = %+v,%v want %+v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func fmtSscan(s string, pid *int) (int, error) {
	f := strings.Fields(s)
	n, err := strconv.Atoi(f[0])
	*pid = n
	return 1, err
}

func FuzzParseStat(f *testing.F) {
	f.Add([]byte("12 (sh) S 1 12 12 0 -1"))
	f.Add([]byte("13 (a) b) Z 7 9 9"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ok := parseStat(1, data)
		if ok && p.state == 0 {
			t.Fatal("accepted a stat line without state")
		}
	})
}

func TestReapOrphans(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	// The shell exits at once; its background child becomes our orphan
	// and, once it exits, our zombie.
	out, err := Run(context.Background(), Spec{
		Path: "/bin/sh", Args: []string{"-c", `sh -c 'read x; exit 0' </dev/null >/dev/null 2>&1 & echo $! > "$0"`, pidFile},
		Env: []string{"PATH=/usr/bin:/bin"},
	})
	if err != nil || out.ExitStatus != 0 {
		t.Fatalf("%+v %v", out, err)
	}
	orphan := readPid(t, pidFile)
	// Wait (without reaping) until the orphan has exited and is a zombie.
	var siginfo [128]byte // struct siginfo; only its size matters here
	const pPID, wNOWAIT = 1, 0x01000000
	if _, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(orphan), uintptr(unsafe.Pointer(&siginfo[0])), syscall.WEXITED|wNOWAIT, 0, 0); e != 0 {
		// ECHILD: another test's reaping (tests in this binary share the
		// subreaper) collected it first; what matters is that it is gone.
		if e == syscall.ECHILD && gone(orphan) {
			return
		}
		t.Fatalf("waitid: %v", e)
	}
	if n := ReapOrphans(); n < 1 || !gone(orphan) {
		t.Fatalf("ReapOrphans reaped %d; orphan gone=%v", n, gone(orphan))
	}
}
