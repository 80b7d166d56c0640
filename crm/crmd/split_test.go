package crmd_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/crm/crmd"
	"hbgo/stonith"
)

// noHostDevices opens devices that control no host, so fencing falls
// through to the cluster's fallback fencer.
type noHostDevices struct{}

func (noHostDevices) Open(context.Context, string, stonith.Params) (stonith.Device, error) {
	return noHostDevice{}, nil
}

type noHostDevice struct{}

func (noHostDevice) Status(context.Context) error            { return nil }
func (noHostDevice) Hosts(context.Context) ([]string, error) { return nil, nil }
func (noHostDevice) Fence(context.Context, stonith.Action, string) error {
	return stonith.ErrBadHost
}

// shootout is a power switch shared by the nodes: a shot is fired when
// a node's fencer asks (a node already dead cannot fire) and lands
// landing later, killing the victim (its daemon stops, its resources are
// gone). Two nodes that fire at each other within landing both die.
type shootout struct {
	c       *cluster
	landing time.Duration
	mu      sync.Mutex
	dead    map[string]bool
	shots   []string // "<shooter> -> <victim>"
	refused []string
	cancels map[string]context.CancelFunc
	opened  map[string]int // node -> devices opened (stonith resource starts)
}

func newShootout(c *cluster, landing time.Duration) *shootout {
	return &shootout{c: c, landing: landing, dead: map[string]bool{}, cancels: map[string]context.CancelFunc{}, opened: map[string]int{}}
}

func (s *shootout) opener(node string) crmd.DeviceOpener { return shootoutOpener{s, node} }

// arm records the daemons to stop when their node is shot.
func (s *shootout) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, m := range s.c.nodes {
		s.cancels[name] = m.cancel
	}
}

func (s *shootout) report() (shots, refused []string, dead map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dead = map[string]bool{}
	for k, v := range s.dead {
		dead[k] = v
	}
	return append([]string(nil), s.shots...), append([]string(nil), s.refused...), dead
}

type shootoutOpener struct {
	s    *shootout
	node string
}

func (o shootoutOpener) Open(_ context.Context, typ string, _ stonith.Params) (stonith.Device, error) {
	o.s.mu.Lock()
	o.s.opened[o.node]++
	o.s.mu.Unlock()
	return shootoutDevice(o), nil
}

type shootoutDevice shootoutOpener

func (d shootoutDevice) Status(context.Context) error { return nil }
func (d shootoutDevice) Hosts(context.Context) ([]string, error) {
	return []string{"n1", "n2", "n3"}, nil
}

var errShooterDead = errors.New("the fencing node is dead")

func (d shootoutDevice) Fence(ctx context.Context, _ stonith.Action, victim string) error {
	s := d.s
	s.mu.Lock()
	if s.dead[d.node] {
		s.refused = append(s.refused, d.node+" -> "+victim)
		s.mu.Unlock()
		return errShooterDead
	}
	s.shots = append(s.shots, d.node+" -> "+victim)
	s.mu.Unlock()
	time.Sleep(s.landing)
	s.mu.Lock()
	s.dead[victim] = true
	cancel := s.cancels[victim]
	s.mu.Unlock()
	s.c.w.mu.Lock()
	s.c.w.dead[victim] = true
	s.c.w.mu.Unlock()
	s.c.w.lose(victim)
	s.c.hub.FailEndpoint(victim, "eth0")
	if cancel != nil {
		cancel()
	}
	return nil
}

const twoNodeCf = `keepalive 200ms
deadtime 1
warntime 500ms
initdead 2
bcast eth0
crm on
node n1 n2
`

// TestSplitPairFencingDelay: a two-node cluster (each side keeps quorum
// alone, the two-node rule) splits; each side's DC fences the other
// through the cloned stonith resource's device, whose shots take 3 s to
// land. The fencing delay rule makes n2 (ranked second) wait, so n1's
// shot lands first and only n2 dies; n1 then runs the group.
func TestSplitPairFencingDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClusterWith(t, "web-group-fencing-clone.xml")
		c.haCf = twoNodeCf
		s := newShootout(c, 3*time.Second)
		c.devices = s.opener
		defer c.stopAll()
		for _, n := range []string{"n1", "n2"} {
			c.start(n)
		}
		s.arm()
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)
		s.mu.Lock()
		opened := fmt.Sprint(s.opened)
		s.mu.Unlock()
		if opened != "map[n1:1 n2:1]" {
			t.Fatalf("stonith resource starts per node %s, want one on each", opened)
		}
		if shots, _, _ := s.report(); len(shots) != 0 {
			t.Fatalf("fenced at start-up: %v", shots)
		}

		t0 := time.Now()
		c.hub.Partition([]string{"n1"}, []string{"n2"})
		c.waitFor("n2 dead", 20*time.Second, func() bool { _, _, dead := s.report(); return dead["n2"] })
		t.Logf("n2 shot %s after the split", time.Since(t0))
		c.crash("n2")
		c.waitFor("group on n1", 15*time.Second, func() bool { return c.groupOn() == "n1" })
		time.Sleep(10 * time.Second) // past n2's delay: it must not have fired
		shots, refused, dead := s.report()
		if dead["n1"] || len(shots) != 1 || shots[0] != "n1 -> n2" {
			t.Fatalf("shots %v (refused %v), dead %v: want only n1 -> n2", shots, refused, dead)
		}
		t.Logf("shots %v, refused %v", shots, refused)
	})
}
