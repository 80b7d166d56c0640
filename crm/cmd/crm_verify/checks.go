package main

import (
	"fmt"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
)

// finding is one problem the scheduler would log while reading the CIB.
type finding struct {
	err bool // error rather than warning
	msg string
}

// semantic returns the problems Pacemaker's scheduler reports for a
// well-formed CIB: misused options, duplicate operations, missing fencing
// devices, resources active in too many places, failures that block
// recovery, and nodes that will be fenced.
func semantic(c *cib.CIB, root *cibdoc.Element) []finding {
	var out []finding
	cl := status.Compute(c, root)
	var prims []*cib.Resource
	var walk func(rs []*cib.Resource, promotable bool)
	walk = func(rs []*cib.Resource, promotable bool) {
		for _, r := range rs {
			p := promotable || r.Kind == cib.Master || metaTrue(r, "promotable")
			if r.Kind == cib.Primitive {
				prims = append(prims, r)
				if !p {
					if v, ok := meta(r, "target-role"); ok && isPromotableRole(v) {
						out = append(out, finding{true, fmt.Sprintf("Ignoring 'target-role' for %s because '%s' only makes sense for promotable clones", r.ID, v)})
					}
				}
			}
			walk(r.Children, p)
		}
	}
	walk(c.Resources, false)
	stonithDevices := false
	for _, r := range prims {
		if r.Class == "stonith" {
			stonithDevices = true
		}
		seen := map[string]string{}
		for _, o := range r.Ops {
			ms, _ := cib.ParseIntervalMS(o.Interval)
			key := fmt.Sprintf("%s/%d", o.Name, ms)
			if first, dup := seen[key]; dup {
				out = append(out, finding{true, fmt.Sprintf("Operation %s is duplicate of %s (do not use same name and interval combination more than once per resource)", o.ID, first)})
				continue
			}
			seen[key] = o.ID
		}
	}
	if cl.Options.StonithEnabled && !stonithDevices {
		out = append(out,
			finding{true, "Resource start-up disabled since no STONITH resources have been defined"},
			finding{true, "Either configure some or disable STONITH with the stonith-enabled option"},
			finding{true, "NOTE: Clusters with shared data need STONITH to ensure data integrity"})
	}
	for _, r := range cl.Resources {
		if r.Orphan && r.Active() {
			for _, n := range r.Nodes {
				out = append(out, finding{false, fmt.Sprintf("Detected active orphan %s running on %s", r.ID, n)})
			}
		}
	}
	for _, o := range c.Orders {
		if o.RequireAll != "" {
			out = append(out, finding{false, "Support for require-all in ordering constraints is deprecated and will be removed in a future release (use clone-min clone meta-attribute instead)"})
		}
	}
	for _, s := range c.CRMConfig {
		for _, p := range s.Pairs {
			if p.Name == "startup-fencing" && !cib.IsTrue(p.Value) {
				out = append(out, finding{false, "Blind faith: not fencing unseen nodes"})
			}
		}
	}
	var groups func(rs []*cib.Resource)
	groups = func(rs []*cib.Resource) {
		for _, r := range rs {
			if r.Kind == cib.Group {
				for _, m := range []string{"ordered", "collocated"} {
					// only turning the default off draws the warning
					if v, ok := meta(r, m); ok && !cib.IsTrue(v) {
						out = append(out, finding{false, fmt.Sprintf("Support for the '%s' group meta-attribute is deprecated and will be removed in a future release (use a resource set instead)", m)})
					}
				}
			}
			groups(r.Children)
		}
	}
	groups(c.Resources)
	for _, n := range cl.Nodes {
		if n.Unclean {
			out = append(out, finding{false, fmt.Sprintf("Cluster node %s will be fenced", n.Name)})
		}
	}
	return out
}

func agentClass(agent string) string {
	if i := strings.IndexByte(agent, ':'); i >= 0 {
		return agent[:i]
	}
	return agent
}

func isPromotableRole(v string) bool {
	switch strings.ToLower(v) {
	case "promoted", "unpromoted", "master", "slave":
		return true
	}
	return false
}

func meta(r *cib.Resource, name string) (string, bool) {
	for _, s := range r.Meta {
		for _, p := range s.Pairs {
			if p.Name == name {
				return p.Value, true
			}
		}
	}
	return "", false
}

func metaTrue(r *cib.Resource, name string) bool {
	v, _ := meta(r, name)
	return cib.IsTrue(v)
}
