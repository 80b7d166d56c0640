package daemon

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/heartbeat/failover"
)

type fakeFencer struct {
	mu    sync.Mutex
	calls []string
	fail  int // fail this many resets first
}

func (f *fakeFencer) Reset(_ context.Context, node string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, node)
	if f.fail > 0 {
		f.fail--
		return failover.StonithBad
	}
	return failover.StonithOK
}

// TestTakeoverWaitsForFencing: with a STONITH device the survivor resets
// the dead node first; a failed reset is retried and takeover waits.
func TestTakeoverWaitsForFencing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t, "on")
		f := &fakeFencer{fail: 1}
		c.fencer = f
		c.start("n1")
		c.start("n2")
		time.Sleep(13 * time.Second)
		c.expect("ip1", "n1")
		c.crash("n1")
		time.Sleep(2 * time.Second) // dead after 0.5 s, first reset fails
		c.expect("ip1", "")
		time.Sleep(5 * time.Second) // retried after 5 s
		c.expect("ip1", "n2")
		f.mu.Lock()
		defer f.mu.Unlock()
		if len(f.calls) != 2 || f.calls[0] != "n1" {
			t.Fatalf("resets %v", f.calls)
		}
		c.crash("n2")
	})
}
