package crmsh

import (
	"sort"
	"strings"

	"hbgo/crm/status/cibdoc"
)

// Show renders objects as `crm configure show` prints them: nodes,
// primitives, groups, clones, ms, constraints, then the attribute sets,
// one statement per object with continuation lines indented by a tab.
// Every statement parses back to the object's XML; an object the language
// cannot express exactly is shown as an xml statement.
func Show(objs []*Object) string {
	var b strings.Builder
	for _, t := range ShowEach(objs) {
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

// ShowEach is Show as one string per statement, in show order.
func ShowEach(objs []*Object) []string {
	items := showItems(objs)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.text
	}
	return out
}

// ShowObject returns the statement Show prints for the object with the
// given id; ok is false when no shown object has it (members of a
// container shown as xml are inside the container's statement).
func ShowObject(objs []*Object, id string) (text string, ok bool) {
	for _, it := range showItems(objs) {
		if it.obj.ID == id {
			return it.text, true
		}
	}
	return "", false
}

type showItem struct {
	obj  *Object
	rank int
	text string
}

func showItems(objs []*Object) []showItem {
	byID := map[string]*Object{}
	for _, o := range objs {
		if o.isResource() {
			byID[o.ID] = o
		}
	}
	// members of a container shown as xml are inside its element
	hidden := map[*Object]bool{}
	var hide func(o *Object)
	hide = func(o *Object) {
		for _, m := range o.Members {
			if mo := byID[m]; mo != nil && !hidden[mo] {
				hidden[mo] = true
				hide(mo)
			}
		}
	}
	texts := make([]string, len(objs))
	for i, o := range objs {
		t, ok := Render(o)
		if !ok {
			t = "xml " + compact(assemble(o, byID, map[string]bool{}))
			hide(o)
		}
		texts[i] = t
	}
	var items []showItem
	for i, o := range objs {
		if !hidden[o] {
			items = append(items, showItem{o, rank(o), texts[i]})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].rank < items[j].rank })
	return items
}

// rank orders kinds for Show; raw XML goes with its section.
func rank(o *Object) int {
	if r, ok := showOrder[o.Kind]; ok {
		return 2 * r
	}
	switch sec := o.section(); {
	case o.Elem.Name == "rsc_defaults", o.Elem.Name == "op_defaults":
		return 2*showOrder[KindOpDefaults] + 1
	case sec == "nodes":
		return 2*showOrder[KindNode] + 1
	case sec == "resources":
		return 2*showOrder[KindMS] + 1
	case sec == "constraints":
		return 2*showOrder[KindOrder] + 1
	default:
		return 2*showOrder[KindProperty] + 1
	}
}

// assemble returns the full element of an object, with member resources
// put back inside containers.
func assemble(o *Object, byID map[string]*Object, seen map[string]bool) *cibdoc.Element {
	e := o.Elem.Clone()
	if o.Kind == KindRscDefaults || o.Kind == KindOpDefaults {
		w := &cibdoc.Element{Name: string(o.Kind)}
		w.Append(e)
		return w
	}
	var ms []*cibdoc.Element
	for _, m := range o.Members {
		if mo := byID[m]; mo != nil && !seen[m] {
			seen[m] = true
			ms = append(ms, assemble(mo, byID, seen))
		}
	}
	if len(o.memberAt) != len(ms) {
		for _, m := range ms {
			e.Append(m)
		}
		return e
	}
	// back where they were, last first so earlier places do not shift
	for i := len(ms) - 1; i >= 0; i-- {
		insertAt(e, ms[i], o.memberAt[i])
	}
	return e
}

// Render returns the crm statement for one object and whether it is exact:
// false means parsing the text would not give back the object's XML.
func Render(o *Object) (string, bool) {
	var lines []string
	switch o.Kind {
	case KindNode:
		lines = renderNode(o.Elem)
	case KindPrimitive:
		lines = renderPrimitive(o.Elem)
	case KindGroup, KindClone, KindMS:
		lines = renderContainer(o)
	case KindLocation:
		lines = renderLocation(o.Elem)
	case KindColocation:
		lines = renderColocation(o.Elem)
	case KindOrder:
		lines = renderOrder(o.Elem)
	case KindProperty, KindRscDefaults, KindOpDefaults:
		lines = renderDefaults(o.Kind, o.Elem)
	}
	if lines == nil {
		return "", false
	}
	text := strings.Join(lines, " \\\n\t")
	back, err := Parse(text)
	if err != nil || len(back) != 1 || !Same(back[0], o) {
		return text, false
	}
	return text, true
}

