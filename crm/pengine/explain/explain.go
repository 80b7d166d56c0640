package explain

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/score"
)

// ErrUnknownResource is returned by Explain for an id that is neither a
// configured resource nor an instance in the result.
var ErrUnknownResource = errors.New("explain: no such resource")

// Factor is one contribution to a resource's score on a node.
type Factor struct {
	// Source names what contributed: "location loc-1", "stickiness",
	// "colocation c1 with db", "migration-threshold", "node standby", ...
	Source string
	Score  score.Score
	// Note adds detail: the rule that matched, the fail count, where a
	// colocation's primary runs.
	Note string
}

// NodeReport is the explanation for one node.
type NodeReport struct {
	Node    string
	Factors []Factor
	// Sum is the contributions added with score arithmetic.
	Sum score.Score
	// Engine is the allocation score the policy engine recorded, "" when
	// it recorded none for this node.
	Engine string
	// Chosen is true for the node the resource ends up on.
	Chosen bool
}

// Report explains one resource's placement.
type Report struct {
	Resource string
	Nodes    []NodeReport
	// Placed lists where the resource (all its instances) runs after the
	// transition, with roles, e.g. "node1 (Started)".
	Placed []string
	// Conditions are what holds the resource back regardless of node:
	// target-role=Stopped, is-managed=false, a mandatory ordering after a
	// resource that is not running.
	Conditions []string
	// Decision is one sentence: where it goes and the deciding factor.
	Decision string
}

// Explain builds the report for rsc (a primitive, group or clone id, or a
// clone instance "rsc:N") from the CIB and the engine's result for it.
func Explain(c *cib.CIB, res *pengine.Result, rsc string, now time.Time) (*Report, error) {
	base := rsc
	if i := strings.LastIndexByte(rsc, ':'); i >= 0 {
		base = rsc[:i]
	}
	cr, chain := findResource(c.Resources, base, nil)
	if cr == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownResource, rsc)
	}
	x := &explainer{c: c, res: res, now: now, props: flatten(c.CRMConfig), defaults: flatten(c.RscDefaults)}
	rep := &Report{Resource: rsc}
	prims := primitiveIDs(cr)
	for _, s := range res.Resources {
		if contains(prims, baseOf(s.ID)) && (s.ID == rsc || baseOf(s.ID) == base || rsc == cr.ID || containsPrefix(prims, s.ID)) {
			rep.Placed = append(rep.Placed, fmt.Sprintf("%s on %s (%s)", s.ID, s.Node, s.Role))
		}
	}
	ids := append([]string{}, chainIDs(chain)...)
	ids = append(ids, cr.ID)
	for _, n := range x.nodeNames() {
		nr := NodeReport{Node: n}
		nr.Factors = x.factors(cr, ids, n)
		nr.Sum = 0
		for _, f := range nr.Factors {
			nr.Sum = score.Add(nr.Sum, f.Score)
		}
		nr.Engine = x.engineScore(rsc, cr, n)
		for _, s := range res.Resources {
			if s.Node == n && (s.ID == rsc || (contains(prims, baseOf(s.ID)) && rsc == cr.ID) || contains(prims, s.ID)) {
				nr.Chosen = true
			}
		}
		rep.Nodes = append(rep.Nodes, nr)
	}
	rep.Conditions = x.conditions(append(ids, chainIDsBelow(cr)...))
	rep.Decision = decide(rep)
	return rep, nil
}

type explainer struct {
	c               *cib.CIB
	res             *pengine.Result
	now             time.Time
	props, defaults map[string]string
}

func (x *explainer) nodeNames() []string {
	var out []string
	for _, n := range x.c.Nodes {
		out = append(out, n.Uname)
	}
	return out
}

