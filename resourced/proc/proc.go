package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Defaults used when the corresponding Spec field is zero.
const (
	DefaultOutputCap = 64 << 10
	DefaultIODelay   = 500 * time.Millisecond
	// reapWait bounds how long Run waits for killed group members to
	// disappear; SIGKILL cannot be ignored, so this is only hit when
	// another process (not us) is their parent and does not reap.
	reapWait = 2 * time.Second
)

// ErrStart is returned (wrapped) when the program could not be started at
// all (missing, not executable, bad interpreter...).
var ErrStart = errors.New("cannot start program")

// Spec describes one process to run.
type Spec struct {
	Path string
	Args []string // arguments after the program name
	// Env is the complete environment; nil means an empty one (agents must
	// not depend on the caller's environment by accident).
	Env []string
	Dir string
	// Timeout bounds the run; zero means only ctx bounds it.
	Timeout time.Duration
	// KillGrace is the time between SIGTERM and SIGKILL on timeout; zero
	// sends SIGKILL at once.
	KillGrace time.Duration
	// OutputCap limits each of stdout and stderr (first bytes kept).
	OutputCap int
	// IODelay is how long to keep reading output after the program exited
	// while a process it left behind (a daemon) still holds the pipes.
	IODelay time.Duration
}

// Outcome is what happened to the process.
type Outcome struct {
	// ExitStatus is the exit status, or -1 when the process was killed by
	// a signal (then Signal says which).
	ExitStatus int
	Signal     syscall.Signal
	TimedOut   bool // Spec.Timeout expired (or ctx's deadline did)
	Cancelled  bool // ctx was cancelled before the process ended
	Stdout     []byte
	Stderr     []byte
	Truncated  bool // some output was dropped because of OutputCap
	Duration   time.Duration
	// Survivors counts members of a killed process group still present
	// (alive or zombie) when Run returned; 0 unless something is wrong.
	Survivors int
}

var (
	trackMu sync.Mutex
	leaders = map[int]bool{} // pids whose status os/exec will collect
)

// Run starts the program and waits for it. The returned error is non-nil
// only when the program could not be started (wrapping ErrStart); a
// timeout, a cancellation or a non-zero exit are reported in Outcome.
func Run(ctx context.Context, s Spec) (Outcome, error) {
	var out Outcome
	if s.OutputCap <= 0 {
		s.OutputCap = DefaultOutputCap
	}
	if s.IODelay <= 0 {
		s.IODelay = DefaultIODelay
	}
	runCtx := ctx
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	cmd := exec.Command(s.Path, s.Args...)
	cmd.Env = s.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.Dir = s.Dir
	stdout := &capWriter{limit: s.OutputCap}
	stderr := &capWriter{limit: s.OutputCap}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = s.IODelay

	start := time.Now()
	trackMu.Lock()
	err := cmd.Start()
	if err == nil {
		leaders[cmd.Process.Pid] = true
	}
	trackMu.Unlock()
	if err != nil {
		return out, fmt.Errorf("%w: %s: %w", ErrStart, s.Path, err)
	}
	pid := cmd.Process.Pid
	waitCh := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		trackMu.Lock()
		delete(leaders, pid)
		trackMu.Unlock()
		waitCh <- err
	}()

	killed := false
	select {
	case <-waitCh:
	case <-runCtx.Done():
		killed = true
		if ctx.Err() != nil {
			out.Cancelled = true
		} else {
			out.TimedOut = true
		}
		if s.KillGrace > 0 {
			_ = syscall.Kill(-pid, syscall.SIGTERM)
			grace := time.NewTimer(s.KillGrace)
			select {
			case <-waitCh:
				waitCh <- nil // re-arm for the receive below
			case <-grace.C:
			}
			grace.Stop()
		}
		// Always finish with SIGKILL to the group: the leader may have
		// obeyed SIGTERM while a child ignores it.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-waitCh
	}
	out.Duration = time.Since(start)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		out.ExitStatus, out.Signal = -1, ws.Signal()
	} else {
		out.ExitStatus = cmd.ProcessState.ExitCode()
	}
	out.Stdout, out.Stderr = stdout.buf, stderr.buf
	out.Truncated = stdout.dropped || stderr.dropped
	if killed {
		out.Survivors = reapGroup(pid, time.Now().Add(reapWait))
	}
	return out, nil
}

// capWriter keeps the first limit bytes written to it and drops the rest,
// never failing the writer (a failing pipe would kill the agent).
type capWriter struct {
	limit   int
	buf     []byte
	dropped bool
}

// Write keeps what fits under the cap and always reports success.
func (w *capWriter) Write(p []byte) (int, error) {
	room := w.limit - len(w.buf)
	if room >= len(p) {
		w.buf = append(w.buf, p...)
	} else {
		if room > 0 {
			w.buf = append(w.buf, p[:room]...)
		}
		w.dropped = true
	}
	return len(p), nil
}

// reapGroup waits until no process of group pgid is left, reaping those
// that are our children (orphans re-parented to us as subreaper), and
// returns how many were still present at the deadline.
func reapGroup(pgid int, deadline time.Time) int {
	self := os.Getpid()
	for {
		members := groupMembers(pgid)
		left := 0
		for _, m := range members {
			if m.ppid == self && m.state == 'Z' {
				var ws syscall.WaitStatus
				if p, _ := syscall.Wait4(m.pid, &ws, syscall.WNOHANG, nil); p == m.pid {
					continue
				}
			}
			left++
		}
		if left == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(2 * time.Millisecond)
	}
}
