package crmd

import (
	"bytes"
	"slices"
	"strings"

	"hbgo/crm/attrd"
	"hbgo/crm/cib"
	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
	"hbgo/crm/tengine"
)

// Node membership values written into node_state, as Heartbeat 2.x's crmd
// wrote them.
const (
	valTrue    = "true"
	valFalse   = "false"
	valOnline  = "online"
	valOffline = "offline"
	valMember  = "member"
	valDown    = "down"
)

func path(s string) cibstore.Path {
	p, err := cibstore.ParsePath(s)
	if err != nil {
		panic("crmd: bad built-in path " + s + ": " + err.Error())
	}
	return p
}

func nodeStatePath(id string) cibstore.Path {
	return path("/cib/status/node_state[@id='" + id + "']")
}

// section returns the child of root at a two-level path (configuration/nodes).
func section(root *cibstore.Node, names ...string) *cibstore.Node {
	n := root
	for _, name := range names {
		if n = n.Child(name, ""); n == nil {
			return nil
		}
	}
	return n
}

// NodeID returns the id the CIB uses for uname: the id of its entry in
// the nodes section, else of its node_state, else the name itself.
func NodeID(root *cibstore.Node, uname string) string {
	if ns := section(root, cibstore.SectionConfiguration, "nodes"); ns != nil {
		for _, c := range ns.Children {
			if u, _ := c.Attr("uname"); c.Name == "node" && u == uname && c.ID() != "" {
				return c.ID()
			}
		}
	}
	if st := section(root, cibstore.SectionStatus); st != nil {
		for _, c := range st.Children {
			if u, _ := c.Attr("uname"); c.Name == "node_state" && u == uname && c.ID() != "" {
				return c.ID()
			}
		}
	}
	return uname
}

func nodeStateOf(root *cibstore.Node, uname string) *cibstore.Node {
	st := section(root, cibstore.SectionStatus)
	if st == nil {
		return nil
	}
	for _, c := range st.Children {
		if u, _ := c.Attr("uname"); c.Name == "node_state" && u == uname {
			return c
		}
	}
	return nil
}

// stonithEnabled reads stonith-enabled from crm_config (default true).
func stonithEnabled(root *cibstore.Node) bool {
	cc := section(root, cibstore.SectionConfiguration, "crm_config")
	if cc == nil {
		return true
	}
	for _, set := range cc.Children {
		for _, p := range set.Children {
			if n, _ := p.Attr("name"); p.Name == "nvpair" && n == "stonith-enabled" {
				v, _ := p.Attr("value")
				return cib.IsTrue(v)
			}
		}
	}
	return true
}

// MembershipOps returns the changes that make doc say what crm_mon and
// the policy engine must know about mem: dc-uuid and have-quorum on the
// root, a nodes-section entry for every node, and node_state membership
// fields (in_ccm, crmd, join, expected) for every member and for every node
// that has a node_state. A node that left loses its transient attributes;
// without fencing its operation history is erased too (nothing can run
// there any more), with fencing the history stays and expected stays
// "member" so the policy engine fences it. nodes are the configured nodes.
func MembershipOps(doc *cibstore.Doc, nodes []string, mem controller.Membership) []cibstore.Op {
	root := doc.Root()
	var ops []cibstore.Op
	all := slices.Clone(nodes)
	for _, m := range mem.Members {
		if !slices.Contains(all, m) {
			all = append(all, m)
		}
	}
	slices.Sort(all)

	// Nodes section first, so the ids below come from it.
	ids := map[string]string{}
	nodesSec := section(root, cibstore.SectionConfiguration, "nodes")
	for _, n := range all {
		id := NodeID(root, n)
		ids[n] = id
		found := false
		if nodesSec != nil {
			for _, c := range nodesSec.Children {
				if u, _ := c.Attr("uname"); c.Name == "node" && u == n {
					found = true
				}
			}
		}
		if !found && nodesSec != nil {
			ops = append(ops, cibstore.Op{Kind: cibstore.OpReplace,
				Path: path("/cib/configuration/nodes/node[@id='" + id + "']"),
				Node: &cibstore.Node{Name: "node", Attrs: []cibstore.Attr{{Name: "id", Value: id}, {Name: "uname", Value: n}, {Name: "type", Value: "normal"}}}})
		}
	}

	want := root.Clone()
	dcID := ""
	if mem.DC != "" {
		dcID = NodeID(root, mem.DC)
	}
	want.SetAttr("dc-uuid", dcID)
	q := "0"
	if mem.Quorum {
		q = "1"
	}
	want.SetAttr("have-quorum", q)
	if !attrsEqual(root.Attrs, want.Attrs) {
		ops = append(ops, cibstore.Op{Kind: cibstore.OpAttrs, Path: path("/cib"), Node: &cibstore.Node{Name: "cib", Attrs: want.Attrs}})
	}

	fencing := stonithEnabled(root)
	for _, n := range all {
		id := ids[n]
		cur := nodeStateOf(root, n)
		member := slices.Contains(mem.Members, n)
		if cur == nil && !member {
			continue
		}
		attrs := []cibstore.Attr{{Name: "id", Value: id}, {Name: "uname", Value: n}}
		if cur != nil {
			attrs = slices.Clone(cur.Attrs)
		}
		set := func(k, v string) { attrs = setAttr(attrs, k, v) }
		if member {
			set("in_ccm", valTrue)
			set("crmd", valOnline)
			set("join", valMember)
			set("expected", valMember)
		} else {
			set("in_ccm", valFalse)
			set("crmd", valOffline)
			set("join", valDown)
			if !fencing {
				set("expected", valDown)
			} else if _, ok := attrValue(attrs, "expected"); !ok {
				set("expected", valMember)
			}
		}
		p := nodeStatePath(id)
		if cur == nil {
			ops = append(ops, cibstore.Op{Kind: cibstore.OpReplace, Path: p, Node: &cibstore.Node{Name: "node_state", Attrs: attrs}})
			continue
		}
		if !attrsEqual(cur.Attrs, attrs) {
			ops = append(ops, cibstore.Op{Kind: cibstore.OpAttrs, Path: p, Node: &cibstore.Node{Name: "node_state", Attrs: attrs}})
		}
		if member {
			continue
		}
		if cur.Child("transient_attributes", "") != nil {
			ops = append(ops, cibstore.Op{Kind: cibstore.OpDelete, Path: append(slices.Clone(p), cibstore.Step{Name: "transient_attributes"})})
		}
		if !fencing && cur.Child("lrm", "") != nil {
			ops = append(ops, cibstore.Op{Kind: cibstore.OpDelete, Path: append(slices.Clone(p), cibstore.Step{Name: "lrm"})})
		}
	}
	return ops
}