// factors lists what bears on ids (the resource and its ancestors, outermost
// first) on node n.
func (x *explainer) factors(cr *cib.Resource, ids []string, n string) []Factor {
	var out []Factor
	out = append(out, x.nodeFactors(n)...)
	if !cib.IsTrue(orDefault(x.props["symmetric-cluster"], "true")) {
		out = append(out, Factor{Source: "symmetric-cluster=false", Score: score.NegInfinity, Note: "no location constraint allows it"})
	}
	for _, id := range ids {
		out = append(out, x.locations(id, n)...)
	}
	for _, id := range ids {
		out = append(out, x.colocations(id, n)...)
	}
	out = append(out, x.groupOrder(cr, n)...)
	out = append(out, x.stickiness(cr, n)...)
	out = append(out, x.failures(cr, n)...)
	// A location allowing the node lifts an asymmetric cluster's default ban.
	if !cib.IsTrue(orDefault(x.props["symmetric-cluster"], "true")) {
		for _, f := range out[1:] {
			if strings.HasPrefix(f.Source, "location ") && f.Score >= 0 {
				out = removeSource(out, "symmetric-cluster=false")
				break
			}
		}
	}
	return out
}

func removeSource(fs []Factor, src string) []Factor {
	var out []Factor
	for _, f := range fs {
		if f.Source != src {
			out = append(out, f)
		}
	}
	return out
}

// nodeFactors are the node conditions that keep every resource off n.
func (x *explainer) nodeFactors(n string) []Factor {
	var st *cib.NodeState
	for i := range x.c.Status {
		if x.c.Status[i].Uname == n {
			st = &x.c.Status[i]
		}
	}
	var out []Factor
	if st == nil || st.Crmd == "offline" || (st.HasInCCM && st.InCCM != "true") {
		out = append(out, Factor{Source: "node offline", Score: score.NegInfinity})
	}
	for _, nn := range x.res.Nodes {
		if nn.Name != n {
			continue
		}
		if nn.Unclean {
			out = append(out, Factor{Source: "node unclean", Score: score.NegInfinity})
		}
		if nn.Standby {
			out = append(out, Factor{Source: "node standby", Score: score.NegInfinity})
		}
		if nn.Maintenance {
			out = append(out, Factor{Source: "node maintenance", Score: score.NegInfinity, Note: "resources are left alone"})
		}
	}
	return out
}

func (x *explainer) nodeAttrs(n string) map[string]string {
	m := map[string]string{"#uname": n, "#kind": "cluster"}
	for _, nd := range x.c.Nodes {
		if nd.Uname == n {
			m["#id"] = nd.ID
			for k, v := range flatten(nd.Attrs) {
				m[k] = v
			}
		}
	}
	for _, st := range x.c.Status {
		if st.Uname == n {
			for k, v := range flatten(st.Transient) {
				m[k] = v
			}
		}
	}
	return m
}

// locations are the rsc_location constraints on id that apply to n.
func (x *explainer) locations(id, n string) []Factor {
	var out []Factor
	for _, l := range x.c.Locations {
		if l.Rsc != id && !inSets(l.Sets, id) {
			continue
		}
		src := "location " + l.ID
		if l.Role != "" {
			src += " (role " + l.Role + ")"
		}
		if l.Node != "" {
			if l.Node == n {
				out = append(out, Factor{Source: src, Score: l.Score})
			}
			continue
		}
		ctx := &cib.RuleContext{NodeAttrs: x.nodeAttrs(n), Now: x.now}
		for _, r := range l.Rules {
			if !r.Eval(ctx) {
				continue
			}
			s := r.Score
			note := "rule " + r.ID
			if r.ScoreAttribute != "" {
				v, ok := score.Parse(ctx.NodeAttrs[r.ScoreAttribute])
				if !ok {
					continue
				}
				s = v
				note += " (score from attribute " + r.ScoreAttribute + ")"
			}
			out = append(out, Factor{Source: src, Score: s, Note: note})
		}
	}
	return out
}

// where lists the nodes id (or any of its instances or members) runs on
// after the transition.
func (x *explainer) where(id string) []string {
	cr, _ := findResource(x.c.Resources, id, nil)
	var prims []string
	if cr != nil {
		prims = primitiveIDs(cr)
	} else {
		prims = []string{id}
	}
	var out []string
	for _, s := range x.res.Resources {
		if contains(prims, baseOf(s.ID)) || contains(prims, s.ID) {
			if !contains(out, s.Node) {
				out = append(out, s.Node)
			}
		}
	}
	return out
}

