package cib

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"hbgo/crm/score"
)

// Sentinel errors returned (wrapped) by Parse.
var (
	// ErrNotCIB means the root element is not <cib>.
	ErrNotCIB = errors.New("root element is not <cib>")
	// ErrMissing means a required element or attribute is absent.
	ErrMissing = errors.New("required element or attribute missing")
	// ErrDuplicateID means two resources share an id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrBadValue means an attribute holds a value of the wrong form.
	ErrBadValue = errors.New("invalid value")
)

// ParseFile reads and parses the CIB stored in path.
func ParseFile(path string) (*CIB, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CIB: %w", err)
	}
	c, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a CIB document.
func Parse(r io.Reader) (*CIB, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, err
	}
	if root.name != "cib" {
		return nil, fmt.Errorf("line %d: <%s>: %w", root.line, root.name, ErrNotCIB)
	}
	p := &parser{ids: map[string]*element{}, ruleBudget: maxRuleElements}
	p.index(root)
	return p.cib(root)
}

type parser struct {
	ids   map[string]*element
	depth int
	// ruleBudget bounds how many rule elements id-ref expansion may
	// produce, so shared or cyclic references cannot blow up.
	ruleBudget int
}

// maxRuleElements is the total number of rules one document may expand to.
const maxRuleElements = 100000

// index records every element with an id so id-ref can be resolved.
func (p *parser) index(e *element) {
	if id, ok := e.lookup("id"); ok && id != "" {
		if _, seen := p.ids[id]; !seen {
			p.ids[id] = e
		}
	}
	for _, c := range e.children {
		p.index(c)
	}
}

// deref replaces an element carrying only id-ref by the element it names.
func (p *parser) deref(e *element) *element {
	if ref := e.attr("id-ref"); ref != "" {
		if t, ok := p.ids[ref]; ok && t.name == e.name {
			return t
		}
	}
	return e
}

func intAttr(e *element, name string) (int, error) {
	v, ok := e.lookup(name)
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("line %d: <%s %s=%q>: %w", e.line, e.name, name, v, ErrBadValue)
	}
	return n, nil
}

func (p *parser) cib(root *element) (*CIB, error) {
	c := &CIB{
		ValidateWith:  root.attr("validate-with"),
		DCUUID:        root.attr("dc-uuid"),
		ExecutionDate: root.attr("execution-date"),
		HaveQuorum:    isTrue(root.attr("have-quorum")),
	}
	var err error
	if c.AdminEpoch, err = intAttr(root, "admin_epoch"); err != nil {
		return nil, err
	}
	if c.Epoch, err = intAttr(root, "epoch"); err != nil {
		return nil, err
	}
	if c.NumUpdates, err = intAttr(root, "num_updates"); err != nil {
		return nil, err
	}
	conf := root.child("configuration")
	if conf == nil {
		return nil, fmt.Errorf("line %d: <cib> has no <configuration>: %w", root.line, ErrMissing)
	}
	if cc := conf.child("crm_config"); cc != nil {
		for _, s := range cc.all("cluster_property_set") {
			set, err := p.nvset(s)
			if err != nil {
				return nil, err
			}
			c.CRMConfig = append(c.CRMConfig, set)
		}
	}
	for _, tag := range []struct {
		name string
		dst  *[]NVSet
	}{{"rsc_defaults", &c.RscDefaults}, {"op_defaults", &c.OpDefaults}} {
		if d := conf.child(tag.name); d != nil {
			for _, s := range d.all("meta_attributes") {
				set, err := p.nvset(s)
				if err != nil {
					return nil, err
				}
				*tag.dst = append(*tag.dst, set)
			}
		}
	}
	if ns := conf.child("nodes"); ns != nil {
		for _, n := range ns.all("node") {
			node := Node{ID: n.attr("id"), Uname: n.attr("uname"), Type: n.attr("type")}
			if node.ID == "" && node.Uname == "" {
				return nil, fmt.Errorf("line %d: <node> without id or uname: %w", n.line, ErrMissing)
			}
			if node.ID == "" {
				node.ID = node.Uname
			}
			if node.Uname == "" {
				node.Uname = node.ID
			}
			if node.Attrs, err = p.nvsets(n, "instance_attributes"); err != nil {
				return nil, err
			}
			if node.Utilization, err = p.nvsets(n, "utilization"); err != nil {
				return nil, err
			}
			c.Nodes = append(c.Nodes, node)
		}
	}
	seen := map[string]bool{}
	if rs := conf.child("resources"); rs != nil {
		for _, e := range rs.children {
			r, err := p.resource(e, seen)
			if err != nil {
				return nil, err
			}
			if r != nil {
				c.Resources = append(c.Resources, r)
			}
		}
	}
	if cs := conf.child("constraints"); cs != nil {
		if err := p.constraints(cs, c); err != nil {
			return nil, err
		}
	}
	if st := root.child("status"); st != nil {
		for _, ns := range st.all("node_state") {
			s, err := p.nodeState(ns)
			if err != nil {
				return nil, err
			}
			c.Status = append(c.Status, s)
		}
	}
	return c, nil
}

