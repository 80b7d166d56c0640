package crmsh

import (
	"errors"
	"fmt"
	"sort"

	"hbgo/crm/status/cibdoc"
)

// Sentinel errors of the editing functions.
var (
	// ErrExists means an object with the id is already configured.
	ErrExists = errors.New("object already exists")
	// ErrNoObject means an id names no configured object.
	ErrNoObject = errors.New("object does not exist")
	// ErrInvalid means the objects do not make a consistent
	// configuration (a member in two groups, a clone of two resources...).
	ErrInvalid = errors.New("invalid configuration")
)

// conf returns the configuration section element, creating it.
func conf(root *cibdoc.Element) *cibdoc.Element { return cibdoc.Section(root, "configuration") }

// findConfig finds an element by id in the configuration section.
func findConfig(root *cibdoc.Element, id string) *cibdoc.Element {
	c := root.Child("configuration")
	if c == nil || id == "" {
		return nil
	}
	var found *cibdoc.Element
	c.Walk(func(x *cibdoc.Element) bool {
		if found != nil {
			return false
		}
		// a resource_ref's id names a resource, it is not one
		if x.Name != "resource_ref" && x.Attr("id") == id {
			found = x
			return false
		}
		return true
	})
	return found
}

// Add puts newly written objects into root's configuration, as crm does
// for one-shot commands and scripts: new ids must be free; a group, clone
// or ms takes its members out of the top level; property, rsc_defaults and
// op_defaults update the existing set. Objects are applied in order and
// the first error stops (root may then hold the ones before it).
func Add(root *cibdoc.Element, objs []*Object) error {
	for _, o := range objs {
		if err := add(root, o); err != nil {
			if o.Line > 0 {
				return fmt.Errorf("line %d: %w", o.Line, err)
			}
			return err
		}
	}
	return nil
}

func add(root *cibdoc.Element, o *Object) error {
	switch {
	case o.Kind == KindProperty:
		return mergeSet(root, cibdoc.Section(root, "crm_config"), o, "cib-bootstrap-options")
	case o.Kind == KindRscDefaults:
		return mergeSet(root, cibdoc.Section(root, "rsc_defaults"), o, "")
	case o.Kind == KindOpDefaults:
		return mergeSet(root, cibdoc.Section(root, "op_defaults"), o, "")
	case o.Elem.Name == "rsc_defaults" || o.Elem.Name == "op_defaults":
		set := o.Elem.Children[0]
		if err := freeIDs(root, set); err != nil {
			return err
		}
		cibdoc.Section(root, o.Elem.Name).Append(set.Clone())
		return nil
	}
	if findConfig(root, o.ID) != nil {
		return fmt.Errorf("%s %s: %w", o.Kind, o.ID, ErrExists)
	}
	if o.Kind == KindNode {
		for _, n := range cibdoc.Section(root, "nodes").All("node") {
			if n.Attr("uname") == o.Elem.Attr("uname") {
				return fmt.Errorf("node %s: %w", n.Attr("uname"), ErrExists)
			}
		}
	}
	if err := freeIDs(root, o.Elem); err != nil {
		return err
	}
	sec := cibdoc.Section(root, o.section())
	if len(o.Members) == 0 {
		if err := checkRefs(root, o.Elem, nil); err != nil {
			return err
		}
		sec.Append(o.Elem.Clone())
		return nil
	}
	// a container takes its members from the top level, and goes where
	// the first of them was
	e := o.Elem.Clone()
	var members []*cibdoc.Element
	for _, m := range o.Members {
		me := findConfig(root, m)
		switch {
		case me == nil || !isResource(me.Name):
			return fmt.Errorf("%s %s: member %s: %w", o.Kind, o.ID, m, ErrNoObject)
		case me.Parent != sec:
			return fmt.Errorf("%s %s: %s is already in %s: %w", o.Kind, o.ID, m, me.Parent.Attr("id"), ErrInvalid)
		}
		if err := memberFits(o.Kind, me.Name); err != nil {
			return fmt.Errorf("%s %s: %w", o.Kind, o.ID, err)
		}
		members = append(members, me)
	}
	pos := indexOf(sec, members[0])
	for _, me := range members {
		me.Remove()
		e.Append(me)
	}
	insertAt(sec, e, pos)
	return nil
}

