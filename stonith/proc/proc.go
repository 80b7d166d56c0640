package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"
)

// ErrTimeout is returned (wrapped) when a command outlived its timeout and
// its process group was killed.
var ErrTimeout = errors.New("command timed out")

// Cmd describes one program run.
type Cmd struct {
	Path    string
	Args    []string  // arguments after the program name
	Env     []string  // complete environment ("k=v"); nil inherits none
	Stdin   io.Reader // nil: empty stdin
	Stderr  io.Writer // nil: stderr is captured into Result.Stderr
	Timeout time.Duration
	// OnStdoutLine, when set, is called for each line of standard output
	// as it arrives (cluster-glue logs the output of reset requests).
	OnStdoutLine func(line string)
}

// Result is what a finished command produced.
type Result struct {
	Stdout []byte
	Stderr []byte
	// ExitStatus is the exit status, or -1 when the process was killed by
	// a signal (including a timeout kill).
	ExitStatus int
	Duration   time.Duration
}

// Runner runs commands. Devices take a Runner so tests can replace the
// programs they would run.
type Runner interface {
	Run(ctx context.Context, c Cmd) (Result, error)
}

// Exec runs real processes.
type Exec struct {
	// KillGrace is how long the group gets after SIGTERM before SIGKILL;
	// zero kills at once.
	KillGrace time.Duration
}

// Run starts c.Path in a new process group and waits for it. A non-zero
// exit status is not an error; failing to start, a timeout or a
// cancellation is.
func (e Exec) Run(ctx context.Context, c Cmd) (Result, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env = c.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.Stdin = c.Stdin
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr bytes.Buffer
	var lw *lineWriter
	if c.OnStdoutLine != nil {
		lw = &lineWriter{buf: &stdout, fn: c.OnStdoutLine}
		cmd.Stdout = lw
	} else {
		cmd.Stdout = &stdout
	}
	if c.Stderr != nil {
		cmd.Stderr = c.Stderr
	} else {
		cmd.Stderr = &stderr
	}
	// A background child that keeps stdout open (suicide's delayed
	// reboot) must not hold the caller past the leader's exit.
	cmd.WaitDelay = waitDelay
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{ExitStatus: -1}, fmt.Errorf("start %s: %w", c.Path, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	var ctxErr error
	select {
	case werr = <-done:
	case <-ctx.Done():
		ctxErr = ctx.Err()
		werr = e.killGroup(cmd.Process.Pid, done)
	}
	if lw != nil {
		lw.flush()
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Duration: time.Since(start)}
	if cmd.ProcessState != nil {
		res.ExitStatus = cmd.ProcessState.ExitCode() // -1 when signalled
	} else {
		res.ExitStatus = -1
	}
	if ctxErr != nil {
		res.ExitStatus = -1
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return res, fmt.Errorf("%s: %w after %v", c.Path, ErrTimeout, c.Timeout)
		}
		return res, fmt.Errorf("%s: %w", c.Path, ctxErr)
	}
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) && !errors.Is(werr, exec.ErrWaitDelay) {
		return res, fmt.Errorf("wait %s: %w", c.Path, werr)
	}
	return res, nil
}

// waitDelay bounds how long Run waits for output pipes after the leader
// exits.
const waitDelay = 2 * time.Second

// killGroup terminates the whole process group of pid (SIGTERM, then
// SIGKILL after KillGrace) and returns the leader's wait result.
func (e Exec) killGroup(pid int, done <-chan error) error {
	if e.KillGrace > 0 {
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		t := time.NewTimer(e.KillGrace)
		defer t.Stop()
		select {
		case err := <-done:
			_ = syscall.Kill(-pid, syscall.SIGKILL) // stragglers
			return err
		case <-t.C:
		}
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return <-done
}

// lineWriter buffers output and calls fn for every complete line.
type lineWriter struct {
	buf     *bytes.Buffer
	fn      func(string)
	pending []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			break
		}
		w.fn(string(w.pending[:i]))
		w.pending = w.pending[i+1:]
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.pending) > 0 {
		w.fn(string(w.pending))
		w.pending = nil
	}
}
