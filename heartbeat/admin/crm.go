package admin

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/status/cibdoc"
)

// MoveScore is the weight of the location constraints hb_standby and
// hb_takeover write in crm mode. It outweighs the home preference and the
// stickiness hb2cib writes (hundreds) so the group moves, yet stays finite
// (Pacemaker's INFINITY is 1000000): as in v1, a node that went standby
// still takes the groups over when the node holding them dies.
const MoveScore = 100000

// ErrNoResources means the set names no resource of the CIB.
var ErrNoResources = errors.New("no resources in this set")

// ErrIDTaken means a constraint id the tools write is already used by an
// element that is not a location constraint.
var ErrIDTaken = errors.New("id already used by another element")

// PreferID and BanID are the constraint ids crm_resource --move / --ban use
// (and --clear removes); hb_takeover and hb_standby write the same, so
// `crm_resource --clear -r RSC` undoes them.
func PreferID(rsc string) string { return "cli-prefer-" + rsc }

// BanID is the id of the constraint keeping rsc away from node.
func BanID(rsc, node string) string { return "cli-ban-" + rsc + "-on-" + node }

// CRMMove is the crm-mode meaning of hb_standby (standby true) and
// hb_takeover run on node for set (all, local, foreign; takeover's
// failback means local). For each top-level resource in the set it
// replaces this node's earlier move constraints with one: -MoveScore on
// node for standby, +MoveScore on node for takeover. Takeover also clears
// node's standby attribute, since a standby node can take nothing. It
// edits root in place and returns one line per change, for the user.
//
// local and foreign are judged by each resource's home: the node of its
// highest positive location preference (hb2cib writes one per
// haresources line), not counting the move constraints themselves.
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
		// The last move wins: takeover replaces any cli-prefer- of rsc (as
		// crm_resource --move does), standby only one that pins rsc here;
		// either replaces this node's ban.
		if e := root.FindID(PreferID(rsc)); e != nil {
			if e.Name != "rsc_location" {
				return nil, fmt.Errorf("%s: %w", PreferID(rsc), ErrIDTaken)
			}
			if !standby || e.Attr("node") == node {
				e.Remove()
			}
		}
		if e := root.FindID(BanID(rsc, node)); e != nil {
			if e.Name != "rsc_location" {
				return nil, fmt.Errorf("%s: %w", BanID(rsc, node), ErrIDTaken)
			}
			e.Remove()
		}
		id, score, what := PreferID(rsc), MoveScore, "prefers"
		if standby {
			id, score, what = BanID(rsc, node), -MoveScore, "avoids"
		}
		c := &cibdoc.Element{Name: "rsc_location"}
		c.Set("id", id)
		c.Set("rsc", rsc)
		c.Set("node", node)
		c.Set("score", strconv.Itoa(score))
		cons.Append(c)
		done = append(done, fmt.Sprintf("%s %s %s (%s, score %d)", rsc, what, node, id, score))
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
