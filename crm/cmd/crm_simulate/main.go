package main

import (
	"fmt"
	"io"
	"os"
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
			fmt.Fprintf(stdout, "native_color: %s allocation score on %s: %s\n", s.Resource, s.Node, s.Value)
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

func printSummary(w io.Writer, res *pengine.Result) {
	fmt.Fprintln(w, "Transition Summary:")
	for _, a := range res.Actions {
		switch a.Task {
		case "fence":
			fmt.Fprintf(w, "  * Fence (%s) %s\n", a.Fence, a.Node)
		case "shutdown":
			fmt.Fprintf(w, "  * Shutdown %s\n", a.Node)
		default:
			fmt.Fprintf(w, "  * %-8s %s on %s\n", strings.Title(a.Task), a.Resource, a.Node) //nolint:staticcheck // ASCII task names
		}
	}
	fmt.Fprintln(w, "\nRevised Cluster Status:")
	for _, n := range res.Nodes {
		state := "OFFLINE"
		switch {
		case n.Pending:
			state = "pending"
		case n.Online && n.Standby:
			state = "standby"
		case n.Online:
			state = "online"
		}
		if n.Unclean {
			state += " (UNCLEAN)"
		}
		fmt.Fprintf(w, "  * Node %s: %s\n", n.Name, state)
	}
	for _, r := range res.Resources {
		fmt.Fprintf(w, "  * %s\t(%s):\t %s %s\n", r.ID, r.Role, r.Role, r.Node)
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