// Same reports whether two objects stand for the same XML, ignoring the
// ids of name/value pairs and rule expressions (which the language
// generates) and attribute order.
func Same(a, b *Object) bool {
	if a.Kind != b.Kind || strings.Join(a.Members, " ") != strings.Join(b.Members, " ") {
		return false
	}
	return Canonical(a.Elem) == Canonical(b.Elem)
}

// Canonical renders an element with sorted attributes and without the ids
// the language generates, for comparing.
func Canonical(e *cibdoc.Element) string {
	var b strings.Builder
	canon(&b, e)
	return b.String()
}

func canon(b *strings.Builder, e *cibdoc.Element) {
	b.WriteString("<" + e.Name)
	var attrs []string
	for _, a := range e.Attrs {
		if a.Name.Local == "id" {
			switch e.Name {
			case "nvpair", "expression", "date_expression", "date_spec", "duration", "resource_set":
				continue
			}
		}
		attrs = append(attrs, a.Name.Local+"=\""+cibdoc.Escape(a.Value)+"\"")
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		b.WriteString(" " + a)
	}
	b.WriteString(">")
	// a container's own sets and its members may come in either order
	container := e.Name == "group" || e.Name == "clone" || e.Name == "master"
	for _, c := range e.Children {
		if !container || !isResource(c.Name) {
			canon(b, c)
		}
	}
	for _, c := range e.Children {
		if container && isResource(c.Name) {
			canon(b, c)
		}
	}
	b.WriteString("</" + e.Name + ">")
}

// compact renders an element on one line.
func compact(e *cibdoc.Element) string {
	var b strings.Builder
	var w func(e *cibdoc.Element)
	w = func(e *cibdoc.Element) {
		b.WriteString("<" + e.Name)
		for _, a := range e.Attrs {
			b.WriteString(" " + a.Name.Local + "=\"" + cibdoc.Escape(a.Value) + "\"")
		}
		if len(e.Children) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for _, c := range e.Children {
			w(c)
		}
		b.WriteString("</" + e.Name + ">")
	}
	w(e)
	return b.String()
}

// peek returns the id take would hand out, without taking it.
func (s ids) peek(id string) string {
	c := ids{}
	for k := range s {
		c[k] = true
	}
	return c.take(id)
}

// nvs renders a set as "WORD [$id=ID] name=value ...", claiming ids the
// way the parser will.
func nvs(word string, set *cibdoc.Element, defID string, used ids) string {
	parts := []string{word}
	if id := set.Attr("id"); id != used.peek(defID) || len(set.Children) == 0 {
		parts = append(parts, "$id="+id)
		used.take(id)
	} else {
		used.take(defID)
	}
	for _, p := range set.All("nvpair") {
		parts = append(parts, quoteNV(p.Attr("name"), p.Attr("value")))
		used.take(set.Attr("id") + "-" + sanitize(p.Attr("name")))
	}
	return strings.Join(parts, " ")
}

func agentText(e *cibdoc.Element) string {
	if t := e.Attr("template"); t != "" {
		return "@" + t
	}
	if e.Attr("class") == "ocf" {
		return "ocf:" + e.Attr("provider") + ":" + e.Attr("type")
	}
	return e.Attr("class") + ":" + e.Attr("type")
}

func renderPrimitive(e *cibdoc.Element) []string {
	id := e.Attr("id")
	head := "primitive " + id + " " + agentText(e)
	if d, ok := e.Lookup("description"); ok {
		head += " " + quoteNV("description", d)
	}
	lines := []string{head}
	used := ids{id: true}
	for _, c := range e.Children {
		switch c.Name {
		case "instance_attributes":
			lines = append(lines, nvs("params", c, id+"-instance_attributes", used))
		case "meta_attributes":
			lines = append(lines, nvs("meta", c, id+"-meta_attributes", used))
		case "utilization":
			lines = append(lines, nvs("utilization", c, id+"-utilization", used))
		case "operations":
			if oid, ok := c.Lookup("id"); ok {
				lines = append(lines, "operations $id="+oid)
				used.take(oid)
			}
			for _, op := range c.Children {
				lines = append(lines, renderOp(id, op, used))
			}
		default:
			return nil
		}
	}
	return lines
}