// memberFits checks what a container may hold: a group primitives, a
// clone or ms one primitive or group.
func memberFits(kind Kind, member string) error {
	switch {
	case kind == KindGroup && member != "primitive":
		return fmt.Errorf("a group holds primitives, not a %s: %w", member, ErrInvalid)
	case (kind == KindClone || kind == KindMS) && member != "primitive" && member != "group":
		return fmt.Errorf("a %s wraps a primitive or group, not a %s: %w", kind, member, ErrInvalid)
	}
	return nil
}

func indexOf(parent, c *cibdoc.Element) int {
	for i, x := range parent.Children {
		if x == c {
			return i
		}
	}
	return len(parent.Children)
}

func insertAt(parent, c *cibdoc.Element, i int) {
	if i > len(parent.Children) {
		i = len(parent.Children)
	}
	c.Parent = parent
	parent.Children = append(parent.Children, nil)
	copy(parent.Children[i+1:], parent.Children[i:])
	parent.Children[i] = c
}

// freeIDs fails when an id inside e is already used in the configuration.
func freeIDs(root *cibdoc.Element, e *cibdoc.Element) error {
	var err error
	e.Walk(func(x *cibdoc.Element) bool {
		if id := x.Attr("id"); id != "" && err == nil && x.Name != "resource_ref" && findConfig(root, id) != nil {
			err = fmt.Errorf("id %s is already in use: %w", id, ErrExists)
		}
		return err == nil
	})
	return err
}

// refAttrs are the attributes of constraints that name resources.
var refAttrs = []string{"rsc", "with-rsc", "first", "then"}

// checkRefs fails when a constraint names a resource that neither root
// nor the extra set holds.
func checkRefs(root *cibdoc.Element, e *cibdoc.Element, extra map[string]bool) error {
	switch e.Name {
	case "rsc_location", "rsc_colocation", "rsc_order":
	default:
		return nil
	}
	for _, id := range namedResources(e) {
		if extra[id] {
			continue
		}
		if r := findConfig(root, id); r == nil || !isResource(r.Name) {
			return fmt.Errorf("%s %s: resource %s: %w", e.Name, e.Attr("id"), id, ErrNoObject)
		}
	}
	return nil
}

// namedResources lists the resource ids a constraint names, in its
// attributes and its resource sets.
func namedResources(e *cibdoc.Element) []string {
	var out []string
	for _, a := range refAttrs {
		if id, ok := e.Lookup(a); ok {
			out = append(out, id)
		}
	}
	e.Walk(func(x *cibdoc.Element) bool {
		if x.Name == "resource_ref" {
			out = append(out, x.Attr("id"))
		}
		return true
	})
	return out
}

// mergeSet updates the set o names (or the section's first set of that
// kind when o has no id) with o's pairs, creating the set when missing.
func mergeSet(root, parent *cibdoc.Element, o *Object, defID string) error {
	var set *cibdoc.Element
	want := o.ID
	if want == "" {
		want = defID
	}
	for _, s := range parent.All(o.Elem.Name) {
		if (want == "" && set == nil) || s.Attr("id") == want {
			set = s
		}
	}
	if set == nil {
		id := o.Elem.Attr("id")
		if findConfig(root, id) != nil {
			return fmt.Errorf("%s %s: id is already in use: %w", o.Kind, id, ErrExists)
		}
		set = &cibdoc.Element{Name: o.Elem.Name}
		set.Set("id", id)
		parent.Append(set)
	}
	for _, p := range o.Elem.All("nvpair") {
		name := p.Attr("name")
		done := false
		// without a set id an option is changed where it is already set,
		// in whichever set of the section, as crm_attribute does
		sets := []*cibdoc.Element{set}
		if o.ID == "" {
			sets = append(sets, parent.All(o.Elem.Name)...)
		}
		for _, q := range nvpairsOf(sets) {
			if q.Attr("name") == name {
				q.Set("value", p.Attr("value"))
				done = true
				break
			}
		}
		if done {
			continue
		}
		n := &cibdoc.Element{Name: "nvpair"}
		n.Set("id", uniqueID(root, set.Attr("id")+"-"+sanitize(name)))
		n.Set("name", name)
		n.Set("value", p.Attr("value"))
		set.Append(n)
	}
	return nil
}