// colocations are the constraints placing id relative to another resource.
func (x *explainer) colocations(id, n string) []Factor {
	var out []Factor
	for _, co := range x.c.Colocations {
		if co.Rsc != id || co.WithRsc == "" {
			continue
		}
		at := x.where(co.WithRsc)
		on := contains(at, n)
		src := "colocation " + co.ID + " with " + co.WithRsc
		note := co.WithRsc + " runs on " + strings.Join(at, ",")
		if len(at) == 0 {
			note = co.WithRsc + " is not running"
		}
		switch {
		case on && co.Score > 0:
			out = append(out, Factor{Source: src, Score: co.Score, Note: note})
		case !on && co.Score >= score.Infinity:
			out = append(out, Factor{Source: src, Score: score.NegInfinity, Note: note})
		case on && co.Score < 0:
			out = append(out, Factor{Source: src, Score: co.Score, Note: note})
		}
	}
	return out
}

// groupOrder is a group member's implicit colocation with the member
// before it: members of a group run together, in order.
func (x *explainer) groupOrder(cr *cib.Resource, n string) []Factor {
	_, chain := findResource(x.c.Resources, cr.ID, nil)
	if len(chain) == 0 {
		return nil
	}
	g := chain[len(chain)-1]
	if g.Kind != cib.Group {
		return nil
	}
	for i, m := range g.Children {
		if m != cr || i == 0 {
			continue
		}
		prev := g.Children[i-1].ID
		at := x.where(prev)
		if contains(at, n) {
			return nil
		}
		note := prev + " is not running"
		if len(at) > 0 {
			note = prev + " runs on " + strings.Join(at, ",")
		}
		return []Factor{{Source: "group " + g.ID + ": with previous member " + prev, Score: score.NegInfinity, Note: note}}
	}
	return nil
}

// currentNodes lists where the status section says a primitive of cr is
// active (a successful start or promote recorded last).
func (x *explainer) currentNodes(cr *cib.Resource) []string {
	prims := primitiveIDs(cr)
	var out []string
	for _, st := range x.c.Status {
		for _, lr := range st.Resources {
			if !contains(prims, baseOf(lr.ID)) {
				continue
			}
			if active(lr.Ops) && !contains(out, st.Uname) {
				out = append(out, st.Uname)
			}
		}
	}
	return out
}

// active reports whether the last state-changing operation left the
// resource running.
func active(ops []cib.LRMOp) bool {
	sorted := append([]cib.LRMOp(nil), ops...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].CallID < sorted[j].CallID })
	run := false
	for _, op := range sorted {
		switch {
		case op.Operation == "stop" && op.RC == 0:
			run = false
		case (op.Operation == "start" || op.Operation == "promote" || op.Operation == "demote") && op.RC == 0:
			run = true
		case op.Operation == "monitor" && op.IntervalMS == 0:
			run = op.RC == 0 || op.RC == 8
		}
	}
	return run
}

// stickiness is the resource-stickiness bonus on the node it runs on now.
func (x *explainer) stickiness(cr *cib.Resource, n string) []Factor {
	if !contains(x.currentNodes(cr), n) {
		return nil
	}
	v := metaValue(cr, "resource-stickiness")
	src := "resource-stickiness"
	if v == "" {
		v = x.defaults["resource-stickiness"]
		src += " (rsc_defaults)"
	}
	if v == "" {
		return nil
	}
	s, ok := score.Parse(v)
	if !ok || s == 0 {
		return nil
	}
	return []Factor{{Source: src, Score: s, Note: "it runs here now"}}
}