func renderOp(rsc string, op *cibdoc.Element, used ids) string {
	parts := []string{"op", Quote(op.Attr("name"))}
	for _, a := range op.Attrs {
		switch a.Name.Local {
		case "id", "name":
			continue
		}
		parts = append(parts, quoteNV(a.Name.Local, a.Value))
	}
	oid := op.Attr("id")
	if oid != used.peek(opID(rsc, op)) {
		parts = append(parts, quoteNV("id", oid))
	}
	used.take(oid)
	for _, c := range op.Children {
		switch c.Name {
		case "instance_attributes":
			ps := c.All("nvpair")
			def := used.peek(oid + "-instance_attributes")
			inline := c.Attr("id") == def && len(ps) == len(c.Children) && len(ps) > 0
			for _, p := range ps {
				inline = inline && !opAttrs[p.Attr("name")] && !strings.Contains(p.Attr("name"), "=")
			}
			if inline {
				// written among the op's attributes, as admins do
				used.take(def)
				for _, p := range ps {
					parts = append(parts, quoteNV(p.Attr("name"), p.Attr("value")))
					used.take(def + "-" + sanitize(p.Attr("name")))
				}
				continue
			}
			parts = append(parts, nvs("op_params", c, oid+"-instance_attributes", used))
		case "meta_attributes":
			parts = append(parts, nvs("op_meta", c, oid+"-meta_attributes", used))
		default:
			parts = append(parts, "<"+c.Name+">") // not expressible: fails the check
		}
	}
	return strings.Join(parts, " ")
}

func renderNode(e *cibdoc.Element) []string {
	id, uname := e.Attr("id"), e.Attr("uname")
	name := uname
	if t, ok := e.Lookup("type"); ok {
		name += ":" + t
	}
	head := "node " + Quote(name)
	if id != uname {
		head = "node " + Quote(id+":") + " " + Quote(name)
	}
	if d, ok := e.Lookup("description"); ok {
		head += " " + quoteNV("description", d)
	}
	lines := []string{head}
	used := ids{id: true}
	for _, c := range e.Children {
		switch c.Name {
		case "instance_attributes":
			lines = append(lines, nvs("attributes", c, "nodes-"+id, used))
		case "utilization":
			lines = append(lines, nvs("utilization", c, "nodes-"+id+"-utilization", used))
		default:
			return nil
		}
	}
	return lines
}

func renderContainer(o *Object) []string {
	e := o.Elem
	word := map[Kind]string{KindGroup: "group", KindClone: "clone", KindMS: "ms"}[o.Kind]
	head := word + " " + o.ID + " " + strings.Join(o.Members, " ")
	if d, ok := e.Lookup("description"); ok {
		head += " " + quoteNV("description", d)
	}
	lines := []string{head}
	used := ids{o.ID: true}
	for _, c := range e.Children {
		switch c.Name {
		case "instance_attributes":
			lines = append(lines, nvs("params", c, o.ID+"-instance_attributes", used))
		case "meta_attributes":
			lines = append(lines, nvs("meta", c, o.ID+"-meta_attributes", used))
		default:
			return nil
		}
	}
	return lines
}

func renderLocation(e *cibdoc.Element) []string {
	id := e.Attr("id")
	head := "location " + id + " "
	if pat, ok := e.Lookup("rsc-pattern"); ok {
		head += "/" + pat + "/"
	} else {
		head += e.Attr("rsc")
	}
	for _, a := range []string{"role", "resource-discovery"} {
		if v, ok := e.Lookup(a); ok {
			head += " " + quoteNV(a, v)
		}
	}
	if node, ok := e.Lookup("node"); ok {
		return []string{head + " " + showScore(e.Attr("score")) + ": " + Quote(node)}
	}
	lines := []string{head}
	used := ids{id: true}
	for _, r := range e.Children {
		if r.Name != "rule" {
			return nil
		}
		lines = append(lines, renderRule(r, id+"-rule", used))
	}
	return lines
}

func renderRule(r *cibdoc.Element, defID string, used ids) string {
	parts := []string{"rule"}
	rid := r.Attr("id")
	if rid != used.peek(defID) {
		parts = append(parts, "$id="+rid)
	}
	used.take(rid)
	if v, ok := r.Lookup("role"); ok {
		parts = append(parts, "$role="+Quote(v))
	}
	bop := r.Attr("boolean-op")
	if _, ok := r.Lookup("boolean-op"); ok && len(r.Children) < 2 {
		parts = append(parts, "boolean-op="+Quote(bop))
	}
	if s, ok := r.Lookup("score"); ok {
		parts = append(parts, showScore(s)+":")
	} else {
		parts = append(parts, r.Attr("score-attribute")+":")
	}
	if bop == "" {
		bop = "and"
	}
	for i, x := range r.Children {
		if i > 0 {
			parts = append(parts, bop)
		}
		parts = append(parts, renderExpr(x, rid+"-expression", used))
	}
	return strings.Join(parts, " ")
}

