package upgrade

import (
	"sort"
	"testing"
	"time"

	"hbgo/heartbeat/failover"
)

// v1Cluster drives one failover.Machine per node on a fake clock with a
// perfect network and a resource layer that always succeeds: the v1
// original of a converted cluster.
type v1Cluster struct {
	t        *testing.T
	now      time.Time
	mode     failover.Mode
	groups   []failover.Group
	order    []string
	nodes    map[string]*v1Node
	queue    []v1Event
	seq      int
	deadtime time.Duration
	initdead time.Duration
	stonith  bool // a STONITH device can reset the peer
}

type v1Node struct {
	name    string
	m       *failover.Machine
	alive   bool
	gen     int
	commUp  bool
	running map[string]bool
	job     *failover.Job
}

type v1Event struct {
	at   time.Time
	seq  int
	node string
	gen  int
	fn   func(n *v1Node) []failover.Action
}

func newV1Cluster(t *testing.T, mode failover.Mode, groups []failover.Group, nodes ...string) *v1Cluster {
	c := &v1Cluster{t: t, now: time.Unix(1_700_000_000, 0), mode: mode, groups: groups, order: nodes,
		nodes: map[string]*v1Node{}, deadtime: time.Second, initdead: 2 * time.Second}
	for _, n := range nodes {
		c.nodes[n] = &v1Node{name: n, running: map[string]bool{}}
	}
	return c
}

func (c *v1Cluster) after(d time.Duration, node string, fn func(n *v1Node) []failover.Action) {
	c.seq++
	c.queue = append(c.queue, v1Event{at: c.now.Add(d), seq: c.seq, node: node, gen: c.nodes[node].gen, fn: fn})
}

func (c *v1Cluster) peers(node string) []string {
	var out []string
	for _, n := range c.order {
		if n != node {
			out = append(out, n)
		}
	}
	return out
}

// start boots a node: live peers are met at once, silent ones are declared
// dead after initdead.
func (c *v1Cluster) start(node string) {
	n := c.nodes[node]
	n.gen++
	n.alive, n.commUp, n.job = true, false, nil
	n.m = failover.New(failover.Config{Node: node, Nodes: c.order, Mode: c.mode, Groups: c.groups, Stonith: c.stonith})
	var silent []string
	for _, p := range c.peers(node) {
		pn := c.nodes[p]
		if !pn.alive {
			silent = append(silent, p)
			continue
		}
		c.apply(n, n.m.PeerHeard(c.now, p, true))
		c.apply(n, n.m.NodeStatus(c.now, p, "active"))
		c.apply(pn, pn.m.PeerHeard(c.now, node, true))
		c.apply(pn, pn.m.NodeStatus(c.now, node, "active"))
		c.commUpIfAllAlive(pn)
	}
	if len(silent) == 0 {
		c.commUpIfAllAlive(n)
		return
	}
	c.after(c.initdead, node, func(n *v1Node) []failover.Action {
		var out []failover.Action
		for _, p := range silent {
			if !c.nodes[p].alive {
				out = append(out, n.m.NodeDead(c.now, p)...)
			}
		}
		if !n.commUp {
			n.commUp = true
			out = append(out, n.m.CommUp(c.now)...)
		}
		return out
	})
}

func (c *v1Cluster) commUpIfAllAlive(n *v1Node) {
	if n.commUp {
		return
	}
	for _, p := range c.peers(n.name) {
		if !c.nodes[p].alive {
			return
		}
	}
	n.commUp = true
	c.apply(n, n.m.CommUp(c.now))
}

// crash kills a node with its resources; the peers notice after deadtime.
func (c *v1Cluster) crash(node string) {
	n := c.nodes[node]
	n.alive, n.job, n.running = false, nil, map[string]bool{}
	for _, p := range c.peers(node) {
		c.after(c.deadtime, p, func(pn *v1Node) []failover.Action {
			if c.nodes[node].alive {
				return nil
			}
			return pn.m.NodeDead(c.now, node)
		})
	}
}

func (c *v1Cluster) apply(n *v1Node, acts []failover.Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case failover.Send:
			msg := failover.Message{Type: a.Msg.Type, From: n.name, Fields: map[string]string{}}
			for _, f := range a.Msg.Fields {
				msg.Fields[f.Name] = f.Value
			}
			for _, p := range c.peers(n.name) {
				c.after(time.Millisecond, p, func(pn *v1Node) []failover.Action { return pn.m.Receive(c.now, msg) })
			}
		case failover.RunJob:
			if n.job != nil {
				c.t.Fatalf("%s: job %d started while job %d runs", n.name, a.Job.ID, n.job.ID)
			}
			j := a.Job
			n.job = &j
			c.after(50*time.Millisecond, n.name, func(n *v1Node) []failover.Action { return n.m.JobDone(c.now, c.finish(n)) })
		case failover.Fence:
			target := a.Node
			c.after(time.Second, n.name, func(n *v1Node) []failover.Action {
				if c.nodes[target].alive {
					c.crash(target)
				}
				return n.m.FenceDone(c.now, target, failover.StonithOK)
			})
		case failover.Exit:
			c.crash(n.name)
		}
	}
	c.checkExclusive()
}

// finish carries out a job: every start and stop succeeds.
func (c *v1Cluster) finish(n *v1Node) failover.JobResult {
	j := n.job
	n.job = nil
	r := failover.JobResult{ID: j.ID}
	for _, k := range j.Keys {
		switch j.Kind {
		case failover.CheckGroups:
			if !n.running[k] {
				r.NotRunning = append(r.NotRunning, k)
			}
		case failover.TakeGroups:
			n.running[k] = true
		case failover.GiveGroups:
			delete(n.running, k)
		case failover.ReleaseIfOwned:
			if n.running[k] {
				delete(n.running, k)
				r.Owned = true
			}
		}
	}
	return r
}

func (c *v1Cluster) checkExclusive() {
	where := map[string]string{}
	for _, name := range c.order {
		for k := range c.nodes[name].running {
			if other, ok := where[k]; ok {
				c.t.Fatalf("v1: group %s runs on both %s and %s", k, other, name)
			}
			where[k] = name
		}
	}
}

// run advances the clock by d in 10 ms steps, delivering due events and
// ticking every live machine.
func (c *v1Cluster) run(d time.Duration) {
	end := c.now.Add(d)
	for !c.now.After(end) {
		for {
			sort.SliceStable(c.queue, func(i, j int) bool {
				if !c.queue[i].at.Equal(c.queue[j].at) {
					return c.queue[i].at.Before(c.queue[j].at)
				}
				return c.queue[i].seq < c.queue[j].seq
			})
			if len(c.queue) == 0 || c.queue[0].at.After(c.now) {
				break
			}
			e := c.queue[0]
			c.queue = c.queue[1:]
			n := c.nodes[e.node]
			if !n.alive || n.gen != e.gen {
				continue
			}
			c.apply(n, e.fn(n))
		}
		for _, name := range c.order {
			if n := c.nodes[name]; n.alive {
				c.apply(n, n.m.Tick(c.now))
			}
		}
		c.now = c.now.Add(10 * time.Millisecond)
	}
}

// placement maps each group key to the node running it ("" = stopped).
func (c *v1Cluster) placement() map[string]string {
	out := map[string]string{}
	for _, g := range c.groups {
		out[g.Key] = ""
	}
	for _, name := range c.order {
		for k := range c.nodes[name].running {
			out[k] = name
		}
	}
	return out
}
