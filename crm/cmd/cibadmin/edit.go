package main

import (
	"fmt"
	"strconv"

	"hbgo/crm/status/cibdoc"
)

// sectionNames are the scopes cibadmin knows.
var sectionNames = map[string]bool{"configuration": true, "nodes": true, "resources": true, "constraints": true,
	"crm_config": true, "rsc_defaults": true, "op_defaults": true, "status": true, "acls": true,
	"fencing-topology": true, "tags": true, "alerts": true}

// scopeRoot is the element a scope names; an unknown or empty scope means
// the whole CIB, as with Pacemaker.
func scopeRoot(root *cibdoc.Element, scope string) *cibdoc.Element {
	if !sectionNames[scope] {
		return root
	}
	return cibdoc.Section(root, scope)
}

// changeOf says which counter an edit under e moves.
func changeOf(e *cibdoc.Element) cibdoc.Change {
	for x := e; x != nil; x = x.Parent {
		if x.Name == "status" {
			return cibdoc.StatusChange
		}
	}
	return cibdoc.ConfigChange
}

// Query returns the element a --query prints.
func Query(root *cibdoc.Element, scope string) *cibdoc.Element {
	if !sectionNames[scope] {
		return root
	}
	if scope == "status" {
		if st := root.Child("status"); st != nil {
			return st
		}
	}
	if scope == "configuration" {
		if c := root.Child("configuration"); c != nil {
			return c
		}
	}
	if c := root.Child("configuration"); c != nil {
		if s := c.Child(scope); s != nil {
			return s
		}
	}
	return &cibdoc.Element{Name: scope}
}

// find returns the first element under top (itself included) with the
// same name as like and, when like has one, the same id.
func find(top, like *cibdoc.Element) *cibdoc.Element {
	id, hasID := like.Lookup("id")
	var found *cibdoc.Element
	top.Walk(func(e *cibdoc.Element) bool {
		if found != nil {
			return false
		}
		if e.Name == like.Name && (!hasID || e.Attr("id") == id) {
			found = e
			return false
		}
		return true
	})
	return found
}

// Replace replaces the section, the whole CIB, or the object matching in.
// whole reports a whole-CIB replacement, which the caller stores as given.
func Replace(root *cibdoc.Element, scope string, in *cibdoc.Element) (cibdoc.Change, bool, error) {
	if in.Name == "cib" {
		if older(in, root) {
			return 0, false, errOld
		}
		return cibdoc.ConfigChange, true, nil
	}
	top := scopeRoot(root, scope)
	var target *cibdoc.Element
	if top.Name == in.Name {
		target = top
	} else {
		target = find(top, in)
	}
	if target == nil || target == root {
		return 0, false, errNoSuch
	}
	repl := in.Clone()
	parent := target.Parent
	for i, c := range parent.Children {
		if c == target {
			repl.Parent = parent
			parent.Children[i] = repl
			target.Parent = nil
		}
	}
	return changeOf(parent), false, nil
}

// older reports whether a is older than b by (admin_epoch, epoch,
// num_updates).
func older(a, b *cibdoc.Element) bool {
	for _, n := range []string{"admin_epoch", "epoch", "num_updates"} {
		x, y := atoi(a, n), atoi(b, n)
		if x != y {
			return x < y
		}
	}
	return false
}

// Modify merges in into the matching object: attributes are set, and
// children are merged into matching children or appended.
func Modify(root *cibdoc.Element, scope string, in *cibdoc.Element) (cibdoc.Change, error) {
	top := scopeRoot(root, scope)
	target := find(top, in)
	if target == nil {
		return 0, errNoSuch
	}
	merge(target, in)
	return changeOf(target), nil
}

func merge(dst, src *cibdoc.Element) {
	for _, a := range src.Attrs {
		dst.Set(a.Name.Local, incremented(dst.Attr(a.Name.Local), a.Value))
	}
	for _, c := range src.Children {
		var match *cibdoc.Element
		id, hasID := c.Lookup("id")
		for _, d := range dst.Children {
			if d.Name == c.Name && (!hasID || d.Attr("id") == id) {
				match = d
				break
			}
		}
		if match == nil {
			dst.Append(c.Clone())
			continue
		}
		merge(match, c)
	}
}

// incremented expands Pacemaker's "name++" / "name+=N" value syntax used
// to bump counters in --modify; other values are taken as given.
func incremented(old, v string) string {
	if len(v) > 2 && v[len(v)-2:] == "++" {
		n, _ := strconv.Atoi(old)
		return strconv.Itoa(n + 1)
	}
	return v
}

// Create adds in under the scope's section; an object with the same id
// anywhere in the section is a conflict.
func Create(root *cibdoc.Element, scope string, in *cibdoc.Element) (cibdoc.Change, error) {
	if !sectionNames[scope] {
		return 0, errNoSuch
	}
	top := cibdoc.Section(root, scope)
	if id, ok := in.Lookup("id"); ok && top.FindID(id) != nil {
		return 0, fmt.Errorf("%w", errExists)
	}
	if in.Name == top.Name {
		merge(top, in)
		return changeOf(top), nil
	}
	top.Append(in.Clone())
	return changeOf(top), nil
}

// Delete removes the matching object; deleting something absent succeeds
// without a change, as with Pacemaker.
func Delete(root *cibdoc.Element, scope string, in *cibdoc.Element) (cibdoc.Change, error) {
	top := scopeRoot(root, scope)
	target := find(top, in)
	if target == nil || target == root {
		return cibdoc.ConfigChange, nil
	}
	ch := changeOf(target)
	target.Remove()
	return ch, nil
}

// Erase returns an empty CIB that supersedes root: admin_epoch goes up so
// no copy of the old configuration can win over it.
func Erase(root *cibdoc.Element) *cibdoc.Element {
	e := &cibdoc.Element{Name: "cib"}
	e.Set("crm_feature_set", "3.16.1")
	if v, ok := root.Lookup("validate-with"); ok {
		e.Set("validate-with", v)
	}
	e.Set("epoch", strconv.Itoa(atoi(root, "epoch")))
	e.Set("num_updates", strconv.Itoa(atoi(root, "num_updates")+1))
	e.Set("admin_epoch", strconv.Itoa(atoi(root, "admin_epoch")+1))
	conf := e.Ensure("configuration", "")
	for _, s := range []string{"crm_config", "nodes", "resources", "constraints"} {
		conf.Ensure(s, "")
	}
	e.Ensure("status", "")
	return e
}