// failures compare the fail count on n with migration-threshold.
func (x *explainer) failures(cr *cib.Resource, n string) []Factor {
	prims := primitiveIDs(cr)
	total := score.Score(0)
	for _, st := range x.c.Status {
		if st.Uname != n {
			continue
		}
		for _, set := range st.Transient {
			for _, p := range set.Pairs {
				if !strings.HasPrefix(p.Name, "fail-count-") {
					continue
				}
				rest := strings.TrimPrefix(p.Name, "fail-count-")
				if i := strings.IndexByte(rest, '#'); i >= 0 {
					rest = rest[:i]
				}
				if !contains(prims, baseOf(rest)) && !contains(prims, rest) {
					continue
				}
				if v, ok := score.Parse(p.Value); ok {
					total = score.Add(total, v)
				}
			}
		}
	}
	if total <= 0 {
		return nil
	}
	thr := metaValue(cr, "migration-threshold")
	if thr == "" {
		thr = x.defaults["migration-threshold"]
	}
	t, ok := score.Parse(thr)
	if !ok || t <= 0 {
		return []Factor{{Source: "fail count", Score: 0, Note: "fail count " + total.String() + ", no migration-threshold"}}
	}
	if total >= t {
		return []Factor{{Source: "migration-threshold", Score: score.NegInfinity,
			Note: "fail count " + total.String() + " reached migration-threshold " + strconv.Itoa(int(t))}}
	}
	return []Factor{{Source: "fail count", Score: 0, Note: "fail count " + total.String() + " below migration-threshold " + strconv.Itoa(int(t))}}
}

// engineScore is the last allocation score the engine recorded for the
// resource on n (for a group or clone, its first primitive instance's).
func (x *explainer) engineScore(rsc string, cr *cib.Resource, n string) string {
	want := map[string]bool{rsc: true}
	if cr.Kind == cib.Clone || cr.Kind == cib.Master {
		want = map[string]bool{cr.ID: true}
	} else if cr.Kind != cib.Primitive {
		prims := primitiveIDs(cr)
		if len(prims) > 0 {
			want[prims[0]] = true
		}
	}
	v := ""
	for _, s := range x.res.Scores {
		if s.Node == n && (want[s.Resource] || want[baseOf(s.Resource)]) {
			v = s.Value
		}
	}
	return v
}

// conditions lists what keeps the resources ids (the resource, its
// ancestors and its members) from running wherever they are placed.
func (x *explainer) conditions(ids []string) []string {
	var out []string
	for _, id := range ids {
		cr, _ := findResource(x.c.Resources, id, nil)
		if cr == nil {
			continue
		}
		meta := flatten(cr.Meta)
		if strings.EqualFold(meta["target-role"], "Stopped") {
			out = append(out, "target-role=Stopped on "+id)
		}
		if v, ok := meta["is-managed"]; ok && !cib.IsTrue(v) {
			out = append(out, "is-managed=false on "+id+": the cluster leaves it as it is")
		}
	}
	if cib.IsTrue(x.props["maintenance-mode"]) {
		out = append(out, "maintenance-mode: the cluster leaves every resource as it is")
	}
	if cib.IsTrue(x.props["stop-all-resources"]) {
		out = append(out, "stop-all-resources is set")
	}
	for _, o := range x.c.Orders {
		if len(o.Sets) > 0 || strings.EqualFold(o.Kind, "Optional") || strings.EqualFold(o.Kind, "Serialize") || (o.HasScore && o.Score == 0 && o.Kind == "") {
			continue
		}
		if !contains(ids, o.Then) || o.First == "" {
			continue
		}
		if !x.fullyRunning(o.First) {
			out = append(out, "order "+o.ID+": starts after "+o.First+", which will not be (fully) running")
		}
	}
	return out
}

// fullyRunning reports whether id counts as started for what is ordered
// after it: a group needs every member running, a clone or primitive at
// least one instance.
func (x *explainer) fullyRunning(id string) bool {
	cr, _ := findResource(x.c.Resources, id, nil)
	if cr != nil && cr.Kind == cib.Group {
		for _, m := range cr.Children {
			if len(x.where(m.ID)) == 0 {
				return false
			}
		}
		return true
	}
	return len(x.where(id)) > 0
}

// chainIDsBelow lists the ids of r's descendants.
func chainIDsBelow(r *cib.Resource) []string {
	var out []string
	for _, c := range r.Children {
		out = append(out, c.ID)
		out = append(out, chainIDsBelow(c)...)
	}
	return out
}

