package attrtool

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"hbgo/crm/cibapi"
	"hbgo/crm/status/cibdoc"
)

// Tool selects which command's defaults apply.
type Tool int

// The two commands built on this package.
const (
	Attribute Tool = iota // crm_attribute
	Standby               // crm_standby
)

// Exit codes as Pacemaker's tools use them.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 64
	ExitNoInput  = 66
	ExitNotFound = 105 // "No such device or address"
)

// Run executes the tool with args and returns its exit code.
func Run(tool Tool, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	prog := "crm_attribute"
	if tool == Standby {
		prog = "crm_standby"
	}
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.StringP("name", "n", "", "attribute name")
	value := fs.StringP("update", "v", "", "value to set")
	query := fs.BoolP("query", "G", false, "query the current value")
	del := fs.BoolP("delete", "D", false, "delete the attribute")
	node := fs.StringP("node", "N", "", "node the attribute belongs to")
	typ := fs.StringP("type", "t", "", "section: nodes, status, crm_config, rsc_defaults, op_defaults")
	lifetime := fs.StringP("lifetime", "l", "", "reboot (status) or forever (nodes)")
	quiet := fs.BoolP("quiet", "q", false, "print only the value")
	setID := fs.StringP("set-name", "s", "", "nvset id")
	def := fs.StringP("default", "d", "", "value to print when the attribute is unset")
	var promotion *string
	if tool == Attribute {
		promotion = fs.StringP("promotion", "p", "", "operate on the promotion score of RESOURCE (default $OCF_RESOURCE_INSTANCE); lifetime defaults to reboot")
		fs.Lookup("promotion").NoOptDefVal = promotionFromEnv
	}
	runDir := cibapi.RunDirFlag(fs)
	if tool == Attribute {
		args = joinOptionalArg(args, "-p", "--promotion")
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if !fs.Changed("run-dir") {
		// An agent's crm_attribute must reach the daemon that runs it.
		if d := getenv(EnvRunDir); d != "" {
			*runDir = d
		}
	}
	if tool == Standby {
		*name = "standby"
	}
	if promotion != nil && fs.Changed("promotion") {
		rsc := *promotion
		if rsc == promotionFromEnv {
			rsc = getenv("OCF_RESOURCE_INSTANCE")
		}
		if rsc == "" {
			fmt.Fprintf(stderr, "%s: -p/--promotion must be called from an OCF resource agent or with a resource ID specified\n", prog)
			return ExitUsage
		}
		*name = PromotionAttr(rsc)
		if *lifetime == "" {
			*lifetime = "reboot"
		}
	}
	if *name == "" {
		fmt.Fprintf(stderr, "%s: --name is required\n", prog)
		return ExitUsage
	}
	update := fs.Changed("update")
	if !update && !*del {
		*query = true
	}
	ref := cibdoc.AttrRef{Name: *name, SetID: *setID, Node: *node}
	switch {
	case *typ != "":
		ref.Scope = cibdoc.AttrScope(*typ)
	case *lifetime == "reboot":
		ref.Scope = cibdoc.ScopeStatus
	case *lifetime == "forever":
		ref.Scope = cibdoc.ScopeNodes
	case tool == Standby && *query && !update:
		// crm_standby looks at the transient value first, then the permanent one
		ref.Scope = ""
	case *node != "" || tool == Standby:
		ref.Scope = cibdoc.ScopeNodes
	default:
		ref.Scope = cibdoc.ScopeCRMConfig
	}
	if *typ == "" && *lifetime == "reboot" {
		ref.Scope = cibdoc.ScopeStatus
	}
	if (ref.Scope == cibdoc.ScopeNodes || ref.Scope == cibdoc.ScopeStatus || ref.Scope == "") && ref.Node == "" {
		ref.Node = LocalNode(getenv, os.Hostname)
	}
	src, err := cibdoc.FromEnv(getenv, cibapi.Live(*runDir))
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return ExitNoInput
	}
	root, err := src.Load()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		if code, ok := cibapi.ExitCode(err); ok {
			return code
		}
		return ExitNoInput
	}
	before := root.String()
	fail := func(err error) int {
		if errors.Is(err, cibdoc.ErrNoNode) {
			fmt.Fprintf(stderr, "%s: Could not map name=%s to a UUID\n", prog, ref.Node)
			return ExitNotFound
		}
		fmt.Fprintf(stderr, "%s: Error performing operation: %s\n", prog, describe(err))
		if code, ok := cibapi.ExitCode(err); ok {
			return code
		}
		if errors.Is(err, cibdoc.ErrNotFound) || errors.Is(err, cibdoc.ErrNoNode) {
			return ExitNotFound
		}
		return ExitError
	}
	switch {
	case *del:
		var deleted []*cibdoc.Element
		err := retryStale(func(attempt int) error {
			if attempt > 0 {
				if root, err = src.Load(); err != nil {
					return err
				}
				before = root.String()
			}
			if deleted, err = cibdoc.DeleteAttr(root, ref); err != nil {
				return err
			}
			return cibdoc.Commit(src, before, root, change(ref.Scope))
		})
		if err != nil {
			return fail(err)
		}
		for _, p := range deleted {
			kind := "attribute"
			if ref.Scope == cibdoc.ScopeCRMConfig {
				kind = "option"
			}
			fmt.Fprintf(stdout, "Deleted %s %s: id=%s name=%s\n", ref.Scope, kind, p.Attr("id"), p.Attr("name"))
		}
		return ExitOK
	case update:
		err := retryStale(func(attempt int) error {
			if attempt > 0 {
				if root, err = src.Load(); err != nil {
					return err
				}
				before = root.String()
			}
			if _, err := cibdoc.SetAttr(root, ref, *value); err != nil {
				return err
			}
			return cibdoc.Commit(src, before, root, change(ref.Scope))
		})
		if err != nil {
			return fail(err)
		}
		return ExitOK
	}
	// query
	scope := ref.Scope
	var val string
	if scope == "" {
		// crm_standby without a lifetime reports the permanent setting,
		// then the transient one, then "off"
		scope = cibdoc.ScopeNodes
		val, _, err = cibdoc.GetAttr(root, withScope(ref, cibdoc.ScopeNodes, cibdoc.ScopeNodes))
		if errors.Is(err, cibdoc.ErrNotFound) {
			scope = cibdoc.ScopeStatus
			val, _, err = cibdoc.GetAttr(root, withScope(ref, cibdoc.ScopeStatus, cibdoc.ScopeStatus))
			if errors.Is(err, cibdoc.ErrNotFound) {
				val, err = "off", nil
			}
		}
	} else {
		val, _, err = cibdoc.GetAttr(root, ref)
	}
	if err != nil && errors.Is(err, cibdoc.ErrNotFound) && fs.Changed("default") {
		val, err = *def, nil
	}
	if err != nil {
		return fail(err)
	}
	if *quiet {
		fmt.Fprintln(stdout, val)
	} else {
		fmt.Fprintf(stdout, "scope=%s  name=%s value=%s\n", scope, *name, val)
	}
	return ExitOK
}

