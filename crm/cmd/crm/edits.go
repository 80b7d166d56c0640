package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
)

// errNoResource means a name matches no configured resource.
var errNoResource = errors.New("no such resource")

// resourceElement returns the configuration element of a resource.
func resourceElement(root *cibdoc.Element, id string) (*cibdoc.Element, error) {
	e := cibdoc.Section(root, "resources").FindID(id)
	switch {
	case e == nil:
		return nil, fmt.Errorf("resource %s: %w", id, errNoResource)
	case e.Name != "primitive" && e.Name != "group" && e.Name != "clone" && e.Name != "master" && e.Name != "bundle":
		return nil, fmt.Errorf("%s is a %s, not a resource: %w", id, e.Name, errNoResource)
	}
	return e, nil
}

// setMeta sets a meta attribute of a resource the way crm_resource --meta
// does: in its first meta_attributes set, or in a new "<rsc>-meta_attributes".
func setMeta(root *cibdoc.Element, rsc, name, value string) error {
	e, err := resourceElement(root, rsc)
	if err != nil {
		return err
	}
	set := e.Child("meta_attributes")
	if set == nil {
		set = &cibdoc.Element{Name: "meta_attributes"}
		set.Set("id", unique(root, rsc+"-meta_attributes"))
		// sets go before the members of a container and the operations
		pos := len(e.Children)
		for i, c := range e.Children {
			if c.Name == "operations" || c.Name == "primitive" || c.Name == "group" {
				pos = i
				break
			}
		}
		set.Parent = e
		e.Children = append(e.Children[:pos], append([]*cibdoc.Element{set}, e.Children[pos:]...)...)
	}
	for _, p := range set.All("nvpair") {
		if p.Attr("name") == name {
			p.Set("value", value)
			return nil
		}
	}
	p := &cibdoc.Element{Name: "nvpair"}
	p.Set("id", unique(root, set.Attr("id")+"-"+name))
	p.Set("name", name)
	p.Set("value", value)
	set.Append(p)
	return nil
}

func unique(root *cibdoc.Element, id string) string {
	if root.FindID(id) == nil {
		return id
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%s-%d", id, i)
		if root.FindID(c) == nil {
			return c
		}
	}
}

// moveTo prefers node for rsc (cli-prefer-RSC), as crm_resource --move -N.
func moveTo(root *cibdoc.Element, rsc, node string, until time.Time) error {
	if _, err := resourceElement(root, rsc); err != nil {
		return err
	}
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return err
	}
	cibdoc.SetCLILocation(root, "cli-prefer-"+rsc, rsc, node, "INFINITY", until)
	return nil
}

// banFrom keeps rsc off node (cli-ban-RSC-on-NODE), as crm_resource
// --move without a node does for the node the resource runs on.
func banFrom(root *cibdoc.Element, rsc, node string, until time.Time) error {
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return err
	}
	cibdoc.SetCLILocation(root, "cli-ban-"+rsc+"-on-"+node, rsc, node, "-INFINITY", until)
	return nil
}

// clearMoves removes the cli-prefer- and cli-ban- constraints of rsc and
// returns their ids.
func clearMoves(root *cibdoc.Element, rsc string) []string {
	var out []string
	for _, c := range cibdoc.Section(root, "constraints").All("rsc_location") {
		id := c.Attr("id")
		if id == "cli-prefer-"+rsc || strings.HasPrefix(id, "cli-ban-"+rsc+"-on-") {
			out = append(out, id)
			c.Remove()
		}
	}
	return out
}

// activeNodes lists the nodes any instance of r runs on, once each.
func activeNodes(r *status.Resource) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range r.Primitives() {
		for _, n := range p.Nodes {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// cleanup removes the operation history of rsc's primitives (on node only
// when given) together with their fail-count and last-failure attributes:
// with all unset only histories that hold a failure, as crm_resource
// --cleanup; with all set every history, as --refresh. It returns one line
// per history removed.
func cleanup(root *cibdoc.Element, cl *status.Cluster, rsc, node string, all bool) ([]string, error) {
	r := cl.Find(rsc)
	if r == nil {
		return nil, fmt.Errorf("resource %s: %w", rsc, errNoResource)
	}
	wanted := map[string]bool{}
	for _, p := range r.Primitives() {
		wanted[p.ConfigID] = true
	}
	failed := map[string]bool{}
	for _, f := range cl.Failures {
		failed[f.Node+"\x00"+f.Resource] = true
	}
	st := root.Child("status")
	if st == nil {
		return nil, nil
	}
	var lines []string
	for _, ns := range st.All("node_state") {
		uname := ns.Attr("uname")
		if node != "" && uname != node {
			continue
		}
		cleaned := map[string]bool{}
		if lrm := ns.Child("lrm"); lrm != nil && lrm.Child("lrm_resources") != nil {
			for _, lr := range lrm.Child("lrm_resources").All("lrm_resource") {
				id := lr.Attr("id")
				base := id
				if i := strings.LastIndexByte(id, ':'); i >= 0 {
					base = id[:i]
				}
				if !wanted[base] && !wanted[id] {
					continue
				}
				if !all && !failed[uname+"\x00"+id] {
					continue
				}
				lr.Remove()
				cleaned[id], cleaned[base] = true, true
				lines = append(lines, fmt.Sprintf("Cleaned up %s on %s", id, uname))
			}
		}
		ta := ns.Child("transient_attributes")
		if ta == nil {
			continue
		}
		ta.Walk(func(e *cibdoc.Element) bool {
			if e.Name != "nvpair" {
				return true
			}
			name := e.Attr("name")
			for _, prefix := range []string{"fail-count-", "last-failure-"} {
				if !strings.HasPrefix(name, prefix) {
					continue
				}
				r := strings.TrimPrefix(name, prefix)
				if i := strings.IndexByte(r, '#'); i >= 0 {
					r = r[:i]
				}
				if cleaned[r] || (all && wanted[r]) {
					e.Remove()
				}
			}
			return true
		})
	}
	return lines, nil
}