func uniqueID(root *cibdoc.Element, id string) string {
	if root.FindID(id) == nil {
		return id
	}
	for i := 1; ; i++ {
		c := fmt.Sprintf("%s-%d", id, i)
		if root.FindID(c) == nil {
			return c
		}
	}
}

// Delete removes the configuration object with the given id and returns
// notes on what else went with it. A group, clone or ms is dissolved and
// its members stay; a group or clone left empty by removing its last
// member goes too; constraints naming a removed resource are removed.
func Delete(root *cibdoc.Element, id string) ([]string, error) {
	e := findConfig(root, id)
	if e == nil || e.Parent == nil {
		return nil, fmt.Errorf("%s: %w", id, ErrNoObject)
	}
	var notes []string
	switch {
	case isResource(e.Name):
		gone := []string{id}
		parent := e.Parent
		if e.Name == "group" || e.Name == "clone" || e.Name == "master" {
			pos := indexOf(parent, e)
			var members []*cibdoc.Element
			for _, c := range e.Children {
				if isResource(c.Name) {
					members = append(members, c)
				}
			}
			e.Remove()
			for i, m := range members {
				m.Remove()
				insertAt(parent, m, pos+i)
			}
		} else {
			e.Remove()
		}
		// containers left without a resource go too
		for p := parent; p != nil && isResource(p.Name); {
			has := false
			for _, c := range p.Children {
				has = has || isResource(c.Name)
			}
			if has {
				break
			}
			next := p.Parent
			notes = append(notes, fmt.Sprintf("%s %s is empty and was removed", p.Name, p.Attr("id")))
			gone = append(gone, p.Attr("id"))
			p.Remove()
			p = next
		}
		for _, g := range gone {
			for _, c := range constraintsNaming(root, g) {
				notes = append(notes, fmt.Sprintf("constraint %s referring to %s was removed", c.Attr("id"), g))
				c.Remove()
			}
		}
	case e.Parent.Name == "constraints", e.Parent.Name == "nodes", e.Parent.Name == "crm_config",
		e.Parent.Name == "rsc_defaults", e.Parent.Name == "op_defaults":
		e.Remove()
	default:
		return nil, fmt.Errorf("%s is part of %s, not an object: %w", id, e.Parent.Attr("id"), ErrNoObject)
	}
	return notes, nil
}

// constraintsNaming lists the constraints that refer to a resource id.
func constraintsNaming(root *cibdoc.Element, id string) []*cibdoc.Element {
	cs := root.Child("configuration")
	if cs == nil || cs.Child("constraints") == nil {
		return nil
	}
	var out []*cibdoc.Element
	for _, c := range cs.Child("constraints").Children {
		hit := false
		for _, a := range refAttrs {
			hit = hit || c.Attr(a) == id
		}
		c.Walk(func(x *cibdoc.Element) bool {
			hit = hit || (x.Name == "resource_ref" && x.Attr("id") == id)
			return !hit
		})
		if hit {
			out = append(out, c)
		}
	}
	return out
}

