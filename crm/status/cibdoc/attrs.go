package cibdoc

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound means the element or attribute asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrNoNode means a node name matches no configured node.
var ErrNoNode = errors.New("no such node")

// AttrScope is where a named attribute lives.
type AttrScope string

// Attribute scopes, as crm_attribute's --type names them.
const (
	ScopeCRMConfig   AttrScope = "crm_config"
	ScopeNodes       AttrScope = "nodes"  // permanent node attributes
	ScopeStatus      AttrScope = "status" // transient node attributes
	ScopeRscDefaults AttrScope = "rsc_defaults"
	ScopeOpDefaults  AttrScope = "op_defaults"
)

// AttrRef names one attribute: its scope, the node it belongs to (for the
// node scopes) and its name.
type AttrRef struct {
	Scope AttrScope
	Node  string // node uname, for ScopeNodes and ScopeStatus
	Name  string
	// SetID, when set, picks the nvset; otherwise the tools' default
	// ("cib-bootstrap-options", "nodes-<id>", "status-<id>", ...).
	SetID string
}

// NodeID returns the id of the configured node with the given uname (or
// id).
func NodeID(root *Element, uname string) (string, error) {
	nodes := Section(root, "nodes")
	for _, n := range nodes.All("node") {
		if n.Attr("uname") == uname || (n.Attr("uname") == "" && n.Attr("id") == uname) {
			return n.Attr("id"), nil
		}
	}
	for _, n := range nodes.All("node") {
		if n.Attr("id") == uname {
			return n.Attr("id"), nil
		}
	}
	return "", fmt.Errorf("node %q: %w", uname, ErrNoNode)
}

// container returns the element holding the nvsets for ref (creating it
// when create is set), and the default set id and the set's element name.
func container(root *Element, ref AttrRef, create bool) (parent *Element, setID, setName string, err error) {
	switch ref.Scope {
	case ScopeCRMConfig:
		return Section(root, "crm_config"), "cib-bootstrap-options", "cluster_property_set", nil
	case ScopeRscDefaults, ScopeOpDefaults:
		return Section(root, string(ref.Scope)), string(ref.Scope) + "-options", "meta_attributes", nil
	case ScopeNodes:
		id, err := NodeID(root, ref.Node)
		if err != nil {
			return nil, "", "", err
		}
		for _, n := range Section(root, "nodes").All("node") {
			if n.Attr("id") == id {
				return n, "nodes-" + id, "instance_attributes", nil
			}
		}
	case ScopeStatus:
		id, err := NodeID(root, ref.Node)
		if err != nil {
			return nil, "", "", err
		}
		st := root.Child("status")
		var ns *Element
		if st != nil {
			for _, e := range st.All("node_state") {
				if e.Attr("id") == id {
					ns = e
				}
			}
		}
		if ns == nil {
			if !create {
				return nil, "status-" + id, "instance_attributes", nil
			}
			ns = &Element{Name: "node_state"}
			ns.Set("id", id)
			Section(root, "status").Append(ns)
		}
		ta := ns.Child("transient_attributes")
		if ta == nil {
			if !create {
				return nil, "status-" + id, "instance_attributes", nil
			}
			ta = ns.Ensure("transient_attributes", id)
		}
		return ta, "status-" + id, "instance_attributes", nil
	}
	return nil, "", "", fmt.Errorf("attribute scope %q: %w", ref.Scope, ErrNotFound)
}

// FindAttr returns the nvpair elements named ref.Name in ref's scope.
func FindAttr(root *Element, ref AttrRef) ([]*Element, error) {
	parent, _, setName, err := container(root, ref, false)
	if err != nil {
		return nil, err
	}
	if parent == nil {
		return nil, nil
	}
	var out []*Element
	for _, set := range parent.All(setName) {
		if ref.SetID != "" && set.Attr("id") != ref.SetID {
			continue
		}
		for _, p := range set.All("nvpair") {
			if p.Attr("name") == ref.Name {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// GetAttr returns the value of the first matching attribute, or
// ErrNotFound.
func GetAttr(root *Element, ref AttrRef) (string, *Element, error) {
	ps, err := FindAttr(root, ref)
	if err != nil {
		return "", nil, err
	}
	if len(ps) == 0 {
		return "", nil, fmt.Errorf("attribute %s: %w", ref.Name, ErrNotFound)
	}
	return ps[0].Attr("value"), ps[0], nil
}

// SetAttr sets the attribute, updating the first existing nvpair or adding
// one (and its set) with the ids Pacemaker's tools choose.
func SetAttr(root *Element, ref AttrRef, value string) (*Element, error) {
	ps, err := FindAttr(root, ref)
	if err != nil {
		return nil, err
	}
	if len(ps) > 0 {
		ps[0].Set("value", value)
		return ps[0], nil
	}
	parent, setID, setName, err := container(root, ref, true)
	if err != nil {
		return nil, err
	}
	if ref.SetID != "" {
		setID = ref.SetID
	}
	var set *Element
	for _, s := range parent.All(setName) {
		if s.Attr("id") == setID {
			set = s
		}
	}
	if set == nil {
		set = &Element{Name: setName}
		set.Set("id", setID)
		parent.Append(set)
	}
	p := &Element{Name: "nvpair"}
	p.Set("id", uniqueID(root, setID+"-"+sanitizeID(ref.Name)))
	p.Set("name", ref.Name)
	p.Set("value", value)
	set.Append(p)
	return p, nil
}

// DeleteAttr removes every matching nvpair and returns them.
func DeleteAttr(root *Element, ref AttrRef) ([]*Element, error) {
	ps, err := FindAttr(root, ref)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		p.Remove()
	}
	return ps, nil
}

// sanitizeID turns a name into something valid inside an XML id.
func sanitizeID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '.'
	}, s)
}

// uniqueID returns id, or id with a numeric suffix when it is taken.
func uniqueID(root *Element, id string) string {
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