func attrValue(attrs []cibstore.Attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

func setAttr(attrs []cibstore.Attr, name, value string) []cibstore.Attr {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, cibstore.Attr{Name: name, Value: value})
}

func attrsEqual(a, b []cibstore.Attr) bool { return slices.Equal(a, b) }

// StatusOps returns the operations that write the node_states of st named
// in touched into doc, each with its transient attributes after changes.
// The operation history and membership fields come from st; transient
// attributes already in doc are kept unless st.ClearTransient is set or a
// change deletes them.
func StatusOps(doc *cibstore.Doc, st *tengine.Status, touched []string, changes []attrd.Change) ([]cibstore.Op, error) {
	root := doc.Root()
	var buf bytes.Buffer
	if err := st.WriteXML(&buf); err != nil {
		return nil, err
	}
	written, err := cibstore.ParseNode(&buf)
	if err != nil {
		return nil, err
	}
	byNode := map[string][]attrd.Change{}
	for _, c := range changes {
		if c.Lifetime == attrd.Reboot {
			byNode[c.Node] = append(byNode[c.Node], c)
			if !slices.Contains(touched, c.Node) {
				touched = append(touched, c.Node)
			}
		}
	}
	var ops []cibstore.Op
	for _, uname := range touched {
		var ns *cibstore.Node
		for _, c := range written.Children {
			if u, _ := c.Attr("uname"); u == uname {
				ns = c
			}
		}
		cur := nodeStateOf(root, uname)
		if ns == nil {
			if cur == nil {
				continue // attribute changes for a node never seen: nothing to hang them on
			}
			ns = &cibstore.Node{Name: "node_state", Attrs: slices.Clone(cur.Attrs), Children: slices.Clone(cur.Children)}
			ns.Children = slices.DeleteFunc(ns.Children, func(c *cibstore.Node) bool { return c.Name == "transient_attributes" })
		}
		if cur != nil {
			// Keep attributes of the existing entry the history writer does
			// not know about.
			for _, a := range cur.Attrs {
				if _, ok := attrValue(ns.Attrs, a.Name); !ok {
					ns.Attrs = append(ns.Attrs, a)
				}
			}
		}
		var ta *cibstore.Node
		clear := false
		for _, n := range st.Nodes {
			if n.Uname == uname && n.ClearTransient {
				clear = true
			}
		}
		if cur != nil && !clear {
			ta = cur.Child("transient_attributes", "").Clone()
		}
		ta = applyAttrChanges(ta, ns.ID(), byNode[uname])
		if ta != nil {
			ns.Children = append([]*cibstore.Node{ta}, ns.Children...)
		}
		if cur != nil && cur.Equal(ns) {
			continue
		}
		ops = append(ops, cibstore.Op{Kind: cibstore.OpReplace, Path: nodeStatePath(ns.ID()), Node: ns})
	}
	return ops, nil
}