func (p *parser) nvsets(e *element, tag string) ([]NVSet, error) {
	var out []NVSet
	for _, s := range e.all(tag) {
		set, err := p.nvset(s)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

func (p *parser) nvset(e *element) (NVSet, error) {
	e = p.deref(e)
	set := NVSet{ID: e.attr("id")}
	if s, ok := e.lookup("score"); ok {
		set.Score = score.MustParse(s)
	}
	for _, c := range e.children {
		switch c.name {
		case "nvpair":
			c = p.deref(c)
			name, ok := c.lookup("name")
			if !ok {
				return set, fmt.Errorf("line %d: <nvpair id=%q> has no name: %w", c.line, c.attr("id"), ErrMissing)
			}
			set.Pairs = append(set.Pairs, NVPair{ID: c.attr("id"), Name: name, Value: c.attr("value")})
		case "rule":
			if set.Rule == nil {
				r, err := p.rule(c)
				if err != nil {
					return set, err
				}
				set.Rule = r
			}
		}
	}
	return set, nil
}

func (p *parser) rule(e *element) (*Rule, error) {
	e = p.deref(e)
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 64 {
		return nil, fmt.Errorf("line %d: rules nested too deeply: %w", e.line, ErrBadValue)
	}
	if p.ruleBudget--; p.ruleBudget < 0 {
		return nil, fmt.Errorf("line %d: rule references expand to more than %d rules: %w", e.line, maxRuleElements, ErrBadValue)
	}
	r := &Rule{ID: e.attr("id"), ScoreAttribute: e.attr("score-attribute"), Role: e.attr("role")}
	if s, ok := e.lookup("score"); ok {
		r.Score, r.HasScore = score.MustParse(s), true
	}
	switch strings.ToLower(e.attr("boolean-op")) {
	case "", "and":
		r.Op = And
	case "or":
		r.Op = Or
	default:
		return nil, fmt.Errorf("line %d: <rule id=%q boolean-op=%q>: %w", e.line, r.ID, e.attr("boolean-op"), ErrBadValue)
	}
	for _, c := range e.children {
		switch c.name {
		case "expression":
			c = p.deref(c)
			r.Exprs = append(r.Exprs, Expr{Kind: ExprAttribute, ID: c.attr("id"), Attribute: c.attr("attribute"),
				Operation: c.attr("operation"), Value: c.attr("value"), Type: c.attr("type"), ValueSource: c.attr("value-source")})
		case "date_expression":
			x := Expr{Kind: ExprDate, ID: c.attr("id"), Operation: c.attr("operation"), Start: c.attr("start"), End: c.attr("end")}
			if ds := c.child("date_spec"); ds != nil {
				x.HasSpec, x.DateSpec = true, attrMap(ds)
			}
			if du := c.child("duration"); du != nil {
				x.HasDura, x.Duration = true, attrMap(du)
			}
			r.Exprs = append(r.Exprs, x)
		case "rule":
			sub, err := p.rule(c)
			if err != nil {
				return nil, err
			}
			r.Exprs = append(r.Exprs, Expr{Kind: ExprRule, ID: sub.ID, Rule: sub})
		case "op_expression":
			r.Exprs = append(r.Exprs, Expr{Kind: ExprOp, ID: c.attr("id"), OpName: c.attr("name"), OpInterval: c.attr("interval")})
		case "rsc_expression":
			r.Exprs = append(r.Exprs, Expr{Kind: ExprRsc, ID: c.attr("id"), Class: c.attr("class"), Provider: c.attr("provider"), RscType: c.attr("type")})
		}
	}
	return r, nil
}

func attrMap(e *element) map[string]string {
	m := map[string]string{}
	for _, a := range e.attrs {
		m[a.Name.Local] = a.Value
	}
	return m
}

func (p *parser) resource(e *element, seen map[string]bool) (*Resource, error) {
	var kind Kind
	switch e.name {
	case "primitive":
		kind = Primitive
	case "group":
		kind = Group
	case "clone":
		kind = Clone
	case "master":
		kind = Master
	case "bundle":
		kind = Bundle
	default:
		return nil, nil // templates, tags and unknown elements carry no resource
	}
	r := &Resource{Kind: kind, ID: e.attr("id"), Class: e.attr("class"), Provider: e.attr("provider"),
		Type: e.attr("type"), Template: e.attr("template")}
	if r.ID == "" {
		return nil, fmt.Errorf("line %d: <%s> has no id: %w", e.line, e.name, ErrMissing)
	}
	if seen[r.ID] {
		return nil, fmt.Errorf("line %d: <%s id=%q>: %w", e.line, e.name, r.ID, ErrDuplicateID)
	}
	seen[r.ID] = true
	var err error
	if r.Meta, err = p.nvsets(e, "meta_attributes"); err != nil {
		return nil, err
	}
	if r.Instance, err = p.nvsets(e, "instance_attributes"); err != nil {
		return nil, err
	}
	if r.Utilization, err = p.nvsets(e, "utilization"); err != nil {
		return nil, err
	}
	if kind == Primitive {
		if r.Template != "" {
			if t, ok := p.ids[r.Template]; ok && t.name == "template" {
				if r.Class == "" {
					r.Class = t.attr("class")
				}
				if r.Provider == "" {
					r.Provider = t.attr("provider")
				}
				if r.Type == "" {
					r.Type = t.attr("type")
				}
			}
		}
		if r.Type == "" || r.Class == "" {
			return nil, fmt.Errorf("line %d: <primitive id=%q> needs class and type: %w", e.line, r.ID, ErrMissing)
		}
		if ops := e.child("operations"); ops != nil {
			ops = p.deref(ops)
			for _, o := range ops.all("op") {
				op := Op{ID: o.attr("id"), Name: o.attr("name"), Interval: o.attr("interval"), Role: o.attr("role"),
					OnFail: o.attr("on-fail"), Timeout: o.attr("timeout"), Enabled: o.attr("enabled"), Requires: o.attr("requires")}
				if op.Meta, err = p.nvsets(o, "meta_attributes"); err != nil {
					return nil, err
				}
				r.Ops = append(r.Ops, op)
			}
		}
		return r, nil
	}
	for _, c := range e.children {
		child, err := p.resource(c, seen)
		if err != nil {
			return nil, err
		}
		if child == nil {
			continue
		}
		switch kind {
		case Group:
			if child.Kind != Primitive {
				return nil, fmt.Errorf("line %d: group %q may only contain primitives: %w", c.line, r.ID, ErrBadValue)
			}
		case Clone, Master:
			if len(r.Children) > 0 {
				return nil, fmt.Errorf("line %d: clone %q has more than one child: %w", c.line, r.ID, ErrBadValue)
			}
			if child.Kind != Primitive && child.Kind != Group {
				return nil, fmt.Errorf("line %d: clone %q may only contain a primitive or group: %w", c.line, r.ID, ErrBadValue)
			}
		}
		r.Children = append(r.Children, child)
	}
	if (kind == Clone || kind == Master || kind == Group) && len(r.Children) == 0 {
		return nil, fmt.Errorf("line %d: <%s id=%q> is empty: %w", e.line, e.name, r.ID, ErrMissing)
	}
	return r, nil
}

func (p *parser) constraints(cs *element, c *CIB) error {
	for _, e := range cs.children {
		id := e.attr("id")
		if id == "" && (e.name == "rsc_location" || e.name == "rsc_colocation" || e.name == "rsc_order") {
			return fmt.Errorf("line %d: <%s> has no id: %w", e.line, e.name, ErrMissing)
		}
		switch e.name {
		case "rsc_location":
			l := Location{ID: id, Rsc: e.attr("rsc"), RscPattern: e.attr("rsc-pattern"), Node: e.attr("node"),
				Role: e.attr("role"), ScoreAttribute: e.attr("score-attribute"), ResourceDiscovery: e.attr("resource-discovery")}
			if s, ok := e.lookup("score"); ok {
				l.Score, l.HasScore = score.MustParse(s), true
			}
			for _, re := range e.all("rule") {
				r, err := p.rule(re)
				if err != nil {
					return err
				}
				l.Rules = append(l.Rules, *r)
			}
			l.Sets = p.sets(e)
			if l.Rsc == "" && l.RscPattern == "" && len(l.Sets) == 0 {
				return fmt.Errorf("line %d: rsc_location %q names no resource: %w", e.line, id, ErrMissing)
			}
			c.Locations = append(c.Locations, l)
		case "rsc_colocation":
			co := Colocation{ID: id, Rsc: first(e, "rsc", "from"), WithRsc: first(e, "with-rsc", "to"),
				RscRole: first(e, "rsc-role", "from_role"), WithRscRole: first(e, "with-rsc-role", "to_role"),
				NodeAttribute: first(e, "node-attribute", "node_attribute"), Influence: e.attr("influence")}
			co.Score = score.MustParse(e.attr("score"))
			co.Sets = p.sets(e)
			if (co.Rsc == "" || co.WithRsc == "") && len(co.Sets) == 0 {
				return fmt.Errorf("line %d: rsc_colocation %q needs rsc and with-rsc: %w", e.line, id, ErrMissing)
			}
			c.Colocations = append(c.Colocations, co)
		case "rsc_order":
			o := Order{ID: id, Kind: e.attr("kind"), Symmetrical: e.attr("symmetrical"), RequireAll: e.attr("require-all")}
			if from := e.attr("from"); from != "" && e.attr("first") == "" {
				// Heartbeat 2.x spelling: "from" happens type="after" or
				// "before" "to"; action/to_action name the operations.
				o.Then, o.First = from, e.attr("to")
				o.ThenAction, o.FirstAction = e.attr("action"), e.attr("to_action")
				if strings.EqualFold(e.attr("type"), "before") {
					o.First, o.Then = o.Then, o.First
					o.FirstAction, o.ThenAction = o.ThenAction, o.FirstAction
				}
			} else {
				o.First, o.Then = e.attr("first"), e.attr("then")
				o.FirstAction, o.ThenAction = e.attr("first-action"), e.attr("then-action")
			}
			if s, ok := e.lookup("score"); ok {
				o.Score, o.HasScore = score.MustParse(s), true
			}
			o.Sets = p.sets(e)
			if (o.First == "" || o.Then == "") && len(o.Sets) == 0 {
				return fmt.Errorf("line %d: rsc_order %q needs first and then: %w", e.line, id, ErrMissing)
			}
			c.Orders = append(c.Orders, o)
		}
	}
	return nil
}

func first(e *element, names ...string) string {
	for _, n := range names {
		if v := e.attr(n); v != "" {
			return v
		}
	}
	return ""
}

func (p *parser) sets(e *element) []ResourceSet {
	var out []ResourceSet
	for _, s := range e.all("resource_set") {
		s = p.deref(s)
		rs := ResourceSet{ID: s.attr("id"), Sequential: s.attr("sequential"), RequireAll: s.attr("require-all"),
			Ordering: s.attr("ordering"), Action: s.attr("action"), Role: s.attr("role")}
		if v, ok := s.lookup("score"); ok {
			rs.Score, rs.HasScore = score.MustParse(v), true
		}
		for _, r := range s.all("resource_ref") {
			rs.Refs = append(rs.Refs, r.attr("id"))
		}
		out = append(out, rs)
	}
	return out
}

func (p *parser) nodeState(e *element) (NodeState, error) {
	s := NodeState{ID: e.attr("id"), Uname: e.attr("uname"), Crmd: e.attr("crmd"), Join: e.attr("join"),
		Expected: e.attr("expected")}
	s.InCCM, s.HasInCCM = e.lookup("in_ccm")
	if s.ID == "" && s.Uname == "" {
		return s, fmt.Errorf("line %d: <node_state> without id or uname: %w", e.line, ErrMissing)
	}
	if ta := e.child("transient_attributes"); ta != nil {
		sets, err := p.nvsets(ta, "instance_attributes")
		if err != nil {
			return s, err
		}
		s.Transient = sets
	}
	if lrm := e.child("lrm"); lrm != nil {
		if lr := lrm.child("lrm_resources"); lr != nil {
			for _, re := range lr.all("lrm_resource") {
				res := LRMResource{ID: re.attr("id"), Class: re.attr("class"), Provider: re.attr("provider"),
					Type: re.attr("type"), Container: re.attr("container")}
				if res.ID == "" {
					return s, fmt.Errorf("line %d: <lrm_resource> without id: %w", re.line, ErrMissing)
				}
				for _, oe := range re.all("lrm_rsc_op") {
					op, err := lrmOp(oe)
					if err != nil {
						return s, err
					}
					res.Ops = append(res.Ops, op)
				}
				s.Resources = append(s.Resources, res)
			}
		}
	}
	return s, nil
}

func lrmOp(e *element) (LRMOp, error) {
	op := LRMOp{ID: e.attr("id"), Operation: e.attr("operation"), OperationKey: e.attr("operation_key"),
		TransitionKey: e.attr("transition-key"), TransitionMagic: e.attr("transition-magic"),
		OnNode: e.attr("on_node"), ExitReason: e.attr("exit-reason"),
		MigrateSource: e.attr("migrate_source"), MigrateTarget: e.attr("migrate_target"), OpDigest: e.attr("op-digest")}
	if op.Operation == "" {
		return op, fmt.Errorf("line %d: <lrm_rsc_op id=%q> has no operation: %w", e.line, op.ID, ErrMissing)
	}
	var err error
	if op.CallID, err = intAttr(e, "call-id"); err != nil {
		return op, err
	}
	if op.RC, err = intAttr(e, "rc-code"); err != nil {
		return op, err
	}
	if op.OpStatus, err = intAttr(e, "op-status"); err != nil {
		return op, err
	}
	if op.IntervalMS, err = intAttr(e, "interval"); err != nil {
		return op, err
	}
	if v := e.attr("last-rc-change"); v != "" {
		op.LastRCChange, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := e.attr("last-run"); v != "" {
		op.LastRun, _ = strconv.ParseInt(v, 10, 64)
	}
	return op, nil
}

// isTrue interprets a CIB boolean the way Pacemaker does.
func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "on", "yes", "y", "1":
		return true
	}
	return false
}

// IsTrue reports whether a CIB boolean string means true.
func IsTrue(s string) bool { return isTrue(s) }
