package memnet

import (
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/media"
)

// Faults are the impairments applied to packets on one directed link.
type Faults struct {
	// Drop is the probability (0..1) that a packet is lost.
	Drop float64
	// Delay is added to every packet's delivery.
	Delay time.Duration
	// Jitter adds a uniformly random extra delay in [0, Jitter).
	Jitter time.Duration
	// Duplicate is the probability (0..1) that a packet is delivered twice.
	Duplicate float64
	// Reorder is the probability (0..1) that a packet is held back and
	// delivered right after the next packet on the same link.
	Reorder float64
}

// Stats counts what the hub did with packets, for assertions in tests.
type Stats struct {
	Sent, Delivered, Dropped, Duplicated, Reordered, Overflowed int
}

// Hub is the in-memory network. Its methods are safe for concurrent use.
type Hub struct {
	mu        sync.Mutex
	clk       clock.Clock
	rng       *rand.Rand
	loopback  bool
	endpoints map[epKey]*Endpoint
	faults    map[linkKey]Faults // "" fields are wildcards
	group     map[string]int     // node -> partition group; absent = 0
	downMedia map[string]bool    // whole segment down
	held      map[linkKey][]held // reordered packets waiting for the next one
	stats     Stats
}

type epKey struct{ node, medium string }

// linkKey is a directed link on one medium; "" matches anything in faults.
type linkKey struct{ from, to, medium string }

type held struct {
	data []byte
	to   *Endpoint
	from string
}

// NewHub returns an empty network using clk for delays and timestamps and
// a random generator seeded with seed. Nodes receive their own packets
// (as with bcast) unless SetLoopback(false) is called.
func NewHub(clk clock.Clock, seed uint64) *Hub {
	return &Hub{
		clk:       clk,
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		loopback:  true,
		endpoints: map[epKey]*Endpoint{},
		faults:    map[linkKey]Faults{},
		group:     map[string]int{},
		downMedia: map[string]bool{},
		held:      map[linkKey][]held{},
	}
}

// SetLoopback sets whether a node receives its own packets.
func (h *Hub) SetLoopback(on bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.loopback = on
}

// Join attaches node to the segment called medium and returns its
// endpoint, a media.Medium named medium. Joining twice returns the same
// open endpoint.
func (h *Hub) Join(node, medium string) *Endpoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := epKey{node, medium}
	if ep, ok := h.endpoints[k]; ok && !ep.closed {
		return ep
	}
	ep := &Endpoint{hub: h, node: node, medium: medium, ch: make(chan media.Packet, media.RecvBuffer)}
	h.endpoints[k] = ep
	return ep
}

// SetFaults sets the faults for packets from node from to node to on
// medium; an empty string in any of them matches every node or medium.
// The most specific match wins (exact from, to and medium first).
func (h *Hub) SetFaults(from, to, medium string, f Faults) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[linkKey{from, to, medium}] = f
}

// SetAllFaults sets the faults of every link that has no more specific
// setting.
func (h *Hub) SetAllFaults(f Faults) { h.SetFaults("", "", "", f) }

// ClearFaults removes every fault setting.
func (h *Hub) ClearFaults() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = map[linkKey]Faults{}
}

// Partition splits the nodes into groups; packets only flow between nodes
// of the same group. Nodes not named form one more group of their own.
func (h *Hub) Partition(groups ...[]string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.group = map[string]int{}
	for i, g := range groups {
		for _, n := range g {
			h.group[n] = i + 1
		}
	}
}

// Heal removes any partition.
func (h *Hub) Heal() { h.Partition() }

// FailMedium makes the whole segment silently lose every packet (a switch
// or cable failure): sends succeed, nothing arrives. Other media go on.
func (h *Hub) FailMedium(medium string) { h.setMediumDown(medium, true) }

// RestoreMedium undoes FailMedium.
func (h *Hub) RestoreMedium(medium string) { h.setMediumDown(medium, false) }

func (h *Hub) setMediumDown(medium string, down bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.downMedia[medium] = down
}

// FailEndpoint takes one node's interface on one medium down: its Send
// returns media.ErrLinkDown and it receives nothing, as with a NIC that
// lost its carrier.
func (h *Hub) FailEndpoint(node, medium string) { h.setEndpointDown(node, medium, true) }

// RestoreEndpoint undoes FailEndpoint.
func (h *Hub) RestoreEndpoint(node, medium string) { h.setEndpointDown(node, medium, false) }

