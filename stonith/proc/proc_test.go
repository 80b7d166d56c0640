package proc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExitStatusStdoutEnv(t *testing.T) {
	var lines []string
	res, err := Exec{}.Run(context.Background(), Cmd{
		Path:         "/bin/sh",
		Args:         []string{"-c", `echo "one $FOO"; printf two; echo err >&2; exit 3`},
		Env:          []string{"FOO=bar"},
		Timeout:      10 * time.Second,
		OnStdoutLine: func(l string) { lines = append(lines, l) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != 3 || string(res.Stdout) != "one bar\ntwo" || string(res.Stderr) != "err\n" {
		t.Fatalf("got %+v", res)
	}
	if strings.Join(lines, "|") != "one bar|two" {
		t.Fatalf("lines %q", lines)
	}
}

func TestStdin(t *testing.T) {
	res, err := Exec{}.Run(context.Background(), Cmd{Path: "/bin/cat", Stdin: strings.NewReader("a=b\n")})
	if err != nil || string(res.Stdout) != "a=b\n" {
		t.Fatalf("%v %q", err, res.Stdout)
	}
}

func TestStartFailure(t *testing.T) {
	_, err := Exec{}.Run(context.Background(), Cmd{Path: "/nonexistent/prog"})
	if err == nil {
		t.Fatal("expected error")
	}
}

// TestTimeoutKillsGroup checks that a grandchild of a timed-out command is
// killed too: the whole process group goes.
func TestTimeoutKillsGroup(t *testing.T) {
	for _, grace := range []time.Duration{0, 50 * time.Millisecond} {
		pidFile := filepath.Join(t.TempDir(), "pid")
		res, err := Exec{KillGrace: grace}.Run(context.Background(), Cmd{
			Path:    "/bin/sh",
			Args:    []string{"-c", `sleep 300 & echo $! > "$1"; wait`, "sh", pidFile},
			Timeout: 300 * time.Millisecond,
		})
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("grace %v: err %v, want ErrTimeout", grace, err)
		}
		if res.ExitStatus != -1 {
			t.Fatalf("exit status %d", res.ExitStatus)
		}
		b, rerr := os.ReadFile(pidFile)
		if rerr != nil {
			t.Fatal(rerr)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		// The grandchild was SIGKILLed; once reaped by init it is gone.
		// Signal 0 probes existence; a zombie still answers, so poll the
		// state through /proc for a bounded time.
		deadline := time.Now().Add(5 * time.Second)
		for {
			st, serr := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			if serr != nil || strings.Contains(string(st), ") Z ") {
				break
			}
			if syscall.Kill(pid, 0) != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("grandchild %d still alive", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Exec{}.Run(ctx, Cmd{Path: "/bin/sleep", Args: []string{"10"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}
