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
	"unsafe"
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
		if !exited(t, pid, 5*time.Second) {
			t.Fatalf("grandchild %d still running", pid)
		}
	}
}

// exited waits up to d for process pid (not our child) to terminate,
// using a pidfd, which becomes readable when the process exits.
func exited(t *testing.T, pid int, d time.Duration) bool {
	t.Helper()
	const sysPidfdOpen = 434 // same number on every Linux architecture
	fd, _, errno := syscall.Syscall(sysPidfdOpen, uintptr(pid), 0, 0)
	if errno == syscall.ESRCH {
		return true // already gone
	}
	if errno != 0 {
		t.Skipf("pidfd_open: %v", errno)
	}
	defer syscall.Close(int(fd))
	p := struct {
		fd      int32
		events  int16
		revents int16
	}{fd: int32(fd), events: 0x1}
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	return errno == 0 && n == 1
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Exec{}.Run(ctx, Cmd{Path: "/bin/sleep", Args: []string{"10"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}
