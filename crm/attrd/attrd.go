package attrd

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// Lifetime says where an attribute lives.
type Lifetime int

// Lifetimes, named as crm_attribute's --lifetime.
const (
	// Reboot attributes are transient: status section, gone when the
	// node leaves the cluster.
	Reboot Lifetime = iota
	// Forever attributes are permanent: nodes section of the configuration.
	Forever
)

// String names the lifetime.
func (l Lifetime) String() string {
	if l == Forever {
		return "forever"
	}
	return "reboot"
}

// Change is one attribute change for the CIB.
type Change struct {
	Node     string
	Lifetime Lifetime
	Name     string
	// Value is the new value; ignored when Delete is set.
	Value  string
	Delete bool
}

// String renders the change for logs.
func (c Change) String() string {
	if c.Delete {
		return fmt.Sprintf("%s: delete %s (%s)", c.Node, c.Name, c.Lifetime)
	}
	return fmt.Sprintf("%s: %s=%s (%s)", c.Node, c.Name, c.Value, c.Lifetime)
}

// Store holds the attributes of every node.
type Store struct {
	attrs [2]map[string]map[string]string // lifetime -> node -> name -> value
}

// New returns an empty store.
func New() *Store {
	return &Store{attrs: [2]map[string]map[string]string{{}, {}}}
}

// Load returns a store with the attributes of c: permanent ones from the
// nodes section (by uname), transient ones from the status section. Sets
// guarded by rules are skipped: their values are not plain attributes.
func Load(c *cib.CIB) *Store {
	s := New()
	put := func(lt Lifetime, node string, sets []cib.NVSet) {
		for _, set := range sets {
			if set.Rule != nil {
				continue
			}
			for _, p := range set.Pairs {
				if _, seen := s.get(lt, node, p.Name); !seen {
					s.set(lt, node, p.Name, p.Value)
				}
			}
		}
	}
	for _, n := range c.Nodes {
		put(Forever, n.Uname, n.Attrs)
	}
	for _, ns := range c.Status {
		put(Reboot, ns.Uname, ns.Transient)
	}
	return s
}

func (s *Store) get(lt Lifetime, node, name string) (string, bool) {
	v, ok := s.attrs[lt][node][name]
	return v, ok
}

func (s *Store) set(lt Lifetime, node, name, value string) {
	m := s.attrs[lt][node]
	if m == nil {
		m = map[string]string{}
		s.attrs[lt][node] = m
	}
	m[name] = value
}

// Get returns the value of name on node.
func (s *Store) Get(node, name string, lt Lifetime) (string, bool) {
	return s.get(lt, node, name)
}

// Names lists the attributes of node with lifetime lt, sorted.
func (s *Store) Names(node string, lt Lifetime) []string {
	var out []string
	for k := range s.attrs[lt][node] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrBadName means an attribute name is empty or has characters the CIB
// cannot hold in an nvpair name.
var ErrBadName = errors.New("invalid attribute name")

// Update sets name on node. value may use the attrd_updater forms
// "word++" and "word+=N" to add to the current value (see ExpandValue).
// It returns the change, or ok=false when the value stays the same.
func (s *Store) Update(node, name, value string, lt Lifetime) (c Change, ok bool, err error) {
	if name == "" || strings.ContainsAny(name, " \t\n<>\"&'") {
		return Change{}, false, fmt.Errorf("attribute %q: %w", name, ErrBadName)
	}
	old, _ := s.get(lt, node, name)
	nv := ExpandValue(value, old)
	if cur, had := s.get(lt, node, name); had && cur == nv {
		return Change{}, false, nil
	}
	s.set(lt, node, name, nv)
	return Change{Node: node, Lifetime: lt, Name: name, Value: nv}, true, nil
}

// Delete removes name from node; ok is false when it was not set.
func (s *Store) Delete(node, name string, lt Lifetime) (Change, bool) {
	if _, had := s.get(lt, node, name); !had {
		return Change{}, false
	}
	delete(s.attrs[lt][node], name)
	return Change{Node: node, Lifetime: lt, Name: name, Delete: true}, true
}

// NodeLeft forgets the transient attributes of node (it was fenced, shut
// down or lost); the changes delete them from the status section.
func (s *Store) NodeLeft(node string) []Change {
	var out []Change
	for _, name := range s.Names(node, Reboot) {
		c, _ := s.Delete(node, name, Reboot)
		out = append(out, c)
	}
	return out
}

var incrementForm = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_#:.-]*(\+\+|\+=(.*))$`)

// ExpandValue applies the attrd_updater increment syntax: "word++" adds one
// to old, "word+=N" adds N (an integer or INFINITY); any other value is
// taken literally. An unset or non-numeric old value counts as 0, and the
// sum saturates at ±INFINITY as scores do.
func ExpandValue(value, old string) string {
	m := incrementForm.FindStringSubmatch(value)
	if m == nil {
		return value
	}
	add := score.Score(1)
	if m[1] != "++" {
		v, ok := score.Parse(m[2])
		if !ok {
			return value
		}
		add = v
	}
	base, ok := score.Parse(old)
	if !ok {
		base = 0
	}
	return scoreText(score.Add(base, add))
}

func scoreText(v score.Score) string {
	switch {
	case v >= score.Infinity:
		return "INFINITY"
	case v <= -score.Infinity:
		return "-INFINITY"
	}
	return strconv.Itoa(int(v))
}

// FailCountName is the attribute counting failures of one operation:
// "fail-count-RSC#OP_INTERVAL".
func FailCountName(rsc, op string, intervalMS int) string {
	return "fail-count-" + rsc + "#" + op + "_" + strconv.Itoa(intervalMS)
}

// LastFailureName is the attribute holding the time (unix seconds) of the
// latest such failure: "last-failure-RSC#OP_INTERVAL".
func LastFailureName(rsc, op string, intervalMS int) string {
	return "last-failure-" + rsc + "#" + op + "_" + strconv.Itoa(intervalMS)
}

// Failure describes a failed operation.
type Failure struct {
	Node, Resource, Operation string
	IntervalMS                int
	// RC and TargetRC are the code received and the one expected.
	RC, TargetRC int
	At           time.Time
	// StartFailureIsFatal is the cluster option start-failure-is-fatal
	// (default true): a failed start bans the node at once.
	StartFailureIsFatal bool
}

// Counts reports whether f raises a fail count. A probe (monitor with
// interval 0) only discovers state, so it never does; neither does a result
// that matches the target.
func (f Failure) Counts() bool {
	if f.RC == f.TargetRC {
		return false
	}
	return !(f.Operation == "monitor" && f.IntervalMS == 0)
}

// RecordFailure raises the fail count of the failed operation on its node
// and stamps last-failure: by one for a failed recurring monitor (and other
// operations), to INFINITY for a failed stop and, when start failures are
// fatal, a failed start. The policy engine compares the sum of a resource's
// fail counts on a node with migration-threshold.
func (s *Store) RecordFailure(f Failure) []Change {
	if !f.Counts() {
		return nil
	}
	value := "value++"
	if f.Operation == "stop" || (f.Operation == "start" && f.StartFailureIsFatal) {
		value = "INFINITY"
	}
	var out []Change
	if c, ok, _ := s.Update(f.Node, FailCountName(f.Resource, f.Operation, f.IntervalMS), value, Reboot); ok {
		out = append(out, c)
	}
	if c, ok, _ := s.Update(f.Node, LastFailureName(f.Resource, f.Operation, f.IntervalMS), strconv.FormatInt(f.At.Unix(), 10), Reboot); ok {
		out = append(out, c)
	}
	return out
}

// FailCount sums the fail counts of rsc on node over all its operations.
func (s *Store) FailCount(node, rsc string) score.Score {
	var total score.Score
	for name, v := range s.attrs[Reboot][node] {
		if r, ok := failCountResource(name); ok && r == rsc {
			if n, ok := score.Parse(v); ok {
				total = score.Add(total, n)
			}
		}
	}
	return total
}

func failCountResource(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "fail-count-")
	if !ok {
		return "", false
	}
	rsc, _, _ := strings.Cut(rest, "#")
	return rsc, true
}

