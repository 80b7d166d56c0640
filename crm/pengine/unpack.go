package pengine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/score"
)

// workingSet is the scheduler's mutable view of one CIB while a transition
// is computed. Every stage below reads and updates it.
type workingSet struct {
	cib *cib.CIB
	now time.Time

	opts                map[string]string
	stonithEnabled      bool
	symmetric           bool
	haveQuorum          bool
	startupFencing      bool
	stopOrphans         bool
	stopOrphanActions   bool
	maintenanceMode     bool
	startFailureFatal   bool
	stopAll             bool
	noQuorumPolicy      string
	stonithAction       string
	haveStonithResource bool
	defaultStickiness   score.Score
	placementStrategy   string

	nodes     []*node
	resources []*resource          // top-level, configuration order
	all       []*resource          // every resource including instances
	byID      map[string]*resource // configured ids and instance ids

	colocations []*colocation
	orders      []*ordering
	actions     []*action

	locations []locationRule
	scores    []AllocationScore
}

// locationRule is an unpacked rsc_location with the role it is limited to.
type locationRule struct {
	id    string
	rsc   *resource
	role  Role
	nodes map[*node]score.Score
	order []*node
}

func option(opts map[string]string, name, def string) string {
	if v, ok := opts[name]; ok {
		return v
	}
	// crm_config also accepts the old underscore spellings.
	if v, ok := opts[strings.ReplaceAll(name, "-", "_")]; ok {
		return v
	}
	return def
}

// nvsetsToMap evaluates nvsets (highest score first, first value wins) into m
// without overwriting what m already holds.
func nvsetsToMap(sets []cib.NVSet, ctx *cib.RuleContext, m map[string]string, overwrite bool) {
	idx := make([]int, len(sets))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return sets[idx[a]].Score > sets[idx[b]].Score })
	if overwrite {
		// Lowest priority first so that higher ones overwrite.
		for i, j := 0, len(idx)-1; i < j; i, j = i+1, j-1 {
			idx[i], idx[j] = idx[j], idx[i]
		}
	}
	for _, i := range idx {
		s := sets[i]
		if s.Rule != nil && !s.Rule.Eval(ctx) {
			continue
		}
		for _, p := range s.Pairs {
			if _, ok := m[p.Name]; ok && !overwrite {
				continue
			}
			m[p.Name] = p.Value
		}
	}
}

func newWorkingSet(c *cib.CIB, now time.Time) (*workingSet, error) {
	ws := &workingSet{cib: c, now: now, byID: map[string]*resource{}}
	ctx := &cib.RuleContext{Now: now}
	ws.opts = map[string]string{}
	nvsetsToMap(c.CRMConfig, ctx, ws.opts, false)
	o := ws.opts
	ws.stonithEnabled = cib.IsTrue(option(o, "stonith-enabled", "true"))
	// Watchdog-based self-fencing counts as a fencing device.
	ws.haveStonithResource = cib.IsTrue(option(o, "have-watchdog", "false"))
	ws.symmetric = cib.IsTrue(option(o, "symmetric-cluster", "true"))
	ws.startupFencing = cib.IsTrue(option(o, "startup-fencing", "true"))
	ws.stopOrphans = cib.IsTrue(option(o, "stop-orphan-resources", "true"))
	ws.stopOrphanActions = cib.IsTrue(option(o, "stop-orphan-actions", "true"))
	ws.maintenanceMode = cib.IsTrue(option(o, "maintenance-mode", "false"))
	ws.startFailureFatal = cib.IsTrue(option(o, "start-failure-is-fatal", "true"))
	ws.stopAll = cib.IsTrue(option(o, "stop-all-resources", "false"))
	ws.noQuorumPolicy = option(o, "no-quorum-policy", "stop")
	ws.stonithAction = option(o, "stonith-action", "reboot")
	if ws.stonithAction == "poweroff" {
		ws.stonithAction = "off"
	}
	ws.placementStrategy = option(o, "placement-strategy", "default")
	ws.defaultStickiness = score.MustParse(option(o, "default-resource-stickiness", "0"))
	ws.haveQuorum = c.HaveQuorum
	if ws.noQuorumPolicy == "suicide" && !ws.stonithEnabled {
		ws.noQuorumPolicy = "stop"
	}

	for i, cn := range c.Nodes {
		if cn.Type != "" && cn.Type != "member" && cn.Type != "normal" {
			continue // ping and remote nodes take no part here
		}
		n := &node{idx: i, id: cn.ID, uname: cn.Uname, attrs: map[string]string{}}
		n.unclean = ws.startupFencing && ws.stonithEnabled
		n.unseen = true
		n.isDC = c.DCUUID != "" && c.DCUUID == cn.ID
		nvsetsToMap(cn.Attrs, ctx, n.attrs, false)
		ws.nodes = append(ws.nodes, n)
	}
	for i, n := range ws.nodes {
		n.idx = i
	}

	for _, cr := range c.Resources {
		r, err := ws.unpackResource(cr, nil)
		if err != nil {
			return nil, err
		}
		if r != nil {
			ws.resources = append(ws.resources, r)
		}
	}
	return ws, nil
}

