package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/cibapi"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/crm/pengine/explain"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now(), os.Getenv))
}

// Exit codes as Pacemaker's tools use them.
const (
	exitOK      = 0
	exitError   = 1
	exitInvalid = 2
	exitUsage   = 64
)

// options are the parsed command line.
type options struct {
	xmlFile, saveGraph, saveDot, why string
	runDir                           string
	live, normalized, simulate       bool
	showScores                       bool
}

func parseArgs(args []string, stderr io.Writer) (options, bool) {
	var o options
	fs := pflag.NewFlagSet("crm_simulate", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVarP(&o.xmlFile, "xml-file", "x", "", "CIB to use as input")
	fs.BoolVarP(&o.live, "live-check", "L", false, "use the live CIB: CIB_file when set, else the daemon of --run-dir")
	fs.StringVar(&o.runDir, "run-dir", cibapi.DefaultRunDir, "run directory of the daemon to talk to")
	fs.BoolVar(&o.normalized, "normalized", false, "print the normalized result format")
	fs.BoolVarP(&o.simulate, "simulate", "S", false, "simulate the transition and print the resulting cluster status")
	fs.BoolVarP(&o.showScores, "show-scores", "s", false, "show allocation scores")
	fs.StringVarP(&o.saveGraph, "save-graph", "G", "", "write the transition graph XML to FILE")
	fs.StringVarP(&o.saveDot, "save-dotfile", "D", "", "write the transition graph in DOT format to FILE")
	fs.StringVar(&o.why, "why", "", "explain where RSC is placed and why")
	if err := fs.Parse(args); err != nil {
		return o, false
	}
	if o.xmlFile == "" && !o.live {
		fmt.Fprintln(stderr, "crm_simulate: -x FILE or -L is required")
		return o, false
	}
	return o, true
}

// load reads the CIB named by the options, both as the typed model and as
// an element tree (for the status's last-change attributes).
func load(o options, getenv func(string) string) (*cib.CIB, *cibdoc.Element, error) {
	var src cibdoc.Source = cibdoc.FileSource{Path: o.xmlFile}
	if o.xmlFile == "" {
		s, err := cibdoc.FromEnv(getenv, cibapi.Live(o.runDir))
		if err != nil {
			return nil, nil, fmt.Errorf("live CIB: %w", err)
		}
		src = s
	}
	root, err := src.Load()
	if err != nil {
		return nil, nil, err
	}
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		return nil, nil, err
	}
	return c, root, nil
}

func run(args []string, stdout, stderr io.Writer, now time.Time, getenv func(string) string) int {
	o, ok := parseArgs(args, stderr)
	if !ok {
		return exitUsage
	}
	c, root, err := load(o, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "crm_simulate: %v\n", err)
		return exitInvalid
	}
	res, err := pengine.Schedule(c, now)
	if err != nil {
		fmt.Fprintf(stderr, "crm_simulate: %v\n", err)
		return exitError
	}
	// The graph costs more than the schedule on big CIBs: build it only
	// for the outputs that show it.
	var g *graph.Graph
	if o.saveGraph != "" || o.saveDot != "" || (!o.normalized && o.why == "") {
		g = graph.Build(res, graph.Config{CIB: c, Probes: true})
	}
	if o.saveGraph != "" {
		var b bytes.Buffer
		if err := graph.Encode(&b, g); err == nil {
			err = os.WriteFile(o.saveGraph, b.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "crm_simulate: save graph: %v\n", err)
			return exitError
		}
	}
	if o.saveDot != "" {
		if err := os.WriteFile(o.saveDot, []byte(dot(g)), 0o644); err != nil {
			fmt.Fprintf(stderr, "crm_simulate: save dot file: %v\n", err)
			return exitError
		}
	}
	switch {
	case o.normalized:
		for _, l := range res.Normalized() {
			fmt.Fprintln(stdout, l)
		}
	case o.why != "":
		rep, err := explain.Explain(c, res, o.why, now)
		if err != nil {
			fmt.Fprintf(stderr, "crm_simulate: %v\n", err)
			return exitError
		}
		io.WriteString(stdout, rep.String())
	default:
		cur := status.Compute(c, root)
		for _, l := range report(o, c, cur, res, g) {
			fmt.Fprintln(stdout, l)
		}
	}
	return exitOK
}