// decide summarises the outcome in one sentence.
func decide(r *Report) string {
	var chosen []string
	for _, n := range r.Nodes {
		if n.Chosen {
			chosen = append(chosen, n.Node)
		}
	}
	if len(chosen) == 0 {
		var why []string
		for _, n := range r.Nodes {
			if f, ok := deciding(n); ok {
				why = append(why, n.Node+": "+f.Source)
			}
		}
		if len(r.Conditions) > 0 {
			return r.Resource + " is stopped: " + strings.Join(r.Conditions, "; ")
		}
		s := r.Resource + " is stopped: no node can run it"
		if len(why) > 0 {
			s += " (" + strings.Join(why, "; ") + ")"
		}
		return s
	}
	s := r.Resource + " runs on " + strings.Join(chosen, ", ")
	for _, n := range r.Nodes {
		if n.Chosen {
			if f, ok := strongest(n); ok {
				s += "; strongest factor on " + n.Node + ": " + f.Source + " (" + f.Score.String() + ")"
			}
			break
		}
	}
	if len(r.Conditions) > 0 {
		// Part of it (a member, some instances) is held back.
		s += "; held back: " + strings.Join(r.Conditions, "; ")
	}
	return s
}

// deciding is the factor that bans a node, if one does.
func deciding(n NodeReport) (Factor, bool) {
	for _, f := range n.Factors {
		if f.Score == score.NegInfinity {
			return f, true
		}
	}
	return Factor{}, false
}

func strongest(n NodeReport) (Factor, bool) {
	var best Factor
	found := false
	for _, f := range n.Factors {
		if !found || f.Score > best.Score {
			best, found = f, true
		}
	}
	return best, found && best.Score > 0
}

// String renders the report as a table for admins.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Resource %s\n", r.Resource)
	for _, n := range r.Nodes {
		mark := " "
		if n.Chosen {
			mark = "*"
		}
		eng := n.Engine
		if eng == "" {
			eng = "-"
		}
		fmt.Fprintf(&b, "%s %s: score %s (engine %s)\n", mark, n.Node, n.Sum, eng)
		for _, f := range n.Factors {
			line := fmt.Sprintf("    %-12s %s", f.Score.String(), f.Source)
			if f.Note != "" {
				line += ": " + f.Note
			}
			b.WriteString(line + "\n")
		}
		if len(n.Factors) == 0 {
			b.WriteString("    0            no constraint applies\n")
		}
	}
	for _, c := range r.Conditions {
		fmt.Fprintf(&b, "Condition: %s\n", c)
	}
	if len(r.Placed) > 0 {
		fmt.Fprintf(&b, "Placed: %s\n", strings.Join(r.Placed, ", "))
	}
	fmt.Fprintf(&b, "Decision: %s\n", r.Decision)
	return b.String()
}

func findResource(rs []*cib.Resource, id string, chain []*cib.Resource) (*cib.Resource, []*cib.Resource) {
	for _, r := range rs {
		if r.ID == id {
			return r, chain
		}
		if f, ch := findResource(r.Children, id, append(append([]*cib.Resource{}, chain...), r)); f != nil {
			return f, ch
		}
	}
	return nil, nil
}

func chainIDs(chain []*cib.Resource) []string {
	var out []string
	for _, r := range chain {
		out = append(out, r.ID)
	}
	return out
}

func primitiveIDs(r *cib.Resource) []string {
	if r.Kind == cib.Primitive {
		return []string{r.ID}
	}
	var out []string
	for _, c := range r.Children {
		out = append(out, primitiveIDs(c)...)
	}
	return out
}

func metaValue(r *cib.Resource, name string) string {
	return flatten(r.Meta)[name]
}

// flatten takes the first value of each name over sets in order.
func flatten(sets []cib.NVSet) map[string]string {
	m := map[string]string{}
	for _, s := range sets {
		for _, p := range s.Pairs {
			if _, ok := m[p.Name]; !ok {
				m[p.Name] = p.Value
			}
		}
	}
	return m
}

func inSets(sets []cib.ResourceSet, id string) bool {
	for _, s := range sets {
		if contains(s.Refs, id) {
			return true
		}
	}
	return false
}

func baseOf(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[:i]
	}
	return id
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, id string) bool {
	return contains(list, baseOf(id))
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