// maxInstances bounds clone-max.
const maxInstances = 1024

func (ws *workingSet) setBuiltinAttrs() {
	for _, n := range ws.nodes {
		n.attrs["#uname"] = n.uname
		n.attrs["#id"] = n.id
		n.attrs["#kind"] = "cluster"
		if n.isDC {
			n.attrs["#is_dc"] = "true"
		} else {
			n.attrs["#is_dc"] = "false"
		}
		if v, ok := ws.opts["cluster-name"]; ok {
			n.attrs["#cluster-name"] = v
		}
	}
}

func (ws *workingSet) nodeByName(name string) *node {
	for _, n := range ws.nodes {
		if n.uname == name {
			return n
		}
	}
	for _, n := range ws.nodes {
		if strings.EqualFold(n.uname, name) {
			return n
		}
	}
	return nil
}

func (ws *workingSet) nodeByIDOrName(id, name string) *node {
	for _, n := range ws.nodes {
		if id != "" && n.id == id {
			return n
		}
	}
	if name != "" {
		return ws.nodeByName(name)
	}
	return nil
}

// metaFor computes a resource's meta attributes: its own XML attributes and
// meta_attributes, then its parent's, then rsc_defaults.
func (ws *workingSet) metaFor(cr *cib.Resource, parent *resource) map[string]string {
	m := map[string]string{}
	ctx := &cib.RuleContext{Now: ws.now, Class: cr.Class, Provider: cr.Provider, Type: cr.Type}
	nvsetsToMap(cr.Meta, ctx, m, false)
	if parent != nil {
		for k, v := range parent.meta {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
	}
	nvsetsToMap(ws.cib.RscDefaults, ctx, m, false)
	return m
}

func metaBool(m map[string]string, name string, def bool) bool {
	if v, ok := m[name]; ok {
		return cib.IsTrue(v)
	}
	return def
}

func metaInt(m map[string]string, def int, names ...string) int {
	for _, name := range names {
		if v, ok := m[name]; ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				return n
			}
			s := score.MustParse(v)
			return int(s)
		}
	}
	return def
}

func (ws *workingSet) unpackResource(cr *cib.Resource, parent *resource) (*resource, error) {
	if cr.Kind == cib.Bundle {
		return nil, nil
	}
	r := &resource{id: cr.ID, baseID: cr.ID, kind: cr.Kind, cfg: cr, parent: parent,
		class: cr.Class, provider: cr.Provider, typ: cr.Type, allowed: map[*node]score.Score{},
		provisional: true, role: RoleUnknown, nextRole: RoleUnknown,
		instanceCount: map[*node]int{}}
	if err := ws.initResource(r, parent); err != nil {
		return nil, err
	}
	if _, dup := ws.byID[r.id]; !dup {
		ws.byID[r.id] = r
	}
	ws.all = append(ws.all, r)
	switch cr.Kind {
	case cib.Group:
		r.groupColocated = metaBool(r.meta, "collocated", true)
		r.groupOrdered = metaBool(r.meta, "ordered", true)
		for _, cc := range cr.Children {
			ch, err := ws.unpackResource(cc, r)
			if err != nil {
				return nil, err
			}
			r.children = append(r.children, ch)
		}
	case cib.Clone, cib.Master:
		r.promotable = cr.Kind == cib.Master || metaBool(r.meta, "promotable", false)
		nNodes := len(ws.nodes)
		r.cloneMax = metaInt(r.meta, nNodes, "clone-max")
		r.cloneNodeMax = metaInt(r.meta, 1, "clone-node-max")
		r.promotedMax = metaInt(r.meta, 1, "promoted-max", "master-max")
		r.promotedNodeMax = metaInt(r.meta, 1, "promoted-node-max", "master-node-max")
		r.interleave = metaBool(r.meta, "interleave", false)
		r.ordered = metaBool(r.meta, "ordered", false)
		r.unique = firstBool(cr, "globally-unique")
		if r.unique {
			// Agents that cannot be unique are forced anonymous.
			for _, p := range leafConfigs(cr.Children[0]) {
				switch p.Class {
				case "lsb", "systemd", "service", "upstart":
					r.unique = false
				}
			}
		}
		if _, ok := r.meta["resource-stickiness"]; !ok {
			r.meta["resource-stickiness"] = "1"
			r.stickiness = 1
		}
		if r.cloneMax > maxInstances {
			// More instances than this could never run; the cap keeps
			// hostile input from exhausting memory.
			r.cloneMax = maxInstances
		}
		for i := 0; i < r.cloneMax; i++ {
			if _, err := ws.newInstance(r, i); err != nil {
				return nil, err
			}
		}
		r.nextInstance = r.cloneMax
	}
	return r, nil
}