// Replace makes root's configuration exactly the given objects, as after
// editing the whole `crm configure show` text. Objects that did not change
// keep their XML as it was (ids included); resources and constraints keep
// their old document order, new ones follow. Sections the language does
// not cover (acls, tags, ...) are untouched.
func Replace(root *cibdoc.Element, objs []*Object) error {
	objs = mergeDefaults(objs)
	if err := consistent(objs); err != nil {
		return err
	}
	old := map[string]*Object{}
	oldPos := map[string]int{}
	for i, o := range Objects(root) {
		old[string(o.Kind)+"\x00"+o.Elem.Name+"\x00"+o.ID] = o
		oldPos[o.Elem.Name+"\x00"+o.ID] = i
	}
	byID := map[string]*Object{}
	member := map[string]bool{}
	objs = append([]*Object(nil), objs...)
	for i, o := range objs {
		if prev := old[string(o.Kind)+"\x00"+o.Elem.Name+"\x00"+o.ID]; prev != nil && Same(prev, o) {
			o = &Object{Kind: o.Kind, ID: o.ID, Members: o.Members, Elem: prev.Elem, Line: o.Line, memberAt: prev.memberAt}
			objs[i] = o
		}
		if o.isResource() {
			byID[o.ID] = o
		}
		for _, m := range o.Members {
			member[m] = true
		}
	}
	c := conf(root)
	for _, name := range []string{"nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults"} {
		if s := c.Child(name); s != nil {
			s.Children = nil
		}
	}
	pos := func(o *Object) int {
		if p, ok := oldPos[o.Elem.Name+"\x00"+o.ID]; ok {
			return p
		}
		return 1 << 30
	}
	// resources and constraints keep their old order; the rest go as written
	var sorted, rs, cs []*Object
	for _, o := range objs {
		switch o.section() {
		case "resources":
			rs = append(rs, o)
		case "constraints":
			cs = append(cs, o)
		default:
			sorted = append(sorted, o)
		}
	}
	for _, l := range [][]*Object{rs, cs} {
		sort.SliceStable(l, func(i, j int) bool { return pos(l[i]) < pos(l[j]) })
		sorted = append(sorted, l...)
	}
	for _, o := range sorted {
		if o.isResource() {
			if member[o.ID] {
				continue
			}
			cibdoc.Section(root, "resources").Append(assemble(byID[o.ID], byID, map[string]bool{}))
			continue
		}
		switch {
		case o.Kind == KindRscDefaults || o.Kind == KindOpDefaults:
			cibdoc.Section(root, string(o.Kind)).Append(o.Elem.Clone())
		case o.Elem.Name == "rsc_defaults" || o.Elem.Name == "op_defaults":
			cibdoc.Section(root, o.Elem.Name).Append(o.Elem.Children[0].Clone())
		default:
			cibdoc.Section(root, o.section()).Append(o.Elem.Clone())
		}
	}
	return nil
}