// report is crm_simulate's text output: the current status; with -s the
// allocation scores; with -s or -S the transition summary; with -S the
// executed actions and the revised status. With -s Pacemaker 2.1.5 drops
// the headings and list bullets (plain layout); otherwise sections are
// headed and items bulleted.
func report(o options, c *cib.CIB, cur *status.Cluster, res *pengine.Result, g *graph.Graph) []string {
	rank := historyOrder(c, cur)
	next := revise(cur, res, rank)
	var lines []string
	first := true
	section := func(header string, body []string) {
		if !first {
			lines = append(lines, "")
		}
		first = false
		if header != "" {
			lines = append(lines, header)
		}
		lines = append(lines, body...)
	}
	// A CIB that records when it was scheduled is simulated at that time,
	// and Pacemaker says so before the status and again before the
	// revised status.
	dated := ""
	var head []string
	if secs, err := strconv.ParseInt(c.ExecutionDate, 10, 64); err == nil {
		dated = "Using the original execution date of: " + time.Unix(secs, 0).UTC().Format("2006-01-02 15:04:05Z")
		head = append(head, dated)
	}
	head = append(head, banner(cur)...)
	section("Current cluster status:", statusLines(displayCopy(cur, rank)))
	if o.showScores {
		section("", scoreLines(res))
	}
	if o.showScores || o.simulate {
		fences, changes := summarize(c, cur, next, res, rank)
		body := bullets(append(fences, formatChanges(changes)...))
		section("Transition Summary:", body)
	}
	if o.simulate {
		acts := newListing(c, cur, pairInstances(cur.Resources, next.Resources, rank), rank).lines(g)
		body := bullets(acts)
		if dated != "" {
			body = append(body, dated)
		}
		section("Executing Cluster Transition:", body)
		section("Revised Cluster Status:", statusLines(displayCopy(next, rank)))
	}
	if o.showScores {
		lines = plain(lines)
	}
	return append(head, lines...)
}

// banner is what Pacemaker prints before the status: a warning when
// maintenance mode is on, and the count of disabled and blocked resource
// instances when there are any, each followed by a blank line.
func banner(cl *status.Cluster) []string {
	var out []string
	if cl.Options.MaintenanceMode {
		out = append(out, "", "              *** Resource management is DISABLED ***",
			"  The cluster will not attempt to start, stop or recover services", "")
	}
	instances, disabled, blocked := 0, 0, 0
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
	if disabled > 0 || blocked > 0 {
		out = append(out, fmt.Sprintf("%d of %d resource instances DISABLED and %d BLOCKED from further action due to failure",
			disabled, instances, blocked), "")
	}
	return out
}

// displayCopy is cl with its resources prepared for display.
func displayCopy(cl *status.Cluster, rank map[string]int) *status.Cluster {
	c := *cl
	c.Resources = forDisplay(cl.Resources, rank)
	return &c
}

func statusLines(cl *status.Cluster) []string {
	var b bytes.Buffer
	writeStatus(&b, cl)
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func bullets(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "  * " + s
	}
	return out
}

// plain turns the headed layout into the plain one: headings (lines that
// end in a colon) go, bullets and indentation go, and the node list's
// "Online:"/"OFFLINE:" labels go.
func plain(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l == "" {
			out = append(out, l)
			continue
		}
		t := strings.TrimPrefix(strings.TrimLeft(l, " "), "* ")
		if strings.HasSuffix(t, ":") {
			continue
		}
		for _, label := range []string{"Online: [", "OFFLINE: ["} {
			if strings.HasPrefix(t, label) {
				t = "[" + strings.TrimPrefix(t, label)
			}
		}
		out = append(out, t)
	}
	return out
}

// scoreLines are the allocation scores in Pacemaker 2.1.5's wording.
func scoreLines(res *pengine.Result) []string {
	var out []string
	for _, s := range res.Scores {
		stage := s.Stage
		if stage == "pcmk__native_allocate" {
			stage = "pcmk__primitive_assign"
		}
		out = append(out, fmt.Sprintf("%s: %s allocation score on %s: %s", stage, s.Resource, s.Node, s.Value))
	}
	return out
}

// dot renders the graph in the DOT language as crm_simulate -D does: one
// node per action (pseudo actions with an orange label), one bold edge per
// input, listed from the last action back to the first.
func dot(g *graph.Graph) string {
	var b strings.Builder
	b.WriteString(" digraph \"g\" {\n")
	name := func(a *graph.Action) string {
		if a.Node != "" && a.Kind != graph.CRMEvent {
			return a.Key() + " " + a.Node
		}
		return a.Key()
	}
	for i := len(g.Actions) - 1; i >= 0; i-- {
		a := g.Actions[i]
		font := "black"
		if a.Kind == graph.Pseudo {
			font = "orange"
		}
		fmt.Fprintf(&b, "%q [ style=bold color=\"green\" fontcolor=%q]\n", name(a), font)
	}
	for i := len(g.Actions) - 1; i >= 0; i-- {
		a := g.Actions[i]
		for _, in := range a.Inputs {
			if f := g.Action(in); f != nil {
				fmt.Fprintf(&b, "%q -> %q [ style = bold]\n", name(f), name(a))
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}
