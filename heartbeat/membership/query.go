package membership

import (
	"sort"
	"time"
)

// NodeState is a snapshot of one node for status queries (cl_status).
type NodeState struct {
	Name   string
	Type   NodeType
	Status Status
	// LastHeard is the time of the last packet, zero if never heard.
	LastHeard time.Time
	// DeadTime is the dead time applied to this node now.
	DeadTime   time.Duration
	Generation uint64
	Links      []LinkState // sorted by medium
}

// LinkState is a snapshot of one link.
type LinkState struct {
	Medium    string
	Status    LinkStatus
	LastHeard time.Time
}

// Node returns the state of one node, and false if it is not configured.
func (m *Membership) Node(name string) (NodeState, bool) {
	n, ok := m.nodes[name]
	if !ok {
		return NodeState{}, false
	}
	s := NodeState{
		Name: n.name, Type: n.typ, Status: n.status, LastHeard: n.last,
		DeadTime: m.nodeDeadtime(n), Generation: n.gen,
	}
	for _, medium := range sortedKeys(n.links) {
		l := n.links[medium]
		s.Links = append(s.Links, LinkState{Medium: medium, Status: l.status, LastHeard: l.last})
	}
	return s, true
}

// Nodes returns every node's state, sorted by name.
func (m *Membership) Nodes() []NodeState {
	out := make([]NodeState, 0, len(m.order))
	for _, name := range m.order {
		s, _ := m.Node(name)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Status returns a node's status ("" if the node is not configured).
func (m *Membership) Status(name string) Status {
	if n, ok := m.nodes[name]; ok {
		return n.status
	}
	return ""
}

// LinkStatus returns the status of a node's link on medium; a link never
// heard is dead.
func (m *Membership) LinkStatus(name, medium string) LinkStatus {
	if n, ok := m.nodes[name]; ok {
		if l, ok := n.links[medium]; ok {
			return l.status
		}
	}
	return LinkStatusDead
}
