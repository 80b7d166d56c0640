package main

import (
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/status"
)

// historyOrder ranks nodes the way the scheduler reads the status
// section: online nodes first, then the others, each in document order.
// Anonymous clone instances are numbered in this order.
func historyOrder(c *cib.CIB, cl *status.Cluster) map[string]int {
	rank := map[string]int{}
	for _, online := range []bool{true, false} {
		for _, st := range c.Status {
			n := cl.Node(st.Uname)
			if n == nil || n.Online != online {
				continue
			}
			if _, ok := rank[st.Uname]; !ok {
				rank[st.Uname] = len(rank)
			}
		}
	}
	for _, n := range cl.Nodes {
		if _, ok := rank[n.Name]; !ok {
			rank[n.Name] = len(rank)
		}
	}
	return rank
}

// numberInstances gives each child of an anonymous clone its instance
// number as Pacemaker would: active instances numbered in the order their
// nodes' histories are read, inactive ones taking the remaining numbers.
// The result is indexed like clone.Children.
func numberInstances(clone *status.Resource, rank map[string]int) []int {
	idx := make([]int, len(clone.Children))
	for i := range idx {
		idx[i] = i
	}
	pos := func(i int) int {
		n := currentNode(clone.Children[i])
		if n == "" {
			return 1 << 30
		}
		return rank[n]
	}
	sort.SliceStable(idx, func(a, b int) bool { return pos(idx[a]) < pos(idx[b]) })
	num := make([]int, len(clone.Children))
	for n, i := range idx {
		num[i] = n
	}
	return num
}

// forDisplay returns a copy of resources whose anonymous clones of groups
// have their instances renamed and ordered by the numbers Pacemaker
// would give them (see numberInstances), as the status display lists
// instances that are not summarised by their id.
func forDisplay(rs []*status.Resource, rank map[string]int) []*status.Resource {
	var out []*status.Resource
	for _, r := range rs {
		if r.Orphan && !r.Active() {
			// A stopped orphan is gone from the status display.
			continue
		}
		c := *r
		if r.Kind == cib.Clone && !r.Unique && len(r.Children) > 0 && r.Children[0].Kind == cib.Group {
			num := numberInstances(r, rank)
			c.Children = make([]*status.Resource, len(r.Children))
			for i, inst := range r.Children {
				ic := *inst
				ic.ID = baseOf(inst.ID) + ":" + strconv.Itoa(num[i])
				c.Children[num[i]] = &ic
			}
		}
		out = append(out, &c)
	}
	return out
}

// anonymousClone reports whether the scheduler treats clone r as
// anonymous: not globally unique, or holding a resource whose class
// cannot run unique instances (only ocf and stonith agents can), which
// forces it anonymous whatever its meta attributes say.
func anonymousClone(r *status.Resource) bool {
	if r.Kind != cib.Clone {
		return false
	}
	if !r.Unique {
		return true
	}
	for _, p := range r.Primitives() {
		class := p.Agent
		if i := strings.IndexByte(class, ':'); i >= 0 {
			class = class[:i]
		}
		if class != "ocf" && class != "stonith" {
			return true
		}
	}
	return false
}
