package clstatus

import (
	"errors"
	"fmt"
	"io"
	"os"

	"strings"
	"time"

	"hbgo/heartbeat/api"
)

// Exit codes of cl_status.
const (
	ExitOK      = 0
	ExitFail    = 1  // "normal failure": stopped, dead, offline, unknown parameter
	ExitParam   = 11 // bad sub-command or parameters
	ExitUnknown = 13 // the daemon could not answer the question
)

// Env is what the command needs from outside: the daemon's snapshot and
// where to print.
type Env struct {
	Snapshot func() (*api.Snapshot, error)
	Stdout   io.Writer
	Stderr   io.Writer
	// LogPrefix returns the syslog-style prefix of error lines; nil uses
	// "Mon _2 15:04:05 HOST cl_status: [PID]: ".
	LogPrefix func() string
}

type opts struct {
	human, verbose, ping, normal bool
	param                        string
	paramSet                     bool
	args                         []string
}

func parse(args []string) (opts, error) {
	var o opts
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			o.args = append(o.args, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'm':
				o.human = true
			case 'v':
				o.verbose = true
			case 'p':
				o.ping = true
				// hbparameter takes -p NAME
				if j == len(a)-1 && i+1 < len(args) {
					o.param, o.paramSet = args[i+1], true
				}
			case 'n':
				o.normal = true
			case 'h':
				return o, errHelp
			default:
				return o, fmt.Errorf("invalid option -%c", a[j])
			}
		}
	}
	return o, nil
}

var errHelp = errors.New("help")

// Run executes cl_status with args (without the program name) and returns
// the exit code.
func Run(args []string, env Env) int {
	r := &runner{env: env}
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	cmd := args[0]
	if cmd == "-h" || cmd == "--help" {
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	o, err := parse(args[1:])
	if err == errHelp {
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	if err != nil {
		r.logErr("%v", err)
		return ExitParam
	}
	h, ok := handlers[cmd]
	if !ok {
		r.logErr("%s: invalid sub-command.", cmd)
		return ExitParam
	}
	if cmd == "hbparameter" && o.paramSet {
		// the value of -p is the parameter name, not an argument
		o.args = removeFirst(o.args, o.param)
	}
	if cmd != "hbstatus" {
		if rc, ok := r.checkArgs(cmd, o); !ok {
			return rc
		}
	}
	snap, err := env.Snapshot()
	if err != nil {
		if cmd == "hbstatus" {
			fmt.Fprintln(env.Stdout, "Heartbeat is stopped on this machine.")
			return ExitFail
		}
		r.logErr("Cannot signon with heartbeat")
		r.logErr("REASON: hb_api_signon: Can't initiate connection to heartbeat")
		return ExitFail
	}
	return h(r, snap, o)
}

func removeFirst(s []string, v string) []string {
	for i, x := range s {
		if x == v {
			return append(s[:i:i], s[i+1:]...)
		}
	}
	return s
}

type runner struct{ env Env }

func (r *runner) out(format string, args ...any) { fmt.Fprintf(r.env.Stdout, format+"\n", args...) }

func (r *runner) logErr(format string, args ...any) {
	prefix := ""
	if r.env.LogPrefix != nil {
		prefix = r.env.LogPrefix()
	} else {
		host, _ := os.Hostname()
		prefix = fmt.Sprintf("%s %s cl_status: [%d]: ", time.Now().Format("Jan _2 15:04:05"), host, os.Getpid())
	}
	fmt.Fprintf(r.env.Stderr, "%sERROR: %s\n", prefix, fmt.Sprintf(format, args...))
}

// checkArgs verifies the parameter count before the daemon is asked.
func (r *runner) checkArgs(cmd string, o opts) (int, bool) {
	need := map[string]int{"nodestatus": 1, "nodetype": 1, "nodeweight": 1, "nodesite": 1,
		"listhblinks": 1, "hblinkstatus": 2, "clientstatus": 2}[cmd]
	if len(o.args) >= need {
		if cmd == "hbparameter" && !o.paramSet {
			r.logErr("parameter name required")
			return ExitParam, false
		}
		return 0, true
	}
	if cmd == "listhblinks" {
		fmt.Fprintln(r.env.Stderr, "No enough parameter.")
	} else {
		fmt.Fprintln(r.env.Stderr, "Not enough parameters.")
	}
	return ExitParam, false
}

type handler func(r *runner, s *api.Snapshot, o opts) int

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"hbstatus":     hbstatus,
		"listnodes":    listnodes,
		"nodestatus":   nodestatus,
		"nodetype":     nodetype,
		"nodeweight":   nodeweight,
		"nodesite":     nodesite,
		"listhblinks":  listhblinks,
		"hblinkstatus": hblinkstatus,
		"clientstatus": clientstatus,
		"rscstatus":    rscstatus,
		"hbparameter":  hbparameter,
	}
}

