package crmsh

import (
	"fmt"
	"strconv"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/status/cibdoc"
)

// Parse reads crm configuration text (one or more statements, as `crm
// configure show` prints them or an admin types them) and returns the
// objects it defines, in the order written. Errors are *SyntaxError. A
// bare agent name is taken as ocf:heartbeat:NAME.
func Parse(text string) ([]*Object, error) { return ParseWith(text, Options{}) }

// Options adjust how Parse reads statements.
type Options struct {
	// Providers, when set, lists the OCF providers that have an agent of
	// the given type, so that a bare agent name resolves the way crm
	// does: heartbeat when it has one, else the only provider that has.
	Providers func(typ string) []string
}

// ParseWith is Parse with options.
func ParseWith(text string, opt Options) ([]*Object, error) {
	sts, err := splitStatements(text)
	if err != nil {
		return nil, err
	}
	var out []*Object
	for _, st := range sts {
		o, err := parseStatement(st, opt)
		if err != nil {
			return nil, err
		}
		if o.Kind == KindXML && isResource(o.Elem.Name) {
			// a raw resource is split like one read from a CIB, so its
			// members are objects of their own
			for _, x := range splitResource(o.Elem) {
				x.Line = o.Line
				out = append(out, x)
			}
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// Commands lists the words that start a configuration statement.
var Commands = []string{"node", "primitive", "group", "clone", "ms", "location", "colocation",
	"order", "property", "rsc_defaults", "op_defaults", "xml"}

// IsCommand reports whether word starts a configuration statement.
func IsCommand(word string) bool {
	for _, c := range Commands {
		if c == word {
			return true
		}
	}
	return false
}

func parseStatement(st statement, opt Options) (*Object, error) {
	p := &parser{st: st, opt: opt}
	head := p.next()
	var o *Object
	var err error
	switch head.val {
	case "node":
		o, err = p.node()
	case "primitive":
		o, err = p.primitive()
	case "group":
		o, err = p.group()
	case "clone", "ms", "master":
		o, err = p.clone(head.val)
	case "location":
		o, err = p.location()
	case "colocation", "collocation":
		o, err = p.colocation()
	case "order":
		o, err = p.order()
	case "property":
		o, err = p.defaults(KindProperty, "cluster_property_set", "cib-bootstrap-options")
	case "rsc_defaults":
		o, err = p.defaults(KindRscDefaults, "meta_attributes", "rsc-options")
	case "op_defaults":
		o, err = p.defaults(KindOpDefaults, "meta_attributes", "op-options")
	case "xml":
		o, err = p.xml()
	default:
		return nil, p.fail(head, "unknown command", "one of "+strings.Join(Commands, ", "))
	}
	if err != nil {
		return nil, err
	}
	o.Line = st.line
	return o, nil
}

// parser walks the tokens of one statement.
type parser struct {
	st  statement
	pos int
	opt Options
}

func (p *parser) more() bool { return p.pos < len(p.st.tokens) }

func (p *parser) peek() token {
	if !p.more() {
		return token{}
	}
	return p.st.tokens[p.pos]
}

func (p *parser) next() token {
	t := p.peek()
	if p.more() {
		p.pos++
	}
	return t
}

func (p *parser) fail(t token, msg, hint string) error {
	return &SyntaxError{Line: p.st.line, Token: t.raw, Msg: msg, Hint: hint}
}

// need returns the next token, failing with what was expected at the end
// of the statement.
func (p *parser) need(what, hint string) (token, error) {
	if !p.more() {
		return token{}, p.fail(token{}, "missing "+what, hint)
	}
	return p.next(), nil
}

// id reads an object id.
func (p *parser) id(what string) (string, error) {
	t, err := p.need(what+" id", "")
	if err != nil {
		return "", err
	}
	if !ValidID(t.val) {
		return "", p.fail(t, "invalid "+what+" id", idHint)
	}
	return t.val, nil
}

const idHint = "an id starts with a letter or '_' and holds letters, digits, '.', '-' and '_'"

// ValidID reports whether s can be a CIB id.
func ValidID(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r > 0x7f:
		case i > 0 && (r >= '0' && r <= '9' || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// keyword reports whether t is an unquoted word from set.
func keyword(t token, set ...string) bool {
	if t.quoted {
		return false
	}
	for _, k := range set {
		if t.val == k {
			return true
		}
	}
	return false
}

// splitNV splits name=value; ok is false without '='.
func splitNV(t token) (name, value string, ok bool) {
	i := strings.IndexByte(t.val, '=')
	if i <= 0 {
		return "", "", false
	}
	return t.val[:i], t.val[i+1:], true
}

// elem makes an element with attributes given as name, value pairs.
func elem(name string, attrs ...string) *cibdoc.Element {
	e := &cibdoc.Element{Name: name}
	for i := 0; i+1 < len(attrs); i += 2 {
		e.Set(attrs[i], attrs[i+1])
	}
	return e
}

// ids hands out ids unique within one object.
type ids map[string]bool

func (s ids) take(id string) string {
	if !s[id] {
		s[id] = true
		return id
	}
	for i := 1; ; i++ {
		c := fmt.Sprintf("%s-%d", id, i)
		if !s[c] {
			s[c] = true
			return c
		}
	}
}

// nvset reads "[$id=ID] name=value ..." up to the next word that is not a
// pair, into a set element named setName whose id defaults to defID.
func (p *parser) nvset(setName, defID string, used ids, section string) (*cibdoc.Element, error) {
	set := elem(setName)
	explicit := false
	if t := p.peek(); dollarID(t) {
		explicit = true
		p.next()
		id := strings.TrimPrefix(t.val, "$id=")
		if !ValidID(id) {
			return nil, p.fail(t, "invalid set id", idHint)
		}
		set.Set("id", used.take(id))
	} else {
		set.Set("id", used.take(defID))
	}
	n := 0
	for p.more() {
		t := p.peek()
		name, value, ok := splitNV(t)
		if !ok {
			break
		}
		p.next()
		pair := elem("nvpair", "id", used.take(set.Attr("id")+"-"+sanitize(name)), "name", name, "value", value)
		set.Append(pair)
		n++
	}
	if n == 0 && !explicit {
		return nil, p.fail(p.peek(), "expected name=value after "+section, "write "+section+" name=value ...")
	}
	return set, nil
}

// sanitize turns a name into something usable inside an id.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '.'
	}, s)
}

// Agent classes Pacemaker knows.
var agentClasses = map[string]bool{"ocf": true, "lsb": true, "heartbeat": true, "stonith": true,
	"service": true, "systemd": true, "upstart": true, "nagios": true}

// agent reads class:provider:type, class:type, or a bare type (an OCF
// agent of the heartbeat provider, as crm resolves the common ones).
func (p *parser) agent(e *cibdoc.Element) error {
	t, err := p.need("resource agent", "write class:provider:type, e.g. ocf:heartbeat:IPaddr2")
	if err != nil {
		return err
	}
	if strings.HasPrefix(t.val, "@") {
		if !ValidID(t.val[1:]) {
			return p.fail(t, "invalid template reference", idHint)
		}
		e.Set("template", t.val[1:])
		return nil
	}
	parts := strings.SplitN(t.val, ":", 3)
	for _, s := range parts {
		if s == "" {
			return p.fail(t, "empty part in resource agent", "write class:provider:type, e.g. ocf:heartbeat:IPaddr2")
		}
	}
	switch len(parts) {
	case 1:
		if strings.Contains(t.val, "=") || keyword(t, sectionWords...) {
			return p.fail(t, "missing resource agent", "write class:provider:type, e.g. ocf:heartbeat:IPaddr2")
		}
		provider := "heartbeat"
		if p.opt.Providers != nil {
			ps := p.opt.Providers(parts[0])
			has := false
			for _, x := range ps {
				has = has || x == "heartbeat"
			}
			switch {
			case has || len(ps) == 0:
			case len(ps) == 1:
				provider = ps[0]
			default:
				return p.fail(t, "agent "+parts[0]+" has more than one provider", "write ocf:PROVIDER:"+parts[0]+" with one of "+strings.Join(ps, ", "))
			}
		}
		e.Set("class", "ocf")
		e.Set("provider", provider)
		e.Set("type", parts[0])
	case 2:
		if !agentClasses[parts[0]] {
			return p.fail(t, "unknown resource agent class "+strconv.Quote(parts[0]), "classes: ocf, lsb, service, systemd, stonith, heartbeat, upstart, nagios")
		}
		if parts[0] == "ocf" {
			return p.fail(t, "an OCF agent needs a provider", "write ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:"+parts[1])
		}
		e.Set("class", parts[0])
		e.Set("type", parts[1])
	case 3:
		if parts[0] != "ocf" {
			return p.fail(t, "only OCF agents have a provider", "write "+parts[0]+":TYPE")
		}
		e.Set("class", "ocf")
		e.Set("provider", parts[1])
		e.Set("type", parts[2])
	}
	return nil
}

// sectionWords start the parts of a resource definition.
var sectionWords = []string{"params", "meta", "utilization", "operations", "op", "op_params", "op_meta"}

// resourceBody reads the params/meta/utilization/op parts of a resource;
// ops is false for containers.
func (p *parser) resourceBody(e *cibdoc.Element, used ids, ops bool) error {
	id := e.Attr("id")
	var operations, lastOp *cibdoc.Element
	for p.more() {
		t := p.next()
		if name, value, ok := splitNV(t); ok && name == "description" {
			e.Set("description", value)
			continue
		}
		if !keyword(t, sectionWords...) {
			hint := "expected params, meta, utilization or op"
			if !ops {
				hint = "expected params or meta"
			}
			return p.fail(t, "unexpected word", hint)
		}
		switch t.val {
		case "params", "meta", "utilization":
			setName := map[string]string{"params": "instance_attributes", "meta": "meta_attributes", "utilization": "utilization"}[t.val]
			if t.val == "utilization" && !ops {
				return p.fail(t, "utilization belongs to primitives", "")
			}
			set, err := p.nvset(setName, id+"-"+setName, used, t.val)
			if err != nil {
				return err
			}
			e.Append(set)
		case "operations":
			// only to name the operations element: operations $id=ID
			t2 := p.next()
			if operations != nil || !ops || !dollarID(t2) || !ValidID(t2.val[4:]) {
				return p.fail(t2, "expected $id=ID once after operations", "write operations $id=ID before the op parts")
			}
			operations = elem("operations", "id", used.take(t2.val[4:]))
			e.Append(operations)
		case "op":
			if !ops {
				return p.fail(t, "operations belong to primitives", "define op on the primitive")
			}
			if operations == nil {
				operations = elem("operations")
				e.Append(operations)
			} else if e.Children[len(e.Children)-1] != operations {
				return p.fail(t, "op after other parts", "write all op parts together, at the end")
			}
			op, err := p.op(id, used)
			if err != nil {
				return err
			}
			operations.Append(op)
			lastOp = op
		case "op_params", "op_meta":
			if lastOp == nil {
				return p.fail(t, t.val+" without an op before it", "write op NAME ... "+t.val+" name=value")
			}
			setName := map[string]string{"op_params": "instance_attributes", "op_meta": "meta_attributes"}[t.val]
			set, err := p.nvset(setName, lastOp.Attr("id")+"-"+setName, used, t.val)
			if err != nil {
				return err
			}
			lastOp.Append(set)
		}
	}
	return nil
}

// op reads "NAME name=value ..." of one operation.
func (p *parser) op(rsc string, used ids) (*cibdoc.Element, error) {
	t, err := p.need("operation name", "write op monitor interval=10s")
	if err != nil {
		return nil, err
	}
	if _, _, ok := splitNV(t); ok || keyword(t, sectionWords...) {
		return nil, p.fail(t, "missing operation name", "write op NAME name=value ..., e.g. op monitor interval=10s")
	}
	op := elem("op", "id", "", "name", t.val)
	var extra [][2]string
	for p.more() {
		name, value, ok := splitNV(p.peek())
		if !ok {
			break
		}
		p.next()
		switch name {
		case "id":
			op.Set("id", value)
		default:
			if opAttrs[name] {
				op.Set(name, value)
			} else {
				// what an op element has no attribute for is an
				// instance attribute of the operation (OCF_CHECK_LEVEL)
				extra = append(extra, [2]string{name, value})
			}
		}
	}
	if _, ok := op.Lookup("interval"); !ok {
		op.Set("interval", "0s")
	}
	if op.Attr("id") == "" {
		op.Set("id", used.take(opID(rsc, op)))
	} else if !ValidID(op.Attr("id")) {
		return nil, p.fail(t, "invalid operation id", idHint)
	} else {
		used.take(op.Attr("id"))
	}
	if len(extra) > 0 {
		sid := used.take(op.Attr("id") + "-instance_attributes")
		set := elem("instance_attributes", "id", sid)
		for _, x := range extra {
			set.Append(elem("nvpair", "id", used.take(sid+"-"+sanitize(x[0])), "name", x[0], "value", x[1]))
		}
		op.Append(set)
	}
	return op, nil
}

// opAttrs are the attributes the CIB schema gives an op element.
var opAttrs = map[string]bool{"id": true, "name": true, "interval": true, "description": true,
	"start-delay": true, "interval-origin": true, "timeout": true, "enabled": true,
	"record-pending": true, "role": true, "requires": true, "on-fail": true}

// opID is the id crm gives an operation: resource, name and interval
// (0 for any spelling of no interval).
func opID(rsc string, op *cibdoc.Element) string {
	iv := op.Attr("interval")
	if ms, ok := cib.ParseIntervalMS(iv); ok && ms == 0 {
		iv = "0"
	}
	return rsc + "-" + op.Attr("name") + "-" + sanitize(iv)
}

func (p *parser) primitive() (*Object, error) {
	id, err := p.id("primitive")
	if err != nil {
		return nil, err
	}
	e := elem("primitive", "id", id)
	used := ids{id: true}
	if err := p.agent(e); err != nil {
		return nil, err
	}
	if err := p.resourceBody(e, used, true); err != nil {
		return nil, err
	}
	return &Object{Kind: KindPrimitive, ID: id, Elem: e}, nil
}

// members reads resource ids up to the first pair or keyword.
func (p *parser) members() []token {
	var out []token
	for p.more() {
		t := p.peek()
		if _, _, ok := splitNV(t); ok || keyword(t, sectionWords...) {
			break
		}
		out = append(out, p.next())
	}
	return out
}

func (p *parser) group() (*Object, error) {
	id, err := p.id("group")
	if err != nil {
		return nil, err
	}
	o := &Object{Kind: KindGroup, ID: id, Elem: elem("group", "id", id)}
	ms := p.members()
	if len(ms) == 0 {
		return nil, p.fail(p.peek(), "a group needs at least one resource", "write group ID RSC [RSC ...] [meta ...]")
	}
	for _, m := range ms {
		if !ValidID(m.val) {
			return nil, p.fail(m, "invalid resource id", idHint)
		}
		o.Members = append(o.Members, m.val)
	}
	if err := p.resourceBody(o.Elem, ids{id: true}, false); err != nil {
		return nil, err
	}
	return o, nil
}

func (p *parser) clone(word string) (*Object, error) {
	id, err := p.id(word)
	if err != nil {
		return nil, err
	}
	kind, name := KindClone, "clone"
	if word != "clone" {
		kind, name = KindMS, "master"
	}
	o := &Object{Kind: kind, ID: id, Elem: elem(name, "id", id)}
	ms := p.members()
	if len(ms) != 1 {
		t := p.peek()
		if len(ms) > 1 {
			t = ms[1]
		}
		return nil, p.fail(t, "a "+word+" wraps exactly one resource", "write "+word+" ID RSC [meta ...]")
	}
	if !ValidID(ms[0].val) {
		return nil, p.fail(ms[0], "invalid resource id", idHint)
	}
	o.Members = []string{ms[0].val}
	if err := p.resourceBody(o.Elem, ids{id: true}, false); err != nil {
		return nil, err
	}
	return o, nil
}

func (p *parser) node() (*Object, error) {
	t, err := p.need("node name", "write node NAME or node ID: NAME")
	if err != nil {
		return nil, err
	}
	var id, uname string
	switch {
	case dollarID(t):
		id = strings.TrimPrefix(t.val, "$id=")
		if t, err = p.need("node name", "write node $id=ID NAME"); err != nil {
			return nil, err
		}
		uname = t.val
	case strings.HasSuffix(t.val, ":") && !t.quoted:
		id = strings.TrimSuffix(t.val, ":")
		if t, err = p.need("node name", "write node ID: NAME"); err != nil {
			return nil, err
		}
		uname = t.val
	default:
		uname = t.val
	}
	typ := ""
	if i := strings.IndexByte(uname, ':'); i >= 0 {
		uname, typ = uname[:i], uname[i+1:]
		if typ == "" {
			return nil, p.fail(t, "empty node type", "write NAME:TYPE, e.g. alpha:member")
		}
	}
	if uname == "" || strings.Contains(uname, "=") {
		return nil, p.fail(t, "invalid node name", "write node NAME or node ID: NAME")
	}
	if id == "" {
		id = uname
	}
	if strings.ContainsAny(id, " \t<>&\"") || id == "" {
		return nil, p.fail(t, "invalid node id", "")
	}
	e := elem("node", "id", id, "uname", uname)
	if typ != "" {
		e.Set("type", typ)
	}
	used := ids{id: true}
	for p.more() {
		t := p.next()
		if name, value, ok := splitNV(t); ok && name == "description" {
			e.Set("description", value)
			continue
		}
		switch {
		case keyword(t, "attributes"):
			set, err := p.nvset("instance_attributes", "nodes-"+id, used, "attributes")
			if err != nil {
				return nil, err
			}
			e.Append(set)
		case keyword(t, "utilization"):
			set, err := p.nvset("utilization", "nodes-"+id+"-utilization", used, "utilization")
			if err != nil {
				return nil, err
			}
			e.Append(set)
		default:
			return nil, p.fail(t, "unexpected word", "expected attributes or utilization")
		}
	}
	return &Object{Kind: KindNode, ID: id, Elem: e}, nil
}

// parseScore reads a score: a signed integer or inf/INFINITY. crm's inf
// and -inf become Pacemaker's INFINITY and -INFINITY; other spellings are
// kept as written.
func parseScore(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "inf", "+inf", "infinity":
		return "INFINITY", true
	case "-inf", "-infinity":
		return "-INFINITY", true
	case "+infinity":
		return "+INFINITY", true
	}
	if _, err := strconv.Atoi(s); err == nil {
		return s, true
	}
	return "", false
}

// showScore is the crm spelling of a score.
func showScore(s string) string {
	switch s {
	case "INFINITY":
		return "inf"
	case "-INFINITY":
		return "-inf"
	}
	return s
}

// scoreToken reads "SCORE:" ending in a colon.
func (p *parser) scoreToken(what string) (token, string, error) {
	t, err := p.need(what, "write e.g. inf: or 100:")
	if err != nil {
		return t, "", err
	}
	if !strings.HasSuffix(t.val, ":") || t.quoted {
		return t, "", p.fail(t, "expected a score followed by ':'", "write e.g. inf: or 100: or -inf:")
	}
	return t, strings.TrimSuffix(t.val, ":"), nil
}

var roles = map[string]string{"started": "Started", "stopped": "Stopped", "master": "Master", "slave": "Slave",
	"promoted": "Promoted", "unpromoted": "Unpromoted"}

var actions = map[string]bool{"start": true, "stop": true, "promote": true, "demote": true}

// role reads a role name; known roles are written in Pacemaker's
// capitalisation.
func (p *parser) role(t token, v string) (string, error) {
	r, ok := roles[strings.ToLower(v)]
	if !ok {
		return "", p.fail(t, "unknown role "+strconv.Quote(v), "roles: Started, Stopped, Master, Slave, Promoted, Unpromoted")
	}
	return r, nil
}

func (p *parser) location() (*Object, error) {
	id, err := p.id("location")
	if err != nil {
		return nil, err
	}
	e := elem("rsc_location", "id", id)
	t, err := p.need("resource", "write location ID RSC SCORE: NODE")
	if err != nil {
		return nil, err
	}
	switch {
	case len(t.val) > 2 && strings.HasPrefix(t.val, "/") && strings.HasSuffix(t.val, "/"):
		e.Set("rsc-pattern", t.val[1:len(t.val)-1])
	case ValidID(t.val):
		e.Set("rsc", t.val)
	default:
		return nil, p.fail(t, "invalid resource id", idHint)
	}
	for p.more() {
		name, value, ok := splitNV(p.peek())
		if !ok {
			break
		}
		t := p.next()
		switch name {
		case "role":
			r, err := p.role(t, value)
			if err != nil {
				return nil, err
			}
			e.Set("role", r)
		case "resource-discovery":
			e.Set("resource-discovery", value)
		default:
			return nil, p.fail(t, "unknown location option", "options: role=, resource-discovery=")
		}
	}
	if keyword(p.peek(), "rule") {
		used := ids{id: true}
		for p.more() {
			t := p.next()
			if !keyword(t, "rule") {
				return nil, p.fail(t, "unexpected word", "another rule, or the end of the statement")
			}
			r, err := p.rule(id+"-rule", used)
			if err != nil {
				return nil, err
			}
			e.Append(r)
		}
		return &Object{Kind: KindLocation, ID: id, Elem: e}, nil
	}
	st, s, err := p.scoreToken("score")
	if err != nil {
		return nil, err
	}
	score, ok := parseScore(s)
	if !ok {
		return nil, p.fail(st, "invalid score", "a score is an integer, inf or -inf")
	}
	e.Set("score", score)
	nt, err := p.need("node", "write location ID RSC SCORE: NODE")
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(nt.val, "=:") {
		return nil, p.fail(nt, "invalid node name", "write location ID RSC SCORE: NODE")
	}
	e.Set("node", nt.val)
	if p.more() {
		return nil, p.fail(p.peek(), "unexpected word after the node", "one node per location constraint; use a rule for more")
	}
	return &Object{Kind: KindLocation, ID: id, Elem: e}, nil
}

var binaryOps = map[string]bool{"lt": true, "gt": true, "lte": true, "gte": true, "eq": true, "ne": true}

// rule reads "[$id=ID] [$role=ROLE] SCORE: expression" up to the next
// rule.
func (p *parser) rule(defID string, used ids) (*cibdoc.Element, error) {
	r := elem("rule", "id", "")
	for p.more() {
		t := p.peek()
		name, value, ok := splitNV(t)
		if !ok {
			break
		}
		p.next()
		switch name {
		case "$id", "id":
			if !ValidID(value) {
				return nil, p.fail(t, "invalid rule id", idHint)
			}
			r.Set("id", used.take(value))
		case "$role", "role":
			role, err := p.role(t, value)
			if err != nil {
				return nil, err
			}
			r.Set("role", role)
		case "boolean-op":
			if value != "and" && value != "or" {
				return nil, p.fail(t, "boolean-op is and or or", "")
			}
			r.Set("boolean-op", value)
		default:
			return nil, p.fail(t, "unknown rule option", "options: $id=, $role=")
		}
	}
	if r.Attr("id") == "" {
		r.Set("id", used.take(defID))
	}
	st, s, err := p.scoreToken("rule score")
	if err != nil {
		return nil, err
	}
	if score, ok := parseScore(s); ok {
		r.Set("score", score)
	} else if ValidID(s) || strings.HasPrefix(s, "#") {
		r.Set("score-attribute", s)
	} else {
		return nil, p.fail(st, "invalid rule score", "an integer, inf, -inf or a node attribute name")
	}
	boolOp := ""
	n := 0
	for p.more() && !keyword(p.peek(), "rule") {
		if n > 0 {
			t := p.next()
			if !keyword(t, "and", "or") {
				return nil, p.fail(t, "expected and/or between expressions", "")
			}
			if boolOp != "" && boolOp != t.val {
				return nil, p.fail(t, "and and or mixed in one rule", "use one of them per rule, or the xml form")
			}
			boolOp = t.val
		}
		x, err := p.expression(r.Attr("id")+"-expression", used)
		if err != nil {
			return nil, err
		}
		r.Append(x)
		n++
	}
	if n == 0 {
		return nil, p.fail(p.peek(), "a rule needs an expression", "e.g. #uname eq alpha, defined pingd")
	}
	if boolOp != "" {
		if v, ok := r.Lookup("boolean-op"); ok && v != boolOp {
			return nil, p.fail(token{raw: v}, "boolean-op does not match the operator used", "")
		}
		r.Set("boolean-op", boolOp)
	}
	return r, nil
}

// expression reads one condition of a rule.
func (p *parser) expression(defID string, used ids) (*cibdoc.Element, error) {
	t, err := p.need("expression", "e.g. #uname eq alpha")
	if err != nil {
		return nil, err
	}
	switch {
	case keyword(t, "defined", "not_defined"):
		a, err := p.need("attribute name", "write "+t.val+" NAME")
		if err != nil {
			return nil, err
		}
		return elem("expression", "id", used.take(defID), "attribute", a.val, "operation", t.val), nil
	case keyword(t, "date"):
		return p.dateExpression(defID, used)
	}
	opTok, err := p.need("operator", "one of lt, gt, lte, gte, eq, ne")
	if err != nil {
		return nil, err
	}
	op, typ := opTok.val, ""
	if i := strings.IndexByte(op, ':'); i >= 0 {
		typ, op = op[:i], op[i+1:]
		switch typ {
		case "string", "integer", "number", "version":
		default:
			return nil, p.fail(opTok, "unknown value type "+strconv.Quote(typ), "types: string, integer, number, version")
		}
	}
	if !binaryOps[op] || opTok.quoted {
		return nil, p.fail(opTok, "unknown operator", "one of lt, gt, lte, gte, eq, ne")
	}
	v, err := p.need("value", "write ATTRIBUTE "+op+" VALUE")
	if err != nil {
		return nil, err
	}
	x := elem("expression", "id", used.take(defID), "attribute", t.val, "operation", op, "value", v.val)
	if typ != "" {
		x.Set("type", typ)
	}
	return x, nil
}

// dateExpression reads gt DATE, lt DATE, in_range start=.. end=.. or
// date_spec name=value ...
func (p *parser) dateExpression(defID string, used ids) (*cibdoc.Element, error) {
	id := used.take(defID)
	t, err := p.need("date operation", "one of gt, lt, in_range, date_spec")
	if err != nil {
		return nil, err
	}
	x := elem("date_expression", "id", id)
	switch t.val {
	case "gt", "lt":
		v, err := p.need("date", "an ISO 8601 date, e.g. 2030-01-01")
		if err != nil {
			return nil, err
		}
		x.Set("operation", t.val)
		if t.val == "gt" {
			x.Set("start", v.val)
		} else {
			x.Set("end", v.val)
		}
	case "in_range", "in":
		x.Set("operation", "in_range")
		var dur *cibdoc.Element
		for p.more() {
			name, value, ok := splitNV(p.peek())
			if !ok {
				break
			}
			p.next()
			switch name {
			case "start", "end":
				x.Set(name, value)
			default:
				if dur == nil {
					dur = elem("duration", "id", used.take(id+"-duration"))
					x.Append(dur)
				}
				dur.Set(name, value)
			}
		}
	case "date_spec", "spec":
		x.Set("operation", "date_spec")
		spec := elem("date_spec", "id", used.take(id+"-date_spec"))
		for p.more() {
			name, value, ok := splitNV(p.peek())
			if !ok {
				break
			}
			p.next()
			spec.Set(name, value)
		}
		x.Append(spec)
	default:
		return nil, p.fail(t, "unknown date operation", "one of gt, lt, in_range, date_spec")
	}
	return x, nil
}

// refs reads RSC[:SUFFIX] references up to the first pair.
func (p *parser) refs() []token {
	var out []token
	for p.more() {
		if _, _, ok := splitNV(p.peek()); ok {
			break
		}
		out = append(out, p.next())
	}
	return out
}

// splitRef splits RSC:SUFFIX.
func splitRef(t token) (string, string) {
	if i := strings.IndexByte(t.val, ':'); i >= 0 {
		return t.val[:i], t.val[i+1:]
	}
	return t.val, ""
}

func (p *parser) colocation() (*Object, error) {
	id, err := p.id("colocation")
	if err != nil {
		return nil, err
	}
	st, s, err := p.scoreToken("score")
	if err != nil {
		return nil, err
	}
	score, ok := parseScore(s)
	if !ok {
		return nil, p.fail(st, "invalid score", "a score is an integer, inf or -inf")
	}
	e := elem("rsc_colocation", "id", id, "score", score)
	sets, opts, err := p.resourceSets(id, "role", "node-attribute", "influence")
	if err != nil {
		return nil, err
	}
	simple(e, sets, "rsc", "with-rsc", "role")
	for _, o := range opts {
		e.Set(o[0], o[1])
	}
	return &Object{Kind: KindColocation, ID: id, Elem: e}, nil
}

// simple writes a constraint of two resources in its two resource form
// (first/then, rsc/with-rsc attributes) and anything else as the sets.
func simple(e *cibdoc.Element, sets []*cibdoc.Element, a, b, qual string) {
	refs := 0
	explicit := false
	for _, set := range sets {
		refs += len(set.Children)
		_, seq := set.Lookup("sequential")
		explicit = explicit || seq
	}
	if refs != 2 || explicit {
		for _, set := range sets {
			e.Append(set)
		}
		return
	}
	i := 0
	for _, set := range sets {
		for _, r := range set.Children {
			attr := []string{a, b}[i]
			e.Set(attr, r.Attr("id"))
			if q := set.Attr(qual); q != "" {
				e.Set(attr+"-"+qual, q)
			}
			i++
		}
	}
}

var orderKinds = map[string]string{"mandatory": "Mandatory", "optional": "Optional", "serialize": "Serialize"}

func (p *parser) order() (*Object, error) {
	id, err := p.id("order")
	if err != nil {
		return nil, err
	}
	e := elem("rsc_order", "id", id)
	// the kind or score is optional (Mandatory by default)
	if t := p.peek(); strings.HasSuffix(t.val, ":") && !t.quoted {
		st, s, err := p.scoreToken("score or kind")
		if err != nil {
			return nil, err
		}
		if k, ok := orderKinds[strings.ToLower(s)]; ok {
			e.Set("kind", k)
		} else if score, ok := parseScore(s); ok {
			e.Set("score", score)
		} else {
			return nil, p.fail(st, "invalid score or kind", "Mandatory:, Optional:, Serialize: or a score such as inf:")
		}
	}
	sets, opts, err := p.resourceSets(id, "action", "symmetrical", "require-all")
	if err != nil {
		return nil, err
	}
	simple(e, sets, "first", "then", "action")
	for _, o := range opts {
		e.Set(o[0], o[1])
	}
	return &Object{Kind: KindOrder, ID: id, Elem: e}, nil
}

// resourceSets reads the resources of an order or colocation: plain
// RSC[:QUALIFIER] words make implicit sets (a new one where the qualifier,
// an action or a role, changes), "( ... )" a set whose members do not
// depend on each other and "[ ... ]" one of which any member will do;
// trailing name=value words named in options are the constraint's.
func (p *parser) resourceSets(id, qual string, options ...string) (sets []*cibdoc.Element, opts [][2]string, err error) {
	p.splitBrackets()
	used := ids{id: true}
	isOption := map[string]bool{}
	for _, o := range options {
		isOption[o] = true
	}
	newSet := func() *cibdoc.Element { return elem("resource_set", "id", used.take(id+"-set")) }
	var cur *cibdoc.Element // the set being filled
	inBrackets, close, refs := false, "", 0
	var open token
	for p.more() {
		t := p.next()
		switch {
		case keyword(t, "(", "["):
			if inBrackets {
				return nil, nil, p.fail(t, "sets cannot be nested", "close the set with "+close+" first")
			}
			if len(opts) > 0 {
				return nil, nil, p.fail(t, "resources after the options", "write the options at the end")
			}
			inBrackets, open, cur = true, t, newSet()
			close = map[string]string{"(": ")", "[": "]"}[t.val]
			cur.Set("sequential", "false")
			if t.val == "[" {
				cur.Set("require-all", "false")
			}
			sets = append(sets, cur)
		case keyword(t, ")", "]"):
			if !inBrackets || t.val != close {
				return nil, nil, p.fail(t, "unbalanced "+t.val, "sets are written ( A B ) or [ A B ]")
			}
			if len(cur.Children) == 0 {
				return nil, nil, p.fail(t, "empty set", "")
			}
			inBrackets, cur = false, nil
		default:
			if name, value, ok := splitNV(t); ok {
				switch {
				case inBrackets && (name == "sequential" || name == "require-all"):
					cur.Set(name, value)
				case !inBrackets && isOption[name]:
					opts = append(opts, [2]string{name, value})
				default:
					return nil, nil, p.fail(t, "unknown option", "options: "+strings.Join(options, "=, ")+"=; in a set: sequential=, require-all=")
				}
				continue
			}
			if len(opts) > 0 {
				return nil, nil, p.fail(t, "resources after the options", "write the options at the end")
			}
			rsc, q := splitRef(t)
			if !ValidID(rsc) {
				return nil, nil, p.fail(t, "invalid resource id", idHint)
			}
			if q != "" && qual == "action" && !actions[q] {
				return nil, nil, p.fail(t, "unknown action "+strconv.Quote(q), "actions: start, stop, promote, demote")
			}
			if q != "" && qual == "role" {
				if q, err = p.role(t, q); err != nil {
					return nil, nil, err
				}
			}
			if inBrackets {
				if len(cur.Children) > 0 && cur.Attr(qual) != q {
					return nil, nil, p.fail(t, "different "+qual+"s in one set", "give every member of a set the same "+qual)
				}
			} else if cur == nil || cur.Attr(qual) != q {
				cur = newSet()
				sets = append(sets, cur)
			}
			if q != "" {
				cur.Set(qual, q)
			}
			cur.Append(elem("resource_ref", "id", rsc))
			refs++
		}
	}
	if inBrackets {
		return nil, nil, p.fail(open, "set not closed", "close it with "+close)
	}
	if refs < 2 {
		hint := "write order ID KIND: FIRST[:ACTION] THEN[:ACTION]"
		if qual == "role" {
			hint = "write colocation ID SCORE: RSC[:ROLE] WITH-RSC[:ROLE]"
		}
		return nil, nil, p.fail(p.peek(), "at least two resources are needed", hint)
	}
	return sets, opts, nil
}

// splitBrackets makes brackets written against a name, "(A" or "B)",
// words of their own.
func (p *parser) splitBrackets() {
	var out []token
	for _, t := range p.st.tokens[p.pos:] {
		v := t.val
		if t.quoted || len(v) < 2 {
			out = append(out, t)
			continue
		}
		var tail *token
		if c := v[len(v)-1]; c == ')' || c == ']' {
			tail = &token{val: string(c), raw: string(c)}
			v = v[:len(v)-1]
		}
		if c := v[0]; (c == '(' || c == '[') && len(v) > 1 {
			out = append(out, token{val: string(c), raw: string(c)})
			v = v[1:]
		}
		out = append(out, token{val: v, raw: v})
		if tail != nil {
			out = append(out, *tail)
		}
	}
	p.st.tokens = append(p.st.tokens[:p.pos:p.pos], out...)
}

// defaults reads property, rsc_defaults and op_defaults: an optional set
// id ("ID:" or "$id=ID") and name=value pairs. Without an id the Object's
// ID is empty: the pairs go into the section's existing set.
func (p *parser) defaults(kind Kind, setName, defID string) (*Object, error) {
	id := ""
	if t := p.peek(); !t.quoted && strings.HasSuffix(t.val, ":") && !strings.Contains(t.val, "=") {
		p.next()
		id = strings.TrimSuffix(t.val, ":")
		if !ValidID(id) {
			return nil, p.fail(t, "invalid set id", idHint)
		}
	}
	used := ids{}
	setID := defID
	if id != "" {
		setID = id
	}
	if t := p.peek(); dollarID(t) {
		id = strings.TrimPrefix(t.val, "$id=")
		setID = id
	}
	if id != "" && !p.more() {
		// an empty set, named
		return &Object{Kind: kind, ID: id, Elem: elem(setName, "id", id)}, nil
	}
	set, err := p.nvset(setName, setID, used, string(kind))
	if err != nil {
		return nil, err
	}
	if p.more() {
		return nil, p.fail(p.peek(), "expected name=value", "write "+string(kind)+" name=value ...")
	}
	return &Object{Kind: kind, ID: id, Elem: set}, nil
}

// xml reads a raw CIB element.
func (p *parser) xml() (*Object, error) {
	text := strings.TrimSpace(p.st.text)
	text = strings.TrimSpace(strings.TrimPrefix(text, "xml"))
	e, err := cibdoc.Parse([]byte(text))
	if err != nil {
		return nil, p.fail(token{raw: firstWord(text)}, "invalid XML: "+err.Error(), "write xml <element .../> on one line")
	}
	o := &Object{Kind: KindXML, ID: e.Attr("id"), Elem: e}
	switch e.Name {
	case "rsc_defaults", "op_defaults":
		if len(e.Children) != 1 {
			return nil, p.fail(token{raw: e.Name}, "expected one set inside <"+e.Name+">", "")
		}
		o.ID = e.Children[0].Attr("id")
		return o, nil
	}
	sec, _ := sectionOf(e.Name)
	if sec == "" {
		return nil, p.fail(token{raw: "<" + e.Name}, "element does not belong to nodes, resources, constraints or crm_config", "")
	}
	if o.ID == "" {
		return nil, p.fail(token{raw: "<" + e.Name}, "element has no id", "")
	}
	return o, nil
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// dollarID reports whether t is "$id=VALUE" (the value may be quoted).
func dollarID(t token) bool { return strings.HasPrefix(t.raw, "$id=") }
