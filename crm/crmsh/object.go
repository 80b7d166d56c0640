package crmsh

import (
	"hbgo/crm/status/cibdoc"
)

// Kind is the kind of a configuration object, named as its crm command.
type Kind string

// Object kinds, in the order `crm configure show` prints them.
const (
	KindNode        Kind = "node"
	KindPrimitive   Kind = "primitive"
	KindGroup       Kind = "group"
	KindClone       Kind = "clone"
	KindMS          Kind = "ms"
	KindLocation    Kind = "location"
	KindColocation  Kind = "colocation"
	KindOrder       Kind = "order"
	KindProperty    Kind = "property"
	KindRscDefaults Kind = "rsc_defaults"
	KindOpDefaults  Kind = "op_defaults"
	// KindXML is a raw XML element the language has no words for.
	KindXML Kind = "xml"
)

// showOrder ranks kinds for Show; raw XML sorts with the section it
// belongs to.
var showOrder = map[Kind]int{
	KindNode: 0, KindPrimitive: 1, KindGroup: 2, KindClone: 3, KindMS: 4,
	KindLocation: 5, KindColocation: 6, KindOrder: 7,
	KindProperty: 8, KindRscDefaults: 9, KindOpDefaults: 10,
}

// Object is one configuration object: a node, a resource, a constraint or
// an attribute set. Elem is its XML; a group, clone or ms holds no child
// resources in Elem, Members names them instead, so that each resource is
// an object of its own as in the crm language.
type Object struct {
	Kind    Kind
	ID      string
	Members []string
	Elem    *cibdoc.Element
	// Line is where the object was written (0 when it came from a CIB).
	Line int
	// memberAt, for a container read from XML, says where each member
	// stood among Elem's children, so it goes back to the same place.
	memberAt []int
}

// section is the configuration section an element lives in, and the kind
// its element name stands for.
func sectionOf(name string) (section string, kind Kind) {
	switch name {
	case "node":
		return "nodes", KindNode
	case "primitive":
		return "resources", KindPrimitive
	case "group":
		return "resources", KindGroup
	case "clone":
		return "resources", KindClone
	case "master":
		return "resources", KindMS
	case "template", "bundle":
		return "resources", KindXML
	case "rsc_location":
		return "constraints", KindLocation
	case "rsc_colocation":
		return "constraints", KindColocation
	case "rsc_order":
		return "constraints", KindOrder
	case "rsc_ticket":
		return "constraints", KindXML
	case "cluster_property_set":
		return "crm_config", KindProperty
	}
	return "", ""
}

// isResource reports whether an element name is a resource.
func isResource(name string) bool {
	switch name {
	case "primitive", "group", "clone", "master", "bundle", "template":
		return true
	}
	return false
}

// section returns the configuration section an object goes in.
func (o *Object) section() string {
	switch o.Kind {
	case KindRscDefaults:
		return "rsc_defaults"
	case KindOpDefaults:
		return "op_defaults"
	}
	s, _ := sectionOf(o.Elem.Name)
	return s
}

// isResource reports whether the object is a resource.
func (o *Object) isResource() bool { return isResource(o.Elem.Name) }

// Objects decomposes the configuration of a CIB into objects, in document
// order: nodes, resources (containers before their members), constraints,
// properties, rsc_defaults and op_defaults. Elements the language does not
// cover (acls, tags, alerts, fencing-topology) are left out.
func Objects(root *cibdoc.Element) []*Object {
	conf := root.Child("configuration")
	if conf == nil {
		return nil
	}
	var out []*Object
	add := func(kind Kind, e *cibdoc.Element) {
		if kind == "" {
			kind = KindXML
		}
		out = append(out, &Object{Kind: kind, ID: e.Attr("id"), Elem: e.Clone()})
	}
	if s := conf.Child("nodes"); s != nil {
		for _, e := range s.Children {
			add(kindOf(e.Name), e)
		}
	}
	if s := conf.Child("resources"); s != nil {
		for _, e := range s.Children {
			out = append(out, splitResource(e)...)
		}
	}
	if s := conf.Child("constraints"); s != nil {
		for _, e := range s.Children {
			add(kindOf(e.Name), e)
		}
	}
	if s := conf.Child("crm_config"); s != nil {
		for _, e := range s.Children {
			add(kindOf(e.Name), e)
		}
	}
	for _, sec := range []struct {
		name string
		kind Kind
	}{{"rsc_defaults", KindRscDefaults}, {"op_defaults", KindOpDefaults}} {
		if s := conf.Child(sec.name); s != nil {
			for _, e := range s.Children {
				if e.Name == "meta_attributes" {
					out = append(out, &Object{Kind: sec.kind, ID: e.Attr("id"), Elem: e.Clone()})
				} else {
					// keep odd content, wrapped so it goes back where it was
					w := &cibdoc.Element{Name: sec.name}
					w.Append(e.Clone())
					out = append(out, &Object{Kind: KindXML, ID: e.Attr("id"), Elem: w})
				}
			}
		}
	}
	return out
}

func kindOf(name string) Kind {
	_, k := sectionOf(name)
	if k == "" {
		return KindXML
	}
	return k
}

// splitResource turns a resource element into objects: a group, clone or
// ms becomes its shell (without member resources) followed by its members.
func splitResource(e *cibdoc.Element) []*Object {
	_, kind := sectionOf(e.Name)
	if kind == "" || kind == KindXML || kind == KindPrimitive {
		return []*Object{{Kind: kindOf(e.Name), ID: e.Attr("id"), Elem: e.Clone()}}
	}
	shell := &cibdoc.Element{Name: e.Name, Attrs: e.Clone().Attrs}
	o := &Object{Kind: kind, ID: e.Attr("id"), Elem: shell}
	out := []*Object{o}
	for _, c := range e.Children {
		if isResource(c.Name) {
			o.Members = append(o.Members, c.Attr("id"))
			o.memberAt = append(o.memberAt, len(shell.Children))
			out = append(out, splitResource(c)...)
			continue
		}
		shell.Append(c.Clone())
	}
	return out
}
