package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now()))
}

func run(args []string, stdout, stderr io.Writer, now time.Time) int {
	fs := pflag.NewFlagSet("crm_simulate", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	xmlFile := fs.StringP("xml-file", "x", "", "CIB to use as input")
	normalized := fs.Bool("normalized", false, "print the normalized result format")
	simulate := fs.BoolP("simulate", "S", false, "print the cluster status and the transition summary")
	showScores := fs.BoolP("show-scores", "s", false, "print allocation scores")
	saveGraph := fs.StringP("save-graph", "G", "", "write the planned actions to FILE")
	if err := fs.Parse(args); err != nil {
		return 64
	}
	if *xmlFile == "" {
		fmt.Fprintln(stderr, "crm_simulate: -x FILE is required")
		return 64
	}
	c, err := cib.ParseFile(*xmlFile)
	if err != nil {
		fmt.Fprintf(stderr, "crm_simulate: %v\n", err)
		return 2
	}
	res, err := pengine.Schedule(c, now)
	if err != nil {
		fmt.Fprintf(stderr, "crm_simulate: %v\n", err)
		return 1
	}
	if *normalized {
		for _, l := range res.Normalized() {
			fmt.Fprintln(stdout, l)
		}
	}
	if *showScores {
		for _, s := range res.Scores {
			fmt.Fprintf(stdout, "%s: %s allocation score on %s: %s\n", s.Stage, s.Resource, s.Node, s.Value)
		}
	}
	if *simulate || (!*normalized && !*showScores) {
		printSummary(stdout, res)
	}
	if *saveGraph != "" {
		if err := os.WriteFile(*saveGraph, []byte(graphText(res)), 0o644); err != nil {
			fmt.Fprintf(stderr, "crm_simulate: save graph: %v\n", err)
			return 1
		}
	}
	return 0
}

// printSummary prints the transition the way crm_simulate -S summarises
// it: per resource instance, a stop and a start become a move or a
// restart, and the cluster state after the transition follows.
func printSummary(w io.Writer, res *pengine.Result) {
	fmt.Fprintln(w, "Transition Summary:")
	for _, a := range res.Actions {
		switch a.Task {
		case "fence":
			fmt.Fprintf(w, "  * Fence (%s) %s\n", a.Fence, a.Node)
		case "shutdown":
			fmt.Fprintf(w, "  * Shutdown %s\n", a.Node)
		}
	}
	type plan struct{ stops, starts, promotes, demotes []string }
	plans := map[string]*plan{}
	var ids []string
	for _, a := range res.Actions {
		if a.Resource == "" {
			continue
		}
		p := plans[a.Resource]
		if p == nil {
			p = &plan{}
			plans[a.Resource] = p
			ids = append(ids, a.Resource)
		}
		switch a.Task {
		case "stop":
			p.stops = append(p.stops, a.Node)
		case "start":
			p.starts = append(p.starts, a.Node)
		case "promote":
			p.promotes = append(p.promotes, a.Node)
		case "demote":
			p.demotes = append(p.demotes, a.Node)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		p := plans[id]
		for len(p.stops) > 0 && len(p.starts) > 0 {
			from, to := p.stops[0], p.starts[0]
			p.stops, p.starts = p.stops[1:], p.starts[1:]
			if from == to {
				fmt.Fprintf(w, "  * %-10s %-20s ( %s )\n", "Restart", id, to)
			} else {
				fmt.Fprintf(w, "  * %-10s %-20s ( %s -> %s )\n", "Move", id, from, to)
			}
		}
		for _, n := range p.stops {
			fmt.Fprintf(w, "  * %-10s %-20s ( %s )\n", "Stop", id, n)
		}
		for _, n := range p.starts {
			fmt.Fprintf(w, "  * %-10s %-20s ( %s )\n", "Start", id, n)
		}
		for _, n := range p.demotes {
			fmt.Fprintf(w, "  * %-10s %-20s ( Promoted -> Unpromoted %s )\n", "Demote", id, n)
		}
		for _, n := range p.promotes {
			fmt.Fprintf(w, "  * %-10s %-20s ( Unpromoted -> Promoted %s )\n", "Promote", id, n)
		}
	}
	fmt.Fprintln(w, "\nRevised Cluster Status:")
	fmt.Fprintln(w, "  * Node List:")
	for _, n := range res.Nodes {
		state := "OFFLINE"
		switch {
		case n.Pending:
			state = "pending"
		case n.Online && n.Standby:
			state = "standby"
		case n.Online && n.Maintenance:
			state = "maintenance"
		case n.Online:
			state = "online"
		}
		if n.Unclean {
			state = "UNCLEAN (" + strings.ToLower(state) + ")"
		}
		fmt.Fprintf(w, "    * Node %s: %s\n", n.Name, state)
	}
	fmt.Fprintln(w, "\n  * Full List of Resources:")
	for _, r := range res.Resources {
		var flags []string
		if r.Failed {
			flags = append(flags, "FAILED")
		}
		if r.Blocked {
			flags = append(flags, "blocked")
		} else if r.Unmanaged {
			flags = append(flags, "unmanaged")
		}
		if r.Orphan {
			flags = append(flags, "ORPHANED")
		}
		extra := ""
		if len(flags) > 0 {
			extra = " (" + strings.Join(flags, ", ") + ")"
		}
		fmt.Fprintf(w, "    * %s\t%s %s%s\n", r.ID, r.Role, r.Node, extra)
	}
}

func graphText(res *pengine.Result) string {
	var b strings.Builder
	b.WriteString("<transition_graph>\n")
	for i, a := range res.Actions {
		switch a.Task {
		case "fence":
			fmt.Fprintf(&b, "  <crm_event id=\"%d\" operation=\"stonith\" on_node=\"%s\" action=\"%s\"/>\n", i, a.Node, a.Fence)
		case "shutdown":
			fmt.Fprintf(&b, "  <crm_event id=\"%d\" operation=\"do_shutdown\" on_node=\"%s\"/>\n", i, a.Node)
		default:
			fmt.Fprintf(&b, "  <rsc_op id=\"%d\" operation=\"%s\" resource=\"%s\" on_node=\"%s\"/>\n", i, a.Task, a.Resource, a.Node)
		}
	}
	b.WriteString("</transition_graph>\n")
	return b.String()
}