func hbstatus(r *runner, s *api.Snapshot, o opts) int {
	if !o.verbose {
		r.out("Heartbeat is running on this machine.")
		return ExitOK
	}
	if o.human {
		r.out("Heartbeat version %s", s.Version)
	} else {
		r.out("version:\t%s", s.Version)
	}
	switch {
	case s.ManagedBy == "pacemaker" && o.human:
		r.out("Resources controlled by Pacemaker.")
	case s.ManagedBy == "pacemaker":
		r.out("managed by:\tpacemaker\t(%s)", s.CRMValue)
	case o.human:
		r.out("Resources controlled by \"haresources\"")
	default:
		r.out("managed by:\t\"haresources\"")
	}
	verboseNodes(r, s, opts{})
	return ExitOK
}

func verboseNodes(r *runner, s *api.Snapshot, o opts) {
	for _, n := range s.Nodes {
		if !wanted(n, o) {
			continue
		}
		r.out("")
		r.out("%s\t%s\t(nodetype: %s)", n.Name, n.Status, n.Type)
		for _, l := range n.Links {
			r.out("\t%s\t%s", l.Name, l.Status)
		}
	}
}

func wanted(n api.Node, o opts) bool {
	if o.ping == o.normal { // neither or both: every node
		return true
	}
	return (o.ping && n.Type == "ping") || (o.normal && n.Type != "ping")
}

func listnodes(r *runner, s *api.Snapshot, o opts) int {
	if o.verbose {
		verboseNodes(r, s, o)
		return ExitOK
	}
	if o.human {
		r.out("The nodes are as follow:")
	}
	for _, n := range s.Nodes {
		if wanted(n, o) {
			r.out("%s", n.Name)
		}
	}
	return ExitOK
}

func (r *runner) node(s *api.Snapshot, name string) *api.Node {
	n := s.FindNode(strings.ToLower(name))
	if n == nil {
		fmt.Fprintln(r.env.Stderr, "Error. May be due to incorrect node name")
	}
	return n
}

func nodestatus(r *runner, s *api.Snapshot, o opts) int {
	n := r.node(s, o.args[0])
	if n == nil {
		return ExitParam
	}
	if o.human {
		r.out("The cluster node %s is %s", o.args[0], n.Status)
	} else {
		r.out("%s", n.Status)
	}
	switch n.Status {
	case "active", "up", "ping":
		return ExitOK
	}
	return ExitFail
}

func nodetype(r *runner, s *api.Snapshot, o opts) int {
	n := r.node(s, o.args[0])
	if n == nil {
		return ExitParam
	}
	if o.human {
		r.out("The node %s's type: %s", o.args[0], n.Type)
	} else {
		r.out("%s", n.Type)
	}
	return ExitOK
}

func nodeweight(r *runner, s *api.Snapshot, o opts) int {
	n := r.node(s, o.args[0])
	if n == nil {
		return ExitParam
	}
	r.out("%d", n.Weight)
	return ExitOK
}

