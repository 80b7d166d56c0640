package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
	"hbgo/resourced"
)

// Constraint ids crm_resource owns.
func preferID(rsc string) string                       { return "cli-prefer-" + rsc }
func banID(rsc, node string) string                    { return "cli-ban-" + rsc + "-on-" + node }
func isBanFor(id, rsc string) bool                     { return strings.HasPrefix(id, "cli-ban-"+rsc+"-on-") }
func banNode(id, rsc string) string                    { return strings.TrimPrefix(id, "cli-ban-"+rsc+"-on-") }
func constraints(root *cibdoc.Element) *cibdoc.Element { return cibdoc.Section(root, "constraints") }

// Prefer records that rsc should run on node (crm_resource --move -N),
// until the given time when it is not zero.
func Prefer(root *cibdoc.Element, rsc, node string, until time.Time) error {
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return err
	}
	id := preferID(rsc)
	cibdoc.SetCLILocation(root, id, rsc, node, "INFINITY", until)
	return nil
}

// Ban forbids rsc on node (until the given time when it is not zero) and
// returns the warning crm_resource prints.
func Ban(root *cibdoc.Element, rsc, node string, until time.Time) ([]string, error) {
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return nil, err
	}
	id := banID(rsc, node)
	cibdoc.SetCLILocation(root, id, rsc, node, "-INFINITY", until)
	return []string{
		fmt.Sprintf("WARNING: Creating rsc_location constraint '%s' with a score of -INFINITY for resource %s on %s.", id, rsc, node),
		fmt.Sprintf("\tThis will prevent %s from running on %s until the constraint is removed using the clear option or by editing the CIB with an appropriate tool", rsc, node),
		fmt.Sprintf("\tThis will be the case even if %s is the last node in the cluster", node),
	}, nil
}

// ErrBadDuration means a --lifetime is not an ISO 8601 duration.
var ErrBadDuration = errors.New("invalid ISO 8601 duration")

// ParseDuration reads an ISO 8601 duration ("PT1H", "P2DT30M", "P1W") as
// --lifetime takes it. Months count 30 days and years 365, as the
// duration is added to the current time.
func ParseDuration(s string) (time.Duration, error) {
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("%q: %w", s, ErrBadDuration)
	}
	var d time.Duration
	inTime := false
	num := ""
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
			continue
		case r == 'T' && !inTime && num == "":
			inTime = true
			continue
		}
		if num == "" {
			return 0, fmt.Errorf("%q: %w", s, ErrBadDuration)
		}
		n, _ := strconv.Atoi(num)
		num = ""
		unit := map[bool]map[rune]time.Duration{
			false: {'Y': 365 * 24 * time.Hour, 'M': 30 * 24 * time.Hour, 'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour},
			true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
		}[inTime][r]
		if unit == 0 {
			return 0, fmt.Errorf("%q: %w", s, ErrBadDuration)
		}
		d += time.Duration(n) * unit
	}
	if num != "" || d == 0 || strings.HasSuffix(s, "T") {
		return 0, fmt.Errorf("%q: %w", s, ErrBadDuration)
	}
	return d, nil
}

// Clear removes the cli-ban- constraints of rsc (only the one for node when
// node is set) and its cli-prefer- constraint, returning the removed ids
// in the order crm_resource reports them.
func Clear(root *cibdoc.Element, rsc, node string) []string {
	var bans, prefers []string
	for _, c := range constraints(root).All("rsc_location") {
		id := c.Attr("id")
		switch {
		case isBanFor(id, rsc) && (node == "" || banNode(id, rsc) == node):
			bans = append(bans, id)
			c.Remove()
		case id == preferID(rsc) && (node == "" || c.Attr("node") == node):
			prefers = append(prefers, id)
			c.Remove()
		}
	}
	return append(bans, prefers...)
}

// Cleanup removes operation history from the status section: for
// --cleanup the histories holding a failure, for --refresh all of them,
// limited to rsc (all its primitives and instances) and node when given,
// together with the matching fail-count and last-failure attributes. It
// returns one "Cleaned up" line per history removed.
func Cleanup(root *cibdoc.Element, cl *status.Cluster, rsc, node string, refresh bool) ([]string, error) {
	wanted := map[string]bool{}
	if rsc != "" {
		r := cl.Find(rsc)
		if r == nil {
			return nil, fmt.Errorf("resource %q: %w", rsc, errNoSuchResource)
		}
		for _, p := range r.Primitives() {
			wanted[p.ConfigID] = true
		}
	}
	failed := map[string]bool{}
	for _, f := range cl.Failures {
		failed[f.Node+"\x00"+f.Resource] = true
	}
	st := root.Child("status")
	if st == nil {
		return nil, nil
	}
	var lines []string
	for _, ns := range st.All("node_state") {
		uname := ns.Attr("uname")
		if node != "" && uname != node {
			continue
		}
		lrm := ns.Child("lrm")
		if lrm == nil || lrm.Child("lrm_resources") == nil {
			continue
		}
		cleaned := map[string]bool{}
		for _, lr := range lrm.Child("lrm_resources").All("lrm_resource") {
			id := lr.Attr("id")
			base := id
			if i := strings.LastIndexByte(id, ':'); i >= 0 {
				base = id[:i]
			}
			if rsc != "" && !wanted[base] && !wanted[id] {
				continue
			}
			if !refresh && !failed[uname+"\x00"+id] {
				continue
			}
			lr.Remove()
			cleaned[id], cleaned[base] = true, true
			lines = append(lines, fmt.Sprintf("Cleaned up %s on %s", id, uname))
		}
		if ta := ns.Child("transient_attributes"); ta != nil {
			ta.Walk(func(e *cibdoc.Element) bool {
				if e.Name != "nvpair" {
					return true
				}
				name := e.Attr("name")
				for _, prefix := range []string{"fail-count-", "last-failure-"} {
					if !strings.HasPrefix(name, prefix) {
						continue
					}
					r := strings.TrimPrefix(name, prefix)
					if i := strings.IndexByte(r, '#'); i >= 0 {
						r = r[:i]
					}
					if cleaned[r] {
						e.Remove()
					}
				}
				return true
			})
		}
	}
	return lines, nil
}