// applyAttrChanges applies transient attribute changes to a node_state's
// transient_attributes element (nil when absent), in the layout attrd
// writes: transient_attributes > instance_attributes "status-ID" > nvpair
// "status-ID-NAME".
func applyAttrChanges(ta *cibstore.Node, id string, changes []attrd.Change) *cibstore.Node {
	if len(changes) == 0 {
		return ta
	}
	if ta == nil {
		ta = &cibstore.Node{Name: "transient_attributes", Attrs: []cibstore.Attr{{Name: "id", Value: id}}}
	}
	var set *cibstore.Node
	for _, c := range ta.Children {
		if c.Name == "instance_attributes" {
			set = c
			break
		}
	}
	if set == nil {
		set = &cibstore.Node{Name: "instance_attributes", Attrs: []cibstore.Attr{{Name: "id", Value: "status-" + id}}}
		ta.Children = append(ta.Children, set)
	}
	for _, ch := range changes {
		set.Children = slices.DeleteFunc(set.Children, func(p *cibstore.Node) bool {
			n, _ := p.Attr("name")
			return p.Name == "nvpair" && n == ch.Name
		})
		if ch.Delete {
			continue
		}
		set.Children = append(set.Children, &cibstore.Node{Name: "nvpair", Attrs: []cibstore.Attr{
			{Name: "id", Value: set.ID() + "-" + ch.Name}, {Name: "name", Value: ch.Name}, {Name: "value", Value: ch.Value}}})
	}
	return ta
}

// ParseCIB parses a document into the policy engine's model.
func ParseCIB(doc *cibstore.Doc) (*cib.CIB, error) {
	return cib.Parse(bytes.NewReader(doc.Bytes()))
}

// Cluster properties the DC keeps in cib-bootstrap-options, as
// Pacemaker's DC does: crm_mon shows them in its header ("Stack:",
// "Current DC: NODE (version ...)").
const (
	bootstrapSet = "cib-bootstrap-options"
	// Infrastructure is the cluster-infrastructure value of crm mode: the
	// heartbeat messaging layer, as Pacemaker on Heartbeat wrote it.
	Infrastructure = "heartbeat"
)

// ClusterInfoOps returns the ops that make the CIB's cib-bootstrap-options
// say dc-version=version and cluster-infrastructure=heartbeat (none when
// it already does). A missing crm_config or property set is created.
func ClusterInfoOps(doc *cibstore.Doc, version string) []cibstore.Op {
	root := doc.Root()
	want := []cibstore.Attr{{Name: "dc-version", Value: version}, {Name: "cluster-infrastructure", Value: Infrastructure}}
	nvpair := func(a cibstore.Attr) *cibstore.Node {
		return &cibstore.Node{Name: "nvpair", Attrs: []cibstore.Attr{
			{Name: "id", Value: bootstrapSet + "-" + a.Name}, {Name: "name", Value: a.Name}, {Name: "value", Value: a.Value}}}
	}
	setNode := func() *cibstore.Node {
		n := &cibstore.Node{Name: "cluster_property_set", Attrs: []cibstore.Attr{{Name: "id", Value: bootstrapSet}}}
		for _, a := range want {
			n.Children = append(n.Children, nvpair(a))
		}
		return n
	}
	if section(root, cibstore.SectionConfiguration) == nil {
		return nil // not a CIB the validator accepts anyway
	}
	cc := section(root, cibstore.SectionConfiguration, "crm_config")
	if cc == nil {
		return []cibstore.Op{{Kind: cibstore.OpReplace, Path: path("/cib/configuration/crm_config"),
			Node: &cibstore.Node{Name: "crm_config", Children: []*cibstore.Node{setNode()}}}}
	}
	set := cc.Child("cluster_property_set", bootstrapSet)
	if set == nil {
		return []cibstore.Op{{Kind: cibstore.OpReplace,
			Path: path("/cib/configuration/crm_config/cluster_property_set[@id='" + bootstrapSet + "']"), Node: setNode()}}
	}
	var ops []cibstore.Op
	for _, a := range want {
		var cur *cibstore.Node
		for _, c := range set.Children {
			if n, _ := c.Attr("name"); c.Name == "nvpair" && n == a.Name {
				cur = c
			}
		}
		switch {
		case cur == nil:
			ops = append(ops, cibstore.Op{Kind: cibstore.OpReplace,
				Path: path("/cib/configuration/crm_config/cluster_property_set[@id='" + bootstrapSet + "']/nvpair[@id='" + bootstrapSet + "-" + a.Name + "']"),
				Node: nvpair(a)})
		case strings.ContainsAny(cur.ID(), "'[]/") || cur.ID() == "":
			// An id no path can name: leave it to the admin rather
			// than fail the membership update this rides along with.
		default:
			if v, _ := cur.Attr("value"); v != a.Value {
				attrs := setAttr(slices.Clone(cur.Attrs), "value", a.Value)
				ops = append(ops, cibstore.Op{Kind: cibstore.OpAttrs,
					Path: path("/cib/configuration/crm_config/cluster_property_set[@id='" + bootstrapSet + "']/nvpair[@id='" + cur.ID() + "']"),
					Node: &cibstore.Node{Name: "nvpair", Attrs: attrs}})
			}
		}
	}
	return ops
}
