package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/status"
	"hbgo/crm/status/render"
)

// writeStatus prints a cluster state the way crm_simulate does under
// "Current cluster status:" and "Revised Cluster Status:": the node list,
// then every resource, inactive ones included.
func writeStatus(w io.Writer, cl *status.Cluster) {
	fmt.Fprintln(w, "  * Node List:")
	var online, offline []string
	for _, n := range cl.Nodes {
		if s := nodeState(n); s != "" {
			fmt.Fprintf(w, "    * Node %s: %s\n", n.Name, s)
			continue
		}
		if n.Online {
			online = append(online, n.Name)
		} else {
			offline = append(offline, n.Name)
		}
	}
	if len(online) > 0 {
		fmt.Fprintf(w, "    * Online: [ %s ]\n", strings.Join(online, " "))
	}
	if len(offline) > 0 {
		fmt.Fprintf(w, "    * OFFLINE: [ %s ]\n", strings.Join(offline, " "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  * Full List of Resources:")
	var b bytes.Buffer
	render.ResourceList(&b, cl, render.Options{Inactive: true})
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		if l != "" {
			io.WriteString(w, "  "+l)
		}
	}
}

// nodeState is the word Pacemaker's node list uses for a node that is not
// simply online or offline, or "".
func nodeState(n *status.Node) string {
	switch {
	case n.Unclean && n.Online:
		return "UNCLEAN (online)"
	case n.Unclean && n.Pending:
		return "UNCLEAN (pending)"
	case n.Unclean:
		return "UNCLEAN (offline)"
	case n.Pending:
		return "pending"
	case n.Online && n.Standby && n.Maintenance:
		return "standby (maintenance)"
	case n.Online && n.Standby && n.ResourcesRunning > 0:
		return "standby (with active resources)"
	case n.Online && n.Standby:
		return "standby"
	case n.Online && n.Maintenance:
		return "maintenance"
	case !n.Online && n.Standby:
		return "OFFLINE (standby)"
	case !n.Online && n.Maintenance:
		return "OFFLINE (maintenance)"
	}
	return ""
}

// placement is one place a primitive instance is active after the
// transition.
type placement struct {
	node string
	st   pengine.ResourceState
}

// revise returns a copy of cl changed to the state res predicts once
// every action of the transition has succeeded: node states from
// res.Nodes, and every primitive instance where res.Resources puts it.
// The policy engine names anonymous clone instances by their primitive
// id, so their placements are dealt out to the clone's instances: an
// instance keeps the node it runs on if the primitive stays there, the
// others take the remaining placements in instance order.
func revise(cl *status.Cluster, res *pengine.Result, rank map[string]int) *status.Cluster {
	out := *cl
	out.Nodes = nil
	final := map[string]pengine.NodeState{}
	for _, n := range res.Nodes {
		final[n.Name] = n
	}
	for _, n := range cl.Nodes {
		c := *n
		if f, ok := final[n.Name]; ok {
			c.Online, c.Pending, c.Unclean = f.Online, f.Pending, f.Unclean
			c.Standby, c.Maintenance = f.Standby, f.Maintenance
		}
		c.ResourcesRunning = 0
		out.Nodes = append(out.Nodes, &c)
	}
	byID := map[string][]placement{}
	for _, s := range res.Resources {
		byID[s.ID] = append(byID[s.ID], placement{s.Node, s})
	}
	out.Resources = nil
	for _, r := range cl.Resources {
		c := copyResource(r)
		reviseResource(c, byID, rank)
		out.Resources = append(out.Resources, c)
	}
	for _, r := range out.Resources {
		for _, p := range r.Primitives() {
			for _, name := range p.Nodes {
				if n := out.Node(name); n != nil {
					n.ResourcesRunning++
				}
			}
		}
	}
	return &out
}

func copyResource(r *status.Resource) *status.Resource {
	c := *r
	c.Nodes = append([]string(nil), r.Nodes...)
	c.Children = nil
	for _, ch := range r.Children {
		c.Children = append(c.Children, copyResource(ch))
	}
	return &c
}

// baseOf strips a clone instance suffix.
func baseOf(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[:i]
	}
	return id
}

func reviseResource(r *status.Resource, byID map[string][]placement, rank map[string]int) {
	switch {
	case r.Kind == cib.Primitive:
		setPlacements(r, byID[r.ID])
	case r.Kind == cib.Group, !anonymousClone(r):
		for _, c := range r.Children {
			reviseResource(c, byID, rank)
		}
	default:
		reviseAnonymous(r, byID, rank)
	}
}

// setPlacements gives a primitive its final nodes, role and flags.
func setPlacements(p *status.Resource, ps []placement) {
	// An ignored failure stays on record where the instance stays.
	ignored := false
	for _, pl := range ps {
		ignored = ignored || (p.FailureIgnored && contains(p.Nodes, pl.node))
	}
	p.Nodes = nil
	p.Role = status.Stopped
	p.Failed, p.Blocked, p.FailureIgnored = false, false, false
	p.Pending = ""
	for _, pl := range ps {
		p.Nodes = append(p.Nodes, pl.node)
		if role := status.Role(pl.st.Role.String()); roleRank(role) > roleRank(p.Role) {
			p.Role = role
		}
		p.Failed = p.Failed || pl.st.Failed
		p.Blocked = p.Blocked || pl.st.Blocked
		if pl.st.Unmanaged {
			p.Managed = false
		}
	}
	p.FailureIgnored = ignored && !p.Failed
}

// reviseAnonymous deals the placements of an anonymous clone's primitives
// out to its instances. An instance is a primitive or a group; a group
// instance is placed as a unit, by the node of its members.
func reviseAnonymous(clone *status.Resource, byID map[string][]placement, rank map[string]int) {
	// Placements per primitive base id, per node.
	type key struct{ base, node string }
	avail := map[key][]placement{}
	var nodes []string
	seen := map[string]bool{}
	for _, inst := range clone.Children {
		for _, p := range inst.Primitives() {
			b := baseOf(p.ID)
			if seen[b] {
				continue
			}
			seen[b] = true
			for _, pl := range byID[b] {
				avail[key{b, pl.node}] = append(avail[key{b, pl.node}], pl)
			}
		}
	}
	for _, inst := range clone.Children {
		for _, p := range inst.Primitives() {
			for _, pl := range byID[baseOf(p.ID)] {
				if !contains(nodes, pl.node) {
					nodes = append(nodes, pl.node)
				}
			}
		}
	}
	take := func(inst *status.Resource, node string) {
		for _, p := range inst.Primitives() {
			k := key{baseOf(p.ID), node}
			if ps := avail[k]; len(ps) > 0 {
				setPlacements(p, ps[:1])
				avail[k] = ps[1:]
			} else {
				setPlacements(p, nil)
			}
		}
	}
	hasAny := func(inst *status.Resource, node string) bool {
		for _, p := range inst.Primitives() {
			if len(avail[key{baseOf(p.ID), node}]) > 0 {
				return true
			}
		}
		return false
	}
	done := map[*status.Resource]bool{}
	// First pass: instances stay where they are.
	for _, inst := range clone.Children {
		cur := currentNode(inst)
		if cur != "" && hasAny(inst, cur) {
			take(inst, cur)
			done[inst] = true
		}
	}
	// Second pass: the remaining placements, node by node, to the free
	// instances in instance number order.
	num := numberInstances(clone, rank)
	byNum := make([]*status.Resource, len(clone.Children))
	for i, inst := range clone.Children {
		byNum[num[i]] = inst
	}
	for _, n := range nodes {
		for _, inst := range byNum {
			if done[inst] || !hasAny(inst, n) {
				continue
			}
			take(inst, n)
			done[inst] = true
			break
		}
	}
	for _, inst := range clone.Children {
		if !done[inst] {
			for _, p := range inst.Primitives() {
				setPlacements(p, nil)
			}
		}
	}
}

func currentNode(inst *status.Resource) string {
	for _, p := range inst.Primitives() {
		if len(p.Nodes) > 0 {
			return p.Nodes[0]
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// roleRank orders roles so that the higher one of several placements wins.
func roleRank(r status.Role) int {
	switch r {
	case status.Started, status.Unpromoted:
		return 1
	case status.Promoted:
		return 2
	}
	return 0
}
