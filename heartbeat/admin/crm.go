package admin

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/status/cibdoc"
)

// MoveScore is the weight of the preferences hb_standby and hb_takeover
// write in crm mode. It outweighs the home preference and the stickiness
// hb2cib writes (hundreds) so the group moves, yet stays finite
// (Pacemaker's INFINITY is 1000000) and positive: as in v1, a node that
// went standby still takes the groups over when the node holding them
// dies. A negative score (a ban) would forbid that node outright.
const MoveScore = 100000

// ErrNoResources means the set names no resource of the CIB.
var ErrNoResources = errors.New("no resources in this set")

// ErrIDTaken means a constraint id the tools write is already used by an
// element that is not a location constraint.
var ErrIDTaken = errors.New("id already used by another element")

// PreferID is the id of the preference crm_resource --move writes (and
// --clear removes); hb_standby and hb_takeover write the same, so
// `crm_resource --clear -r RSC` undoes them and the last move wins.
func PreferID(rsc string) string { return "cli-prefer-" + rsc }

// BanID is the id of the constraint crm_resource --ban writes to keep rsc
// away from node.
func BanID(rsc, node string) string { return "cli-ban-" + rsc + "-on-" + node }

// CRMMove is the crm-mode meaning of hb_standby (standby true) and
// hb_takeover run on node for set (all, local, foreign; takeover's
// failback means local). Each top-level resource in the set gets
// PreferID(rsc), replacing any earlier one: for takeover a MoveScore
// preference for node; for standby a MoveScore preference, by rule, for
// every node but this one. Takeover also lifts what keeps the set off
// node: its BanID constraints and node's standby attribute. CRMMove edits
// root in place and returns one line per change, for the user.
//
// local and foreign are judged by each resource's home: the node of its
// highest positive location preference (hb2cib writes one per
// haresources line), not counting the cli- constraints.
func CRMMove(root *cibdoc.Element, node, set string, standby bool) ([]string, error) {
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return nil, fmt.Errorf("this node (%s) is not in the CIB: %w", node, err)
	}
	if set == "failback" {
		set = "local"
	}
	cons := cibdoc.Section(root, "constraints")
	var picked []string
	for _, rsc := range topResources(root) {
		home := homeOf(cons, rsc)
		switch {
		case set == "all",
			set == "local" && home == node,
			set == "foreign" && home != "" && home != node:
			picked = append(picked, rsc)
		}
	}
	if len(picked) == 0 {
		return nil, fmt.Errorf("%s: %w", set, ErrNoResources)
	}
	var done []string
	if !standby {
		ps, err := cibdoc.DeleteAttr(root, cibdoc.AttrRef{Scope: cibdoc.ScopeNodes, Node: node, Name: "standby"})
		if err != nil && !errors.Is(err, cibdoc.ErrNotFound) {
			return nil, err
		}
		if len(ps) > 0 {
			done = append(done, fmt.Sprintf("node %s: standby cleared", node))
		}
	}
	for _, rsc := range picked {
		var drop []string
		drop = append(drop, PreferID(rsc))
		if !standby {
			drop = append(drop, BanID(rsc, node))
		}
		for _, id := range drop {
			if e := root.FindID(id); e != nil {
				if e.Name != "rsc_location" {
					return nil, fmt.Errorf("%s: %w", id, ErrIDTaken)
				}
				e.Remove()
				if id != PreferID(rsc) {
					done = append(done, fmt.Sprintf("%s: %s removed", rsc, id))
				}
			}
		}
		for _, id := range []string{"cli-prefer-rule-" + rsc, "cli-prefer-expr-" + rsc} {
			if root.FindID(id) != nil {
				return nil, fmt.Errorf("%s: %w", id, ErrIDTaken)
			}
		}
		c := &cibdoc.Element{Name: "rsc_location"}
		c.Set("id", PreferID(rsc))
		c.Set("rsc", rsc)
		score := strconv.Itoa(MoveScore)
		if standby {
			r := &cibdoc.Element{Name: "rule"}
			r.Set("id", "cli-prefer-rule-"+rsc)
			r.Set("score", score)
			x := &cibdoc.Element{Name: "expression"}
			x.Set("id", "cli-prefer-expr-"+rsc)
			x.Set("attribute", "#uname")
			x.Set("operation", "ne")
			x.Set("value", node)
			r.Append(x)
			c.Append(r)
			done = append(done, fmt.Sprintf("%s prefers any node but %s (%s, score %s)", rsc, node, PreferID(rsc), score))
		} else {
			c.Set("node", node)
			c.Set("score", score)
			done = append(done, fmt.Sprintf("%s prefers %s (%s, score %s)", rsc, node, PreferID(rsc), score))
		}
		cons.Append(c)
	}
	return done, nil
}

// topResources lists the ids of the resources directly under
// <resources>, in document order.
func topResources(root *cibdoc.Element) []string {
	var out []string
	for _, c := range cibdoc.Section(root, "resources").Children {
		switch c.Name {
		case "primitive", "group", "clone", "master", "bundle":
			out = append(out, c.Attr("id"))
		}
	}
	return out
}

// homeOf is the node of rsc's highest positive node preference, ""
// without one. Ties go to the first in node-name order, so the answer does
// not depend on the constraints' order.
func homeOf(cons *cibdoc.Element, rsc string) string {
	type pref struct {
		node  string
		score int
	}
	var prefs []pref
	for _, c := range cons.All("rsc_location") {
		id := c.Attr("id")
		if c.Attr("rsc") != rsc || c.Attr("node") == "" || strings.HasPrefix(id, "cli-prefer-") || strings.HasPrefix(id, "cli-ban-") {
			continue
		}
		s, ok := parseScore(c.Attr("score"))
		if !ok || s <= 0 {
			continue
		}
		prefs = append(prefs, pref{c.Attr("node"), s})
	}
	if len(prefs) == 0 {
		return ""
	}
	sort.Slice(prefs, func(i, j int) bool {
		if prefs[i].score != prefs[j].score {
			return prefs[i].score > prefs[j].score
		}
		return prefs[i].node < prefs[j].node
	})
	return prefs[0].node
}

// parseScore reads a CIB score: an integer or [+-]INFINITY.
func parseScore(s string) (int, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "INFINITY", "+INFINITY":
		return 1000000, true
	case "-INFINITY":
		return -1000000, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