func renderExpr(x *cibdoc.Element, defID string, used ids) string {
	used.take(defID)
	switch x.Name {
	case "expression":
		op := x.Attr("operation")
		if op == "defined" || op == "not_defined" {
			return op + " " + Quote(x.Attr("attribute"))
		}
		if t := x.Attr("type"); t != "" {
			op = t + ":" + op
		}
		return Quote(x.Attr("attribute")) + " " + op + " " + Quote(x.Attr("value"))
	case "date_expression":
		switch x.Attr("operation") {
		case "gt":
			return "date gt " + Quote(x.Attr("start"))
		case "lt":
			return "date lt " + Quote(x.Attr("end"))
		case "in_range":
			s := "date in_range"
			for _, a := range []string{"start", "end"} {
				if v, ok := x.Lookup(a); ok {
					s += " " + quoteNV(a, v)
				}
			}
			for _, d := range x.All("duration") {
				for _, a := range d.Attrs {
					if a.Name.Local != "id" {
						s += " " + quoteNV(a.Name.Local, a.Value)
					}
				}
			}
			return s
		case "date_spec":
			s := "date date_spec"
			for _, d := range x.All("date_spec") {
				for _, a := range d.Attrs {
					if a.Name.Local != "id" {
						s += " " + quoteNV(a.Name.Local, a.Value)
					}
				}
			}
			return s
		}
	}
	return "<" + x.Name + ">" // not expressible: fails the check
}

func ref(rsc, suffix string) string {
	if suffix == "" {
		return rsc
	}
	return rsc + ":" + suffix
}

func renderColocation(e *cibdoc.Element) []string {
	s, ok := e.Lookup("score")
	if !ok {
		return nil
	}
	line := "colocation " + e.Attr("id") + " " + showScore(s) + ": "
	if len(e.Children) == 0 {
		line += ref(e.Attr("rsc"), e.Attr("rsc-role")) + " " + ref(e.Attr("with-rsc"), e.Attr("with-rsc-role"))
	} else {
		sets := renderSets(e, "role")
		if sets == "" {
			return nil
		}
		line += sets
	}
	for _, a := range []string{"node-attribute", "influence"} {
		if v, ok := e.Lookup(a); ok {
			line += " " + quoteNV(a, v)
		}
	}
	return []string{line}
}

// renderSets writes the resource sets of a constraint in the bracket
// syntax, "" when a child is not a set.
func renderSets(e *cibdoc.Element, qual string) string {
	var parts []string
	for _, set := range e.Children {
		if set.Name != "resource_set" {
			return ""
		}
		var refs []string
		for _, r := range set.Children {
			refs = append(refs, ref(r.Attr("id"), set.Attr(qual)))
		}
		seq, hasSeq := set.Lookup("sequential")
		req, hasReq := set.Lookup("require-all")
		switch {
		case hasSeq && hasReq && req == "false":
			if seq != "false" {
				refs = append(refs, quoteNV("sequential", seq))
			}
			parts = append(parts, "[ "+strings.Join(refs, " ")+" ]")
		case hasSeq:
			if seq != "false" {
				refs = append(refs, quoteNV("sequential", seq))
			}
			if hasReq {
				refs = append(refs, quoteNV("require-all", req))
			}
			parts = append(parts, "( "+strings.Join(refs, " ")+" )")
		default:
			parts = append(parts, strings.Join(refs, " "))
		}
	}
	return strings.Join(parts, " ")
}

func renderOrder(e *cibdoc.Element) []string {
	kind := e.Attr("kind")
	if s, ok := e.Lookup("score"); ok && kind == "" {
		kind = showScore(s)
	}
	if kind != "" {
		kind += ": "
	}
	line := "order " + e.Attr("id") + " " + kind
	if len(e.Children) == 0 {
		line += ref(e.Attr("first"), e.Attr("first-action")) + " " + ref(e.Attr("then"), e.Attr("then-action"))
	} else {
		sets := renderSets(e, "action")
		if sets == "" {
			return nil
		}
		line += sets
	}
	for _, a := range []string{"symmetrical", "require-all"} {
		if v, ok := e.Lookup(a); ok {
			line += " " + quoteNV(a, v)
		}
	}
	return []string{line}
}

func renderDefaults(kind Kind, set *cibdoc.Element) []string {
	lines := []string{string(kind) + " " + set.Attr("id") + ":"}
	for _, p := range set.Children {
		if p.Name != "nvpair" {
			return nil
		}
		lines = append(lines, quoteNV(p.Attr("name"), p.Attr("value")))
	}
	return lines
}