// EnvRunDir names the environment variable that, when set, replaces the
// default of --run-dir; the daemon sets it for the agents it runs.
const EnvRunDir = "HBGO_RUN_DIR"

// promotionFromEnv is the value of a bare --promotion: the resource is
// OCF_RESOURCE_INSTANCE. It cannot be a resource id (ids are XML ids).
const promotionFromEnv = "\x00env"

// PromotionAttr is the transient node attribute holding rsc's promotion
// score, as Pacemaker 2.1.5 names it: the id is used as given, so an agent
// of an anonymous clone (run with the clone's id, without ":N") and the
// scheduler agree.
func PromotionAttr(rsc string) string { return "master-" + rsc }

// LocalNode is the node a node attribute belongs to when --node is not
// given: the node the daemon told the agent it runs on, else the daemon's
// node name, else the host name.
func LocalNode(getenv func(string) string, hostname func() (string, error)) string {
	for _, k := range []string{"OCF_RESKEY_CRM_meta_on_node", "HBGO_NODE_NAME"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	if h, err := hostname(); err == nil {
		return h
	}
	return ""
}

// joinOptionalArg gives flags with an optional argument the command-line
// meaning of Pacemaker's tools (GLib): the next word is the argument unless
// it is an option ("-p rsc" and "--promotion rsc" name rsc; "--promotion
// -v 5" names none). pflag only takes "--promotion=rsc".
func joinOptionalArg(args []string, short, long string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == short || a == long) && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, long+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// staleAttempts bounds the edits redone because the CIB changed between
// reading and committing: agents on every node set their promotion scores
// at the same moment.
const staleAttempts = 5

// retryStale runs edit (attempt 0, 1, ...) again while it fails with
// cibapi.ErrStale, up to staleAttempts times; edit must read the CIB
// afresh on every attempt after the first.
func retryStale(edit func(attempt int) error) error {
	var err error
	for i := 0; i < staleAttempts; i++ {
		if err = edit(i); !errors.Is(err, cibapi.ErrStale) {
			return err
		}
	}
	return err
}

// withScope fills in an empty scope.
func withScope(ref cibdoc.AttrRef, scope, ifEmpty cibdoc.AttrScope) cibdoc.AttrRef {
	if scope == "" {
		scope = ifEmpty
	}
	ref.Scope = scope
	return ref
}

func change(s cibdoc.AttrScope) cibdoc.Change {
	if s == cibdoc.ScopeStatus {
		return cibdoc.StatusChange
	}
	return cibdoc.ConfigChange
}

// describe maps errors to the messages Pacemaker prints.
func describe(err error) string {
	switch {
	case errors.Is(err, cibdoc.ErrNotFound), errors.Is(err, cibdoc.ErrNoNode):
		return "No such device or address"
	}
	return strings.TrimSpace(err.Error())
}