// firstBool reads a clone meta attribute the way Pacemaker does when it is
// given more than once: the first nvpair in document order wins.
func firstBool(cr *cib.Resource, name string) bool {
	for _, s := range cr.Meta {
		for _, p := range s.Pairs {
			if p.Name == name {
				return cib.IsTrue(p.Value)
			}
		}
	}
	return false
}

func leafConfigs(cr *cib.Resource) []*cib.Resource {
	if cr.Kind == cib.Primitive {
		return []*cib.Resource{cr}
	}
	var out []*cib.Resource
	for _, c := range cr.Children {
		out = append(out, leafConfigs(c)...)
	}
	return out
}

// newInstance creates clone instance number n (the child with ":n").
func (ws *workingSet) newInstance(clone *resource, n int) (*resource, error) {
	suffix := ":" + strconv.Itoa(n)
	tmpl := clone.cfg.Children[0]
	inst, err := ws.instantiate(tmpl, clone, suffix)
	if err != nil {
		return nil, err
	}
	clone.children = append(clone.children, inst)
	return inst, nil
}

func (ws *workingSet) instantiate(cr *cib.Resource, parent *resource, suffix string) (*resource, error) {
	r := &resource{id: cr.ID + suffix, baseID: cr.ID, kind: cr.Kind, cfg: cr, parent: parent,
		class: cr.Class, provider: cr.Provider, typ: cr.Type, allowed: map[*node]score.Score{},
		provisional: true, role: RoleUnknown, nextRole: RoleUnknown,
		instanceCount: map[*node]int{}, cloneInstance: true}
	if err := ws.initResource(r, parent); err != nil {
		return nil, err
	}
	ws.byID[r.id] = r
	ws.all = append(ws.all, r)
	if cr.Kind == cib.Group {
		r.groupColocated = metaBool(r.meta, "collocated", true)
		r.groupOrdered = metaBool(r.meta, "ordered", true)
		for _, cc := range cr.Children {
			ch, err := ws.instantiate(cc, r, suffix)
			if err != nil {
				return nil, err
			}
			r.children = append(r.children, ch)
		}
	}
	return r, nil
}

func (ws *workingSet) initResource(r *resource, parent *resource) error {
	cr := r.cfg
	r.meta = ws.metaFor(cr, parent)
	r.params = map[string]string{}
	nvsetsToMap(cr.Instance, &cib.RuleContext{Now: ws.now}, r.params, false)
	r.priority = metaInt(r.meta, 0, "priority")
	r.stickiness = score.MustParse(option(r.meta, "resource-stickiness", ws.defaultStickiness.String()))
	r.migThreshold = int(score.MustParse(option(r.meta, "migration-threshold", "INFINITY")))
	if r.migThreshold < 0 {
		r.migThreshold = 0
	}
	r.managed = metaBool(r.meta, "is-managed", cib.IsTrue(option(ws.opts, "is-managed-default", "true")))
	if metaBool(r.meta, "maintenance", false) || ws.maintenanceMode {
		r.managed = false
	}
	r.multiActive = option(r.meta, "multiple-active", "stop_start")
	if r.parent == nil || !r.top().isClone() {
		r.unique = true
	}
	if cr.Kind == cib.Primitive && cr.Class == "stonith" {
		ws.haveStonithResource = true
	}
	if cr.Kind == cib.Primitive && cr.Type == "" {
		return fmt.Errorf("resource %s: %w", cr.ID, cib.ErrMissing)
	}
	return nil
}

// targetRole is the configured target-role as a limit on the role
// (RoleUnknown when unset or when it sets no limit: Started, Promoted,
// and roles that only make sense for promotable clones elsewhere).
func (r *resource) targetRole() Role {
	v, ok := r.meta["target-role"]
	if !ok {
		return RoleUnknown
	}
	switch role := parseRole(v); role {
	case RoleStopped:
		return role
	case RoleUnpromoted:
		if r.top().promotable {
			return role
		}
	}
	return RoleUnknown
}
