package render

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/status"
)

const ctime = "Mon Jan _2 15:04:05 2006"

// Options are the display choices of one rendering.
type Options struct {
	Inactive   bool      // list inactive resources (-r)
	FailCounts bool      // print the migration summary (-f)
	ByNode     bool      // group resources by node (-n)
	HideNodes  bool      // omit node names of primitives (crm_resource --list)
	Now        time.Time // the "Last updated" time
	Request    string    // command line echoed in the XML
}

// ResourceList writes the resource list section the way crm_mon (and
// crm_resource --list) print it, without the heading.
func ResourceList(w io.Writer, cl *status.Cluster, o Options) {
	var lines []string
	for _, r := range cl.Resources {
		lines = append(lines, resourceLines(r, cl, o, "  ")...)
	}
	if len(lines) == 0 {
		if o.Inactive && len(cl.Resources) == 0 {
			fmt.Fprintln(w, "  * No resources")
		} else {
			fmt.Fprintln(w, "  * No active resources")
		}
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// PrimitiveLine is a primitive's line without indentation or bullet, as
// crm_resource --query-xml prints it.
func PrimitiveLine(p *status.Resource) string {
	return fmt.Sprintf("%s\t(%s):\t %s", p.ID, p.Agent, primitiveState(p, nil, false))
}

// rcText names OCF exit codes as crm_mon prints them.
var rcText = map[int]string{0: "ok", 1: "error", 2: "invalid parameter", 3: "unimplemented feature",
	4: "insufficient privileges", 5: "not installed", 6: "not configured", 7: "not running",
	8: "promoted", 9: "promoted (failed)", 190: "OCF_DEGRADED", 191: "promoted (degraded)"}

// execText names executor statuses.
var execText = map[int]string{-1: "Pending", 0: "complete", 1: "Cancelled", 2: "Timed Out",
	3: "NOT SUPPORTED", 4: "Error", 5: "Hard error", 6: "Fatal error", 7: "Not installed",
	8: "Internal communication failure", 9: "Invalid", 10: "No fence device", 11: "No secrets"}

func rcName(rc int) string {
	if s, ok := rcText[rc]; ok {
		return s
	}
	return "unknown"
}

func summaryCounts(cl *status.Cluster) (instances, disabled, blocked int) {
	for _, r := range cl.Resources {
		for _, p := range r.Primitives() {
			instances++
			if p.Disabled {
				disabled++
			}
			if p.Blocked {
				blocked++
			}
		}
	}
	return
}

func lastChange(cl *status.Cluster) string {
	s := cl.LastWritten
	if cl.UpdateUser != "" {
		s += " by " + cl.UpdateUser
	}
	if cl.UpdateClient != "" {
		s += " via " + cl.UpdateClient
	}
	if cl.UpdateOrigin != "" {
		s += " on " + cl.UpdateOrigin
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Text writes the one-shot text status.
func Text(w io.Writer, cl *status.Cluster, o Options) {
	fmt.Fprintln(w, "Cluster Summary:")
	fmt.Fprintf(w, "  * Stack: %s\n", cl.Stack)
	if cl.DC == "" {
		fmt.Fprintln(w, "  * Current DC: NONE")
	} else {
		v := cl.DCVersion
		if v == "" {
			v = "unknown"
		}
		q := "with"
		if !cl.HaveQuorum {
			q = "WITHOUT"
		}
		fmt.Fprintf(w, "  * Current DC: %s (version %s) - partition %s quorum\n", cl.DC, v, q)
	}
	fmt.Fprintf(w, "  * Last updated: %s\n", o.Now.Format(ctime))
	fmt.Fprintf(w, "  * Last change:  %s\n", lastChange(cl))
	fmt.Fprintf(w, "  * %s configured\n", plural(len(cl.Nodes), "node"))
	inst, dis, blk := summaryCounts(cl)
	line := fmt.Sprintf("  * %s configured", plural(inst, "resource instance"))
	var notes []string
	if dis > 0 {
		notes = append(notes, fmt.Sprintf("%d DISABLED", dis))
	}
	if blk > 0 {
		notes = append(notes, fmt.Sprintf("%d BLOCKED from further action due to failure", blk))
	}
	if len(notes) > 0 {
		line += " (" + strings.Join(notes, ", ") + ")"
	}
	fmt.Fprintln(w, line)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Node List:")
	if o.ByNode {
		writeByNode(w, cl, o)
	} else {
		writeNodes(w, cl)
		fmt.Fprintln(w)
		writeResources(w, cl, o)
	}
	if o.FailCounts {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Migration Summary:")
		writeFailCounts(w, cl)
	}
	if len(cl.Failures) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Failed Resource Actions:")
		for _, f := range cl.Failures {
			fmt.Fprintf(w, "  * %s\n", failureText(f))
		}
	}
}

// nodeState is the word crm_mon uses for a node that is not simply
// online or offline, or "".
func nodeState(n *status.Node) string {
	switch {
	case n.Unclean && n.Online:
		return "UNCLEAN (online)"
	case n.Unclean && n.Pending:
		return "UNCLEAN (pending)"
	case n.Unclean:
		return "UNCLEAN (offline)"
	case n.Pending:
		return "pending"
	case n.Online && n.Standby && n.Maintenance:
		return "standby (maintenance)"
	case n.Online && n.Standby && n.ResourcesRunning > 0:
		return "standby (with active resources)"
	case n.Online && n.Standby:
		return "standby"
	case n.Online && n.Maintenance:
		return "maintenance"
	case !n.Online && n.Standby:
		return "OFFLINE (standby)"
	case !n.Online && n.Maintenance:
		return "OFFLINE (maintenance)"
	}
	return ""
}

func writeNodes(w io.Writer, cl *status.Cluster) {
	var online, offline []string
	for _, n := range cl.Nodes {
		if s := nodeState(n); s != "" {
			fmt.Fprintf(w, "  * Node %s: %s\n", n.Name, s)
			continue
		}
		if n.Online {
			online = append(online, n.Name)
		} else {
			offline = append(offline, n.Name)
		}
	}
	if len(online) > 0 {
		fmt.Fprintf(w, "  * Online: [ %s ]\n", strings.Join(online, " "))
	}
	if len(offline) > 0 {
		fmt.Fprintf(w, "  * OFFLINE: [ %s ]\n", strings.Join(offline, " "))
	}
}

func writeResources(w io.Writer, cl *status.Cluster, o Options) {
	if o.Inactive {
		fmt.Fprintln(w, "Full List of Resources:")
	} else {
		fmt.Fprintln(w, "Active Resources:")
	}
	ResourceList(w, cl, o)
}

// primitiveState is the state column of a primitive's line.
func primitiveState(p *status.Resource, cl *status.Cluster, hideNodes bool) string {
	role := string(p.Role)
	if p.Failed {
		role = "FAILED"
	}
	if p.Orphan {
		role = "ORPHANED " + role
	}
	s := role
	switch {
	case len(p.Nodes) == 0:
		s = "Stopped"
	case len(p.Nodes) == 1 && !hideNodes:
		s += " " + p.Nodes[0]
	}
	var flags []string
	if len(p.Nodes) == 1 && cl != nil && !hideNodes {
		if n := cl.Node(p.Nodes[0]); n != nil && n.Unclean {
			flags = append(flags, "UNCLEAN")
		}
	}
	if p.Disabled {
		flags = append(flags, "disabled")
	}
	if p.Blocked {
		flags = append(flags, "blocked")
	} else if !p.Managed {
		flags = append(flags, "unmanaged")
	}
	if p.FailureIgnored {
		flags = append(flags, "failure ignored")
	}
	if len(flags) > 0 {
		s += " (" + strings.Join(flags, ", ") + ")"
	}
	if len(p.Nodes) > 1 && !hideNodes {
		// an instance active in several places lists them after the flags
		s += " [ " + strings.Join(p.Nodes, " ") + " ]"
	}
	return s
}

func primitiveLine(p *status.Resource, cl *status.Cluster, indent string, hideNodes bool) string {
	return fmt.Sprintf("%s* %s\t(%s):\t %s", indent, p.ID, p.Agent, primitiveState(p, cl, hideNodes))
}

func resourceLines(r *status.Resource, cl *status.Cluster, o Options, indent string) []string {
	switch r.Kind {
	case cib.Primitive:
		if !o.Inactive && !r.Active() {
			return nil
		}
		return []string{primitiveLine(r, cl, indent, o.HideNodes)}
	case cib.Group:
		if !o.Inactive && !r.Active() {
			return nil
		}
		head := indent + "* Resource Group: " + r.ID
		flags := containerFlags(r)
		if !o.Inactive {
			// without -r the stopped members are only counted
			inactive := 0
			for _, c := range r.Children {
				if !c.Active() {
					inactive++
				}
			}
			switch {
			case inactive == 1:
				flags += " (1 member inactive)"
			case inactive > 1:
				flags += fmt.Sprintf(" (%d members inactive)", inactive)
			}
		}
		head += flags + ":"
		out := []string{head}
		for _, c := range r.Children {
			out = append(out, resourceLines(c, cl, o, indent+"  ")...)
		}
		return out
	case cib.Clone:
		if !o.Inactive && !r.Active() {
			return nil
		}
		return cloneLines(r, cl, o, indent)
	}
	return nil
}

func containerFlags(r *status.Resource) string {
	var flags []string
	if r.Disabled {
		flags = append(flags, "disabled")
	}
	if !r.Managed {
		flags = append(flags, "unmanaged")
	}
	if len(flags) == 0 {
		return ""
	}
	return " (" + strings.Join(flags, ", ") + ")"
}

func cloneLines(r *status.Resource, cl *status.Cluster, o Options, indent string) []string {
	childID := ""
	if len(r.Children) > 0 {
		childID, _ = splitInstance(r.Children[0].ID)
	}
	var tags []string
	if r.Promotable {
		tags = append(tags, "promotable")
	}
	if r.Unique {
		tags = append(tags, "unique")
	}
	if r.Disabled {
		tags = append(tags, "disabled")
	}
	if !r.Managed {
		tags = append(tags, "unmanaged")
	}
	head := fmt.Sprintf("%s* Clone Set: %s [%s]", indent, r.ID, childID)
	if len(tags) > 0 {
		head += " (" + strings.Join(tags, ", ") + ")"
	}
	out := []string{head + ":"}
	in := indent + "  "
	if r.Unique {
		for _, c := range r.Children {
			if !o.Inactive && !c.Active() {
				continue
			}
			out = append(out, resourceLines(c, cl, o, in)...)
		}
		return out
	}
	// Anonymous instances in a plain state collapse into one line per role.
	// Only those count as active when deciding whether to list the nodes
	// without an instance, as Pacemaker does: an instance shown on its own
	// line (failed, unmanaged, ...) leaves room for a Stopped list.
	byRole := map[status.Role][]string{}
	summarised := 0
	running := map[string]bool{}
	for _, c := range r.Children {
		if !c.Active() {
			continue
		}
		if c.Kind == cib.Primitive && !c.Failed && c.Managed && c.Pending == "" && len(c.Nodes) == 1 {
			byRole[c.Role] = append(byRole[c.Role], c.Nodes[0])
			running[c.Nodes[0]] = true
			summarised++
			continue
		}
		if c.Kind == cib.Group && plainGroup(c) {
			n := c.Children[0].Nodes[0]
			byRole[c.Children[0].Role] = append(byRole[c.Children[0].Role], n)
			running[n] = true
			summarised++
			continue
		}
		for _, p := range c.Primitives() {
			for _, n := range p.Nodes {
				running[n] = true
			}
		}
		out = append(out, resourceLines(c, cl, o, in)...)
	}
	for _, role := range []status.Role{status.Promoted, status.Started, status.Unpromoted} {
		if ns := byRole[role]; len(ns) > 0 {
			sort.Strings(ns)
			out = append(out, fmt.Sprintf("%s* %s: [ %s ]", in, role, strings.Join(ns, " ")))
		}
	}
	if o.Inactive {
		var stopped []string
		for _, n := range cl.Nodes {
			if !running[n.Name] {
				stopped = append(stopped, n.Name)
			}
		}
		if len(stopped) > 0 && r.CloneMax > summarised {
			label := "Stopped"
			if r.Disabled {
				label = "Stopped (disabled)"
			}
			out = append(out, fmt.Sprintf("%s* %s: [ %s ]", in, label, strings.Join(stopped, " ")))
		}
	}
	return out
}

// plainGroup reports whether a cloned group instance runs every member on
// one node in one role, so it can be summarised.
func plainGroup(g *status.Resource) bool {
	if len(g.Children) == 0 {
		return false
	}
	first := g.Children[0]
	if len(first.Nodes) != 1 {
		return false
	}
	for _, c := range g.Children {
		if c.Failed || !c.Managed || len(c.Nodes) != 1 || c.Nodes[0] != first.Nodes[0] || c.Role != first.Role {
			return false
		}
	}
	return true
}

func splitInstance(id string) (string, string) {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[:i], id[i+1:]
	}
	return id, ""
}

func writeByNode(w io.Writer, cl *status.Cluster, o Options) {
	for _, n := range cl.Nodes {
		s := nodeState(n)
		if s == "" {
			s = "online"
			if !n.Online {
				s = "OFFLINE"
			}
		}
		fmt.Fprintf(w, "  * Node %s: %s:\n", n.Name, s)
		fmt.Fprintln(w, "    * Resources:")
		// a node lists what runs on it in the order of its history
		shown := map[*status.Resource]bool{}
		for _, lrmID := range n.HistoryOrder {
			base, _ := splitInstance(lrmID)
			for _, r := range cl.Resources {
				for _, p := range r.Primitives() {
					if shown[p] || !runsOn(p, n.Name) || (p.ID != lrmID && p.ConfigID != base && p.ID != base) {
						continue
					}
					shown[p] = true
					fmt.Fprintf(w, "      * %s\t(%s):\t %s\n", p.ID, p.Agent, primitiveState(p, cl, true))
				}
			}
		}
	}
	if o.Inactive {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Inactive Resources:")
		var lines []string
		for _, r := range cl.Resources {
			inactive := false
			for _, p := range r.Primitives() {
				inactive = inactive || !p.Active()
			}
			if inactive {
				lines = append(lines, resourceLines(r, cl, o, "  ")...)
			}
		}
		if len(lines) == 0 {
			lines = append(lines, "  * No inactive resources")
		}
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
}

func runsOn(p *status.Resource, node string) bool {
	for _, n := range p.Nodes {
		if n == node {
			return true
		}
	}
	return false
}

func writeFailCounts(w io.Writer, cl *status.Cluster) {
	var last string
	for _, fc := range cl.FailCounts {
		if fc.Node != last {
			fmt.Fprintf(w, "  * Node: %s:\n", fc.Node)
			last = fc.Node
		}
		count := fmt.Sprint(fc.Count)
		line := fmt.Sprintf("    * %s: migration-threshold=%d fail-count=%s", fc.Resource, fc.Threshold, count)
		if fc.LastFailure > 0 {
			line += fmt.Sprintf(" last-failure='%s'", time.Unix(fc.LastFailure, 0).Format(ctime))
		}
		fmt.Fprintln(w, line)
	}
}

func failureText(f status.Failure) string {
	rsc := f.Resource
	task := f.Task
	if f.Task == "monitor" && f.IntervalMS == 0 {
		task = "probe"
	} else if f.IntervalMS > 0 {
		task = fmt.Sprintf("%s-interval %s", interval(f.IntervalMS), f.Task)
	}
	var s string
	if f.Status == 0 {
		s = fmt.Sprintf("%s %s on %s returned '%s'", rsc, task, f.Node, rcName(f.RC))
		if f.Reason != "" {
			s += " (" + f.Reason + ")"
		}
	} else {
		st, ok := execText[f.Status]
		if !ok {
			st = "Unknown"
		}
		s = fmt.Sprintf("%s %s on %s could not be executed (%s", rsc, task, f.Node, st)
		if f.Reason != "" {
			s += ": " + f.Reason
		}
		s += ")"
	}
	if f.LastRCChange > 0 {
		s += " at " + time.Unix(f.LastRCChange, 0).Format(ctime)
		if f.ExecMS > 0 {
			s += " after " + readableMS(f.ExecMS)
		}
	}
	return s
}

// interval prints milliseconds the way crm_mon does ("10s", "1m30s").
func interval(ms int) string {
	if ms%1000 != 0 {
		return fmt.Sprintf("%dms", ms)
	}
	d := time.Duration(ms) * time.Millisecond
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	out := ""
	if h > 0 {
		out += fmt.Sprintf("%dh", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dm", m)
	}
	if s > 0 || out == "" {
		out += fmt.Sprintf("%ds", s)
	}
	return out
}

// RCText names an OCF exit code the way Pacemaker's tools print it ("ok",
// "not running", ...).
func RCText(rc int) string { return rcName(rc) }

// readableMS prints a duration in milliseconds as Pacemaker does: "40ms",
// "30.160s", "2m59.014s", "1h".
func readableMS(ms int) string {
	if ms < 1000 {
		return fmt.Sprintf("%dms", ms)
	}
	var b strings.Builder
	if h := ms / 3600000; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := ms / 60000 % 60; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	sec, frac := ms/1000%60, ms%1000
	switch {
	case frac > 0:
		fmt.Fprintf(&b, "%d.%03ds", sec, frac)
	case sec > 0:
		fmt.Fprintf(&b, "%ds", sec)
	}
	return b.String()
}