// ClearFailures deletes the fail-count and last-failure attributes of rsc
// on node (crm_resource --cleanup).
func (s *Store) ClearFailures(node, rsc string) []Change {
	var out []Change
	for _, name := range s.Names(node, Reboot) {
		rest, ok := strings.CutPrefix(name, "fail-count-")
		if !ok {
			rest, ok = strings.CutPrefix(name, "last-failure-")
		}
		if !ok {
			continue
		}
		if r, _, _ := strings.Cut(rest, "#"); r == rsc {
			c, _ := s.Delete(node, name, Reboot)
			out = append(out, c)
		}
	}
	return out
}

// Apply writes changes into c: transient ones into the node_state's
// transient_attributes set "status-<node id>", permanent ones into the
// node's instance_attributes set "nodes-<node id>", creating sets (and
// node entries) as needed. A transient change for a node without a
// node_state creates one with no membership fields, which the policy
// engine reads as a node never seen (and fences when fencing is on): apply
// the transition's status (tengine.Status.ApplyTo) first.
func Apply(c *cib.CIB, changes []Change) {
	for _, ch := range changes {
		switch ch.Lifetime {
		case Forever:
			var n *cib.Node
			for i := range c.Nodes {
				if c.Nodes[i].Uname == ch.Node {
					n = &c.Nodes[i]
				}
			}
			if n == nil {
				c.Nodes = append(c.Nodes, cib.Node{ID: ch.Node, Uname: ch.Node})
				n = &c.Nodes[len(c.Nodes)-1]
			}
			n.Attrs = applyToSets(n.Attrs, "nodes-"+n.ID, ch)
		default:
			var ns *cib.NodeState
			for i := range c.Status {
				if c.Status[i].Uname == ch.Node {
					ns = &c.Status[i]
				}
			}
			if ns == nil {
				if ch.Delete {
					continue
				}
				c.Status = append(c.Status, cib.NodeState{ID: nodeID(c, ch.Node), Uname: ch.Node})
				ns = &c.Status[len(c.Status)-1]
			}
			ns.Transient = applyToSets(ns.Transient, "status-"+ns.ID, ch)
		}
	}
}

func nodeID(c *cib.CIB, uname string) string {
	for _, n := range c.Nodes {
		if n.Uname == uname && n.ID != "" {
			return n.ID
		}
	}
	return uname
}

func applyToSets(sets []cib.NVSet, setID string, ch Change) []cib.NVSet {
	// Remove the name from every plain set, then add it to the first one.
	for i := range sets {
		if sets[i].Rule != nil {
			continue
		}
		pairs := sets[i].Pairs[:0]
		for _, p := range sets[i].Pairs {
			if p.Name != ch.Name {
				pairs = append(pairs, p)
			}
		}
		sets[i].Pairs = pairs
	}
	if ch.Delete {
		return sets
	}
	target := -1
	for i := range sets {
		if sets[i].Rule == nil {
			target = i
			break
		}
	}
	if target < 0 {
		sets = append(sets, cib.NVSet{ID: setID})
		target = len(sets) - 1
	}
	sets[target].Pairs = append(sets[target].Pairs, cib.NVPair{ID: sets[target].ID + "-" + ch.Name, Name: ch.Name, Value: ch.Value})
	return sets
}
