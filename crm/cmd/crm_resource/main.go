package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/cibapi"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
	"hbgo/resourced"
)

func main() {
	env := &environment{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr, now: time.Now(),
		runner: resourced.NewExecutor(resourced.DefaultConfig())}
	os.Exit(env.run(os.Args[1:]))
}

// environment is everything a run touches outside its arguments, so tests
// can supply fakes (the agent runner above all).
type environment struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	now            time.Time
	runner         resourced.Runner
}

// Exit codes of Pacemaker's crm_resource.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 64
	exitNoInput  = 66
	exitNotFound = 105 // "No such object"
)

// errNoSuchResource means -r names no configured resource.
var errNoSuchResource = errors.New("No such object")

func (e *environment) run(args []string) int {
	fs := pflag.NewFlagSet("crm_resource", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	list := fs.BoolP("list", "L", false, "list all resources")
	locate := fs.BoolP("locate", "W", false, "show where a resource runs")
	move := fs.BoolP("move", "M", false, "move a resource (cli-prefer constraint)")
	ban := fs.BoolP("ban", "B", false, "ban a resource from a node (cli-ban constraint)")
	clear := fs.BoolP("clear", "U", false, "remove cli-prefer/cli-ban constraints")
	cleanup := fs.BoolP("cleanup", "C", false, "remove failed operation history")
	refresh := fs.BoolP("refresh", "R", false, "remove all operation history")
	why := fs.BoolP("why", "Y", false, "explain why a resource runs or not")
	explainIt := fs.Bool("explain", false, "with --why: per node, the scores and the constraints that decide where the resource runs")
	queryXML := fs.BoolP("query-xml", "q", false, "show the resource's configuration")
	forceStart := fs.Bool("force-start", false, "run the agent's start action here")
	forceStop := fs.Bool("force-stop", false, "run the agent's stop action here")
	forceCheck := fs.Bool("force-check", false, "run the agent's monitor action here")
	rsc := fs.StringP("resource", "r", "", "resource id")
	node := fs.StringP("node", "N", "", "node name")
	quiet := fs.BoolP("quiet", "Q", false, "terse output")
	fs.BoolP("force", "f", false, "accepted for compatibility")
	lifetime := fs.StringP("lifetime", "u", "", "ISO 8601 duration after which --move/--ban expire")
	runDir := cibapi.RunDirFlag(fs)
	// Older Pacemaker and crmsh spelled the local agent runs debug-*.
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		switch name {
		case "debug-start":
			name = "force-start"
		case "debug-stop":
			name = "force-stop"
		case "debug-monitor":
			name = "force-check"
		}
		return pflag.NormalizedName(name)
	})
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	src, err := cibdoc.FromEnv(e.getenv, cibapi.Live(*runDir))
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return exitNoInput
	}
	root, err := src.Load()
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return storeExit(err, exitNoInput)
	}
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: invalid CIB: %v\n", err)
		return exitError
	}
	cl := status.Compute(c, root)
	before := root.String()

	if *list {
		fmt.Fprintln(e.stdout, "Full List of Resources:")
		render.ResourceList(e.stdout, cl, render.Options{Inactive: true, HideNodes: true})
		return exitOK
	}
	needRsc := func() (*status.Resource, int) {
		if *rsc == "" {
			fmt.Fprintln(e.stderr, "crm_resource: --resource is required")
			return nil, exitUsage
		}
		r := cl.Find(*rsc)
		if r == nil {
			fmt.Fprintf(e.stderr, "crm_resource: Resource '%s' not found\nError performing operation: %v\n", *rsc, errNoSuchResource)
			return nil, exitNotFound
		}
		return r, exitOK
	}
	switch {
	case *cleanup || *refresh:
		var lines []string
		if *rsc != "" {
			if _, code := needRsc(); code != exitOK {
				return code
			}
		}
		lines, err = Cleanup(root, cl, *rsc, *node, *refresh)
		if err != nil {
			fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
			return exitError
		}
		if err := cibdoc.Commit(src, before, root, cibdoc.StatusChange); err != nil {
			fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
			return storeExit(err, exitError)
		}
		for _, l := range lines {
			fmt.Fprintln(e.stdout, l)
		}
		return exitOK
	}
	r, code := needRsc()
	if r == nil {
		return code
	}
	switch {
	case *locate:
		nodes := runningOn(r)
		if len(nodes) == 0 {
			fmt.Fprintf(e.stderr, "resource %s is NOT running\n", *rsc)
			return exitOK
		}
		for _, n := range nodes {
			if *quiet {
				fmt.Fprintln(e.stdout, n)
			} else {
				fmt.Fprintf(e.stdout, "resource %s is running on: %s\n", *rsc, n)
			}
		}
		return exitOK
	case *move, *ban:
		var until time.Time
		if *lifetime != "" {
			d, err := ParseDuration(*lifetime)
			if err != nil {
				fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
				return exitUsage
			}
			until = e.now.Add(d)
			fmt.Fprintf(e.stdout, "Migration will take effect until: %s\n", until.UTC().Format("2006-01-02 15:04:05Z"))
		}
		target := *node
		if *ban && target == "" || *move && target == "" {
			nodes := runningOn(r)
			if len(nodes) != 1 {
				fmt.Fprintf(e.stderr, "crm_resource: Resource '%s' not moved: active in %d locations.\nTo prevent '%s' from running on a specific location, specify a node.\n", *rsc, len(nodes), *rsc)
				return exitError
			}
			lines, err := Ban(root, *rsc, nodes[0], until)
			if err != nil {
				fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
				return exitError
			}
			for _, l := range lines {
				fmt.Fprintln(e.stdout, l)
			}
		} else if *ban {
			lines, err := Ban(root, *rsc, target, until)
			if err != nil {
				fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
				return exitError
			}
			for _, l := range lines {
				fmt.Fprintln(e.stdout, l)
			}
		} else if err := Prefer(root, *rsc, target, until); err != nil {
			fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
			return exitError
		}
	case *clear:
		ids := Clear(root, *rsc, *node)
		for _, id := range ids {
			fmt.Fprintf(e.stdout, "Removing constraint: %s\n", id)
		}
		if *node == "" {
			// without a node every constraint goes in its own update, each
			// moving the epoch
			for i := 1; i < len(ids); i++ {
				cibdoc.Bump(root, cibdoc.ConfigChange)
			}
		}
	case *why && *explainIt:
		return e.explain(c, *rsc)
	case *why:
		for _, l := range Why(c, cl, r, *node, e.now) {
			fmt.Fprintln(e.stdout, l)
		}
		return exitOK
	case *queryXML:
		for _, p := range r.Primitives() {
			fmt.Fprintln(e.stdout, render.PrimitiveLine(p))
		}
		fmt.Fprintln(e.stdout, "Resource XML:")
		if el := configElement(root, r.ConfigID); el != nil {
			fmt.Fprint(e.stdout, el.String())
		}
		return exitOK
	case *forceStart || *forceStop || *forceCheck:
		action, name := "start", "force-start"
		if *forceStop {
			action, name = "stop", "force-stop"
		} else if *forceCheck {
			action, name = "monitor", "force-check"
		}
		return e.forceAction(c, r, action, name)
	default:
		fmt.Fprintln(e.stderr, "crm_resource: no operation given")
		return exitUsage
	}
	if err := cibdoc.Commit(src, before, root, cibdoc.ConfigChange); err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return storeExit(err, exitError)
	}
	return exitOK
}

// storeExit is the exit code for a failed load or store: the daemon
// channel's own code (not running, no quorum, ...) or def.
func storeExit(err error, def int) int {
	if code, ok := cibapi.ExitCode(err); ok {
		return code
	}
	return def
}

// runningOn lists the nodes any primitive of r is active on, once each.
func runningOn(r *status.Resource) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range r.Primitives() {
		for _, n := range p.Nodes {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// configElement finds the configuration element of a resource.
func configElement(root *cibdoc.Element, id string) *cibdoc.Element {
	res := cibdoc.Section(root, "resources")
	return res.FindID(id)
}