// Why explains whether a resource runs, as crm_resource --why does, and
// adds the scheduler's view when it is stopped for a reason the
// configuration alone does not show.
func Why(c *cib.CIB, cl *status.Cluster, r *status.Resource, node string, now time.Time) []string {
	nodes := runningOn(r)
	var out []string
	if node != "" {
		on := false
		for _, n := range nodes {
			on = on || n == node
		}
		if on {
			return []string{fmt.Sprintf("Resource %s is running on host %s", r.ConfigID, node)}
		}
		out = append(out, fmt.Sprintf("Resource %s is not running on host %s", r.ConfigID, node))
	} else if len(nodes) > 0 {
		return []string{fmt.Sprintf("Resource %s is running", r.ConfigID)}
	} else {
		out = append(out, fmt.Sprintf("Resource %s is not running", r.ConfigID))
	}
	if node == "" {
		if holder := stoppedBy(cl, r); holder != "" {
			out = append(out, fmt.Sprintf("Configuration specifies '%s' should remain stopped", holder))
			return out
		}
		if !r.Managed {
			out = append(out, fmt.Sprintf("Resource %s is not managed", r.ConfigID))
			return out
		}
		if res, err := pengine.Schedule(c, now); err == nil {
			if reason := blockedEverywhere(res, r); reason != "" {
				out = append(out, reason)
			}
		}
	}
	return out
}

// stoppedBy names the resource crm_resource blames when r is kept
// stopped by a target-role (its own or inherited): the top-level resource
// r belongs to, as Pacemaker reports it.
func stoppedBy(cl *status.Cluster, r *status.Resource) string {
	if !strings.EqualFold(r.TargetRole, "Stopped") {
		return ""
	}
	for _, top := range cl.Resources {
		if top == r || contains(top, r) {
			return top.ConfigID
		}
	}
	return r.ConfigID
}

func contains(parent, r *status.Resource) bool {
	for _, c := range parent.Children {
		if c == r || contains(c, r) {
			return true
		}
	}
	return false
}

// blockedEverywhere reports, from the scheduler's allocation scores, when
// no node may run the resource.
func blockedEverywhere(res *pengine.Result, r *status.Resource) string {
	ids := map[string]bool{}
	for _, p := range r.Primitives() {
		ids[p.ID] = true
		ids[p.ConfigID] = true
	}
	var nodes []string
	any := false
	for _, s := range res.Scores {
		if !ids[s.Resource] {
			continue
		}
		any = true
		if s.Value != "-INFINITY" {
			return ""
		}
		nodes = append(nodes, s.Node)
	}
	if !any {
		return ""
	}
	sort.Strings(nodes)
	return fmt.Sprintf("Resource %s cannot run anywhere: allocation score -INFINITY on %s", r.ConfigID, strings.Join(nodes, " "))
}

// findConfig returns the configured resource with the given id.
func findConfig(rs []*cib.Resource, id string) *cib.Resource {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
		if f := findConfig(r.Children, id); f != nil {
			return f
		}
	}
	return nil
}

// exitText is how crm_resource words a failed forced action.
var exitText = map[int]string{1: "Error occurred", 2: "Invalid parameter", 3: "Unimplemented",
	4: "Insufficient privileges", 5: "Not installed", 6: "Not configured", 7: "Not running",
	8: "Promoted", 9: "Promoted (failed)"}

// forceAction runs one agent action for a primitive on this machine,
// bypassing the cluster, and exits with the agent's code.
func (e *environment) forceAction(c *cib.CIB, r *status.Resource, action, name string) int {
	cr := findConfig(c.Resources, r.ConfigID)
	if cr == nil || cr.Kind != cib.Primitive {
		fmt.Fprintf(e.stderr, "crm_resource: %s works only on primitives, not %s\n", name, r.ConfigID)
		return exitUsage
	}
	agentName := cr.Class + ":" + cr.Type
	if cr.Provider != "" {
		agentName = cr.Class + ":" + cr.Provider + ":" + cr.Type
	}
	agent, err := resourced.ParseAgent(agentName)
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return exitError
	}
	params := map[string]string{}
	for _, set := range cr.Instance {
		for _, p := range set.Pairs {
			if _, ok := params[p.Name]; !ok {
				params[p.Name] = p.Value
			}
		}
	}
	op := resourced.Op{Resource: cr.ID, Agent: agent, Action: action, Params: params, Timeout: 20 * time.Second}
	for _, o := range cr.Ops {
		if o.Name == action && o.Timeout != "" {
			if ms, ok := cib.ParseIntervalMS(o.Timeout); ok && ms > 0 {
				op.Timeout = time.Duration(ms) * time.Millisecond
			}
		}
	}
	res := e.runner.Run(context.Background(), op)
	rc := int(res.RC)
	fmt.Fprintf(e.stdout, "Operation %s for %s (%s) returned %d (%s)\n", name, cr.ID, agentName, rc, render.RCText(rc))
	if rc != 0 {
		msg, ok := exitText[rc]
		if !ok {
			msg = "Error occurred"
		}
		fmt.Fprintf(e.stderr, "crm_resource: Error performing operation: %s\n", msg)
	}
	return rc
}