func nodesite(r *runner, s *api.Snapshot, o opts) int {
	n := r.node(s, o.args[0])
	if n == nil {
		return ExitParam
	}
	r.out("%s", n.Site)
	return ExitOK
}

func listhblinks(r *runner, s *api.Snapshot, o opts) int {
	n := s.FindNode(strings.ToLower(o.args[0]))
	if n == nil {
		r.logErr("Cannot start heartbeat link interface walk.")
		r.logErr("REASON: EINVAL")
		return ExitUnknown
	}
	if o.human {
		r.out("\tthis node has the following heartbeat links:")
	}
	for _, l := range n.Links {
		if o.verbose {
			r.out("\t%s\t%s", l.Name, l.Status)
		} else {
			r.out("\t%s", l.Name)
		}
	}
	return ExitOK
}

func hblinkstatus(r *runner, s *api.Snapshot, o opts) int {
	var link *api.Link
	if n := s.FindNode(strings.ToLower(o.args[0])); n != nil {
		for i := range n.Links {
			if n.Links[i].Name == o.args[1] {
				link = &n.Links[i]
			}
		}
	}
	if link == nil {
		r.logErr("Cannot get heartbeat link status")
		r.logErr("REASON: ")
		return ExitUnknown
	}
	if o.human {
		r.out("The node %s's heartbeat link %s is %s", o.args[0], o.args[1], link.Status)
	} else {
		r.out("%s", link.Status)
	}
	if link.Status == "up" {
		return ExitOK
	}
	return ExitFail
}

func clientstatus(r *runner, s *api.Snapshot, o opts) int {
	st := s.Clients[strings.ToLower(o.args[0])+"/"+o.args[1]]
	if st == "" {
		st = "offline"
	}
	r.out("%s", st)
	return map[string]int{"online": 0, "offline": 1, "join": 2, "leave": 3}[st]
}

func rscstatus(r *runner, s *api.Snapshot, o opts) int {
	if s.ManagedBy == "pacemaker" {
		r.logErr("Resources are managed by Pacemaker: try crm_mon")
		return ExitFail
	}
	if o.human {
		r.out("This node is holding %s resources.", s.RscStatus)
	} else {
		r.out("%s", s.RscStatus)
	}
	return ExitOK
}

func hbparameter(r *runner, s *api.Snapshot, o opts) int {
	v, ok := s.Params[o.param]
	if !ok {
		r.logErr("Cannot get parameter %s's value", o.param)
		r.logErr("REASON: ")
		return ExitFail
	}
	if o.human {
		r.out("Heartbeat parameter %s's value: %s", o.param, v)
	} else {
		r.out("%s", v)
	}
	return ExitOK
}

const usage = `Usage: cl_status <sub-command> [<options>] [<parameters>]

Sub-commands:
clientstatus <node-name> <client-id> [<timeout>]
	Show the status of heartbeat clients.
hblinkstatus <node-name> <link-name>
	Show the status of a heartbeat link
hbstatus
	Indicate if heartbeat is running on the local system.
	Options:
		-v	verbose: also add "listnodes -v" output
listnodes [<option>]
	List the nodes in the cluster.
	Options:
		-p	list only 'ping' type nodes
		-n	list only 'normal' type nodes
		-v	verbose: also list type and status,
			then add "listhblinks -v" output
listhblinks <node-name>
	List the network interfaces used as hearbeat links.
	Options:
		-v	verbose: list link status as well
nodestatus <node-name>
	List the node status.
nodeweight <node-name>
	List the node weight.
nodesite <node-name>
	List the node site.
nodetype <node-name>
	List the nodes of a given type.
rscstatus
	Show the status of cluster resources.
hbparameter -p <parameter-name>
	Retrieve the value of a cluster parameter.
	As for the valid parameter names, please refer to the man page.
`