func (h *Hub) setEndpointDown(node, medium string, down bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ep, ok := h.endpoints[epKey{node, medium}]; ok {
		ep.down = down
	}
}

// Stats returns the counters so far.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// faultsFor returns the most specific fault setting for a link. Callers
// hold h.mu.
func (h *Hub) faultsFor(k linkKey) Faults {
	for _, c := range [...]linkKey{
		k,
		{k.from, k.to, ""}, {k.from, "", k.medium}, {"", k.to, k.medium},
		{k.from, "", ""}, {"", k.to, ""}, {"", "", k.medium},
		{"", "", ""},
	} {
		if f, ok := h.faults[c]; ok {
			return f
		}
	}
	return Faults{}
}

// send fans a packet out from ep to every endpoint on its segment.
func (h *Hub) send(from *Endpoint, data []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if from.closed {
		return media.ErrClosed
	}
	if from.down {
		return media.ErrLinkDown
	}
	h.stats.Sent++
	// Sorted receivers keep runs with the same seed identical.
	var to []*Endpoint
	for k, ep := range h.endpoints {
		if k.medium != from.medium || ep.closed || (ep == from && !h.loopback) {
			continue
		}
		to = append(to, ep)
	}
	sort.Slice(to, func(i, j int) bool { return to[i].node < to[j].node })
	for _, ep := range to {
		h.route(from, ep, data)
	}
	return nil
}

// route applies the link's faults to one copy of a packet. Callers hold
// h.mu.
func (h *Hub) route(from, to *Endpoint, data []byte) {
	lk := linkKey{from.node, to.node, from.medium}
	if h.downMedia[from.medium] || to.down || h.group[from.node] != h.group[to.node] {
		h.stats.Dropped++
		return
	}
	f := h.faultsFor(lk)
	if f.Drop > 0 && h.rng.Float64() < f.Drop {
		h.stats.Dropped++
		return
	}
	copies := 1
	if f.Duplicate > 0 && h.rng.Float64() < f.Duplicate {
		copies = 2
		h.stats.Duplicated++
	}
	if f.Reorder > 0 && h.rng.Float64() < f.Reorder {
		h.stats.Reordered++
		for range copies {
			h.held[lk] = append(h.held[lk], held{data: clone(data), to: to, from: from.node})
		}
		return
	}
	for range copies {
		h.schedule(f, to, from.node, clone(data))
	}
	// Packets held back for reordering go right after this one.
	for _, p := range h.held[lk] {
		h.schedule(f, p.to, p.from, p.data)
	}
	delete(h.held, lk)
}

// schedule delivers now or after the link's delay. Callers hold h.mu.
func (h *Hub) schedule(f Faults, to *Endpoint, from string, data []byte) {
	d := f.Delay
	if f.Jitter > 0 {
		d += time.Duration(h.rng.Int64N(int64(f.Jitter)))
	}
	if d <= 0 {
		h.deliverLocked(to, from, data)
		return
	}
	h.clk.AfterFunc(d, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.deliverLocked(to, from, data)
	})
}

// deliverLocked puts a packet on the receiver's channel without blocking.
// Callers hold h.mu, which also orders it against Close.
func (h *Hub) deliverLocked(to *Endpoint, from string, data []byte) {
	if to.closed || to.down {
		h.stats.Dropped++
		return
	}
	p := media.Packet{Data: data, From: from, Medium: to.medium, At: h.clk.Now()}
	select {
	case to.ch <- p:
		h.stats.Delivered++
	default:
		h.stats.Overflowed++
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// Endpoint is one node's attachment to one segment; it implements
// media.Medium.
type Endpoint struct {
	hub    *Hub
	node   string
	medium string
	ch     chan media.Packet
	closed bool // guarded by hub.mu
	down   bool // guarded by hub.mu
}

// Name returns the segment name (the link name).
func (e *Endpoint) Name() string { return e.medium }

// Node returns the node this endpoint belongs to.
func (e *Endpoint) Node() string { return e.node }

// Send delivers data to every endpoint on the segment, subject to faults.
func (e *Endpoint) Send(data []byte) error { return e.hub.send(e, data) }

// Packets returns the receive channel.
func (e *Endpoint) Packets() <-chan media.Packet { return e.ch }

// Close detaches the endpoint and closes its channel.
func (e *Endpoint) Close() error {
	e.hub.mu.Lock()
	defer e.hub.mu.Unlock()
	if !e.closed {
		e.closed = true
		close(e.ch)
	}
	return nil
}

var _ media.Medium = (*Endpoint)(nil)
