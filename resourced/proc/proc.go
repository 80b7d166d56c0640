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
	// DefaultIODelay is short on purpose: agents routinely leave a helper
	// behind that inherits their stdout (IPaddr2's send_arp keeps
	// announcing the address for a second), and a failover must not wait
	// for it. What the agent printed before exiting is already buffered.
	DefaultIODelay = 20 * time.Millisecond
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
	// OutputCap limits each of stdout and stderr; the first and the last
	// OutputCap/2 bytes are kept, with a marker between them.
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
	out.Stdout, out.Stderr = stdout.bytes(), stderr.bytes()
	out.Truncated = stdout.dropped > 0 || stderr.dropped > 0
	if killed {
		out.Survivors = reapGroup(pid, time.Now().Add(reapWait))
	}
	return out, nil
}

// capWriter keeps at most limit bytes of what is written to it: the first
// half and the last half, so both the start of the output and the final
// lines (where agents print their exit reason) survive. It never fails the
// writer (a failing pipe would kill the agent).
type capWriter struct {
	limit   int
	head    []byte
	tail    []byte // ring buffer once full
	pos     int    // next write position in tail when full
	dropped int64  // bytes that fell out of the window
}

func (w *capWriter) Write(p []byte) (int, error) {
	n := len(p)
	headCap := w.limit / 2
	if room := headCap - len(w.head); room > 0 {
		k := min(room, len(p))
		w.head = append(w.head, p[:k]...)
		p = p[k:]
	}
	tailCap := w.limit - headCap
	for len(p) > 0 && tailCap > 0 {
		if len(w.tail) < tailCap {
			k := min(tailCap-len(w.tail), len(p))
			w.tail = append(w.tail, p[:k]...)
			p = p[k:]
			continue
		}
		if len(p) >= tailCap {
			w.dropped += int64(len(w.tail) + len(p) - tailCap)
			copy(w.tail, p[len(p)-tailCap:])
			w.pos = 0
			break
		}
		// Overwrite the oldest len(p) bytes of the ring.
		w.dropped += int64(len(p))
		for _, b := range p {
			w.tail[w.pos] = b
			w.pos = (w.pos + 1) % tailCap
		}
		p = nil
	}
	if tailCap == 0 {
		w.dropped += int64(len(p))
	}
	return n, nil
}

// bytes returns the kept output with a marker where bytes were dropped.
func (w *capWriter) bytes() []byte {
	out := append([]byte(nil), w.head...)
	if w.dropped > 0 {
		out = append(out, fmt.Sprintf("\n[... %d bytes dropped ...]\n", w.dropped)...)
	}
	out = append(out, w.tail[w.pos:]...)
	return append(out, w.tail[:w.pos]...)
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