// consistent checks a whole configuration: unique ids, members that exist
// and belong to one container, constraints naming existing resources.
func consistent(objs []*Object) error {
	seen := map[string]bool{}
	rsc := map[string]*Object{}
	named := map[string]bool{} // every resource id, nested ones included
	for _, o := range objs {
		id := o.Elem.Attr("id")
		if o.Elem.Name == "rsc_defaults" || o.Elem.Name == "op_defaults" {
			id = o.ID
		}
		if seen[id] {
			return fmt.Errorf("line %d: id %s is used twice: %w", o.Line, id, ErrInvalid)
		}
		seen[id] = true
		if o.isResource() {
			rsc[o.ID] = o
			o.Elem.Walk(func(x *cibdoc.Element) bool {
				if isResource(x.Name) {
					named[x.Attr("id")] = true
				}
				return true
			})
		}
	}
	owner := map[string]string{}
	for _, o := range objs {
		for _, m := range o.Members {
			mo := rsc[m]
			if mo == nil {
				return fmt.Errorf("line %d: %s %s: member %s: %w", o.Line, o.Kind, o.ID, m, ErrNoObject)
			}
			if prev, ok := owner[m]; ok {
				return fmt.Errorf("line %d: %s is in both %s and %s: %w", o.Line, m, prev, o.ID, ErrInvalid)
			}
			owner[m] = o.ID
			if err := memberFits(o.Kind, mo.Elem.Name); err != nil {
				return fmt.Errorf("line %d: %s %s: %w", o.Line, o.Kind, o.ID, err)
			}
		}
	}
	for _, o := range objs {
		// a container inside itself, through any chain
		for at, n := o.ID, 0; ; n++ {
			up, ok := owner[at]
			if !ok {
				break
			}
			if up == o.ID || n > len(objs) {
				return fmt.Errorf("line %d: %s contains itself: %w", o.Line, o.ID, ErrInvalid)
			}
			at = up
		}
		if o.section() != "constraints" || o.Elem.Name == "rsc_location" && o.Elem.Attr("rsc-pattern") != "" {
			continue
		}
		for _, id := range namedResources(o.Elem) {
			if !named[id] {
				return fmt.Errorf("line %d: %s %s: resource %s: %w", o.Line, o.Kind, o.ID, id, ErrNoObject)
			}
		}
	}
	return nil
}

// isDefaults reports whether the object is a property, rsc_defaults or
// op_defaults set.
func (o *Object) isDefaults() bool {
	return o.Kind == KindProperty || o.Kind == KindRscDefaults || o.Kind == KindOpDefaults
}

// mergeDefaults gives every attribute set object its set id and folds
// objects naming the same set into the first, later values winning, as
// when the statements are applied one after the other.
func mergeDefaults(objs []*Object) []*Object {
	var out []*Object
	first := map[string]*Object{}
	for _, o := range objs {
		if !o.isDefaults() {
			out = append(out, o)
			continue
		}
		id := o.ID
		if id == "" {
			id = o.Elem.Attr("id")
		}
		key := string(o.Kind) + "\x00" + id
		prev, ok := first[key]
		if !ok {
			c := *o
			c.ID = id
			c.Elem = o.Elem.Clone()
			c.Elem.Set("id", id)
			first[key] = &c
			out = append(out, &c)
			continue
		}
		for _, p := range o.Elem.All("nvpair") {
			done := false
			for _, q := range prev.Elem.All("nvpair") {
				if q.Attr("name") == p.Attr("name") {
					q.Set("value", p.Attr("value"))
					done = true
				}
			}
			if !done {
				n := p.Clone()
				n.Set("id", id+"-"+sanitize(p.Attr("name")))
				prev.Elem.Append(n)
			}
		}
	}
	return out
}

// Update applies objects over root's configuration as `load update`
// does: an object whose id is configured replaces it in place, a new one
// is added, attribute sets merge with the set they name (or the default
// one), and everything else stays.
func Update(root *cibdoc.Element, objs []*Object) error {
	all := Objects(root)
	index := map[string]int{}
	for i, o := range all {
		index[o.ID] = i
	}
	for _, o := range objs {
		if o.isDefaults() && o.ID == "" {
			// a set without an id goes into the section's existing one
			for _, a := range all {
				if a.Kind == o.Kind && (o.Kind != KindProperty || a.ID == o.Elem.Attr("id")) {
					c := *o
					c.ID = a.ID
					o = &c
					break
				}
			}
		}
		i, ok := index[o.ID]
		switch {
		case ok && o.isDefaults() && all[i].Kind == o.Kind:
			all = append(all, o) // merged below
		case ok:
			all[i] = o
		default:
			index[o.ID] = len(all)
			all = append(all, o)
		}
	}
	return Replace(root, all)
}

// nvpairsOf lists the pairs of the sets, in order.
func nvpairsOf(sets []*cibdoc.Element) []*cibdoc.Element {
	var out []*cibdoc.Element
	for _, s := range sets {
		out = append(out, s.All("nvpair")...)
	}
	return out
}
