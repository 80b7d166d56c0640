package proc

import (
	"context"
	"io"
	"sync"
)

// Fake is an in-memory Runner for tests: it records every Cmd and answers
// with Handler (exit 0 and no output when Handler is nil).
type Fake struct {
	Handler func(c Cmd, stdin []byte) (Result, error)

	mu    sync.Mutex
	calls []Call
}

// Call is one recorded run.
type Call struct {
	Cmd   Cmd
	Stdin []byte
}

// Run records c and returns Handler's answer.
func (f *Fake) Run(ctx context.Context, c Cmd) (Result, error) {
	var in []byte
	if c.Stdin != nil {
		in, _ = io.ReadAll(c.Stdin)
	}
	f.mu.Lock()
	f.calls = append(f.calls, Call{Cmd: c, Stdin: in})
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return Result{ExitStatus: -1}, err
	}
	if f.Handler == nil {
		return Result{}, nil
	}
	return f.Handler(c, in)
}

// Calls returns the runs so far.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}
