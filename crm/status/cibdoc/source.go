package cibdoc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrNoSource means no CIB location is configured: CIB_file is unset and no
// daemon client has been plugged in.
var ErrNoSource = errors.New("no CIB source: set CIB_file")

// Source is where a tool reads and writes the CIB. A file is the offline
// source; a client of the running daemon satisfies the same interface.
type Source interface {
	// Load returns the current document.
	Load() (*Element, error)
	// Store replaces the whole document.
	Store(root *Element) error
}

// FileSource is a CIB kept in a file, as with Pacemaker's CIB_file.
type FileSource struct {
	Path string
}

// Load reads and parses the file.
func (f FileSource) Load() (*Element, error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("read CIB: %w", err)
	}
	root, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return root, nil
}

// Store writes the document atomically: a temporary file in the same
// directory is synced and renamed over the old one, so readers see either
// the old or the new CIB, never a partial one.
func (f FileSource) Store(root *Element) error {
	dir := filepath.Dir(f.Path)
	tmp, err := os.CreateTemp(dir, ".cib-*.xml")
	if err != nil {
		return fmt.Errorf("store CIB: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	mode := os.FileMode(0o600)
	if st, err := os.Stat(f.Path); err == nil {
		mode = st.Mode().Perm()
	}
	if _, err := tmp.WriteString(root.String()); err != nil {
		tmp.Close()
		return fmt.Errorf("store CIB: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("store CIB: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store CIB: %w", err)
	}
	if err := os.Chmod(name, mode); err != nil {
		return fmt.Errorf("store CIB: %w", err)
	}
	if err := os.Rename(name, f.Path); err != nil {
		return fmt.Errorf("store CIB: %w", err)
	}
	return nil
}

// FromEnv returns the source a tool reads: the file named by the CIB_file
// environment variable (looked up through getenv so tests need not touch
// the process environment) when it is set, else live, the client of the
// running daemon. With neither it returns ErrNoSource.
func FromEnv(getenv func(string) string, live Source) (Source, error) {
	if p := getenv("CIB_file"); p != "" {
		return FileSource{Path: p}, nil
	}
	if live != nil {
		return live, nil
	}
	return nil, ErrNoSource
}

// Change says which part of the CIB an edit touched; it decides which
// version counter moves.
type Change int

const (
	// ConfigChange is an edit of the configuration section: epoch goes up
	// and num_updates restarts at 0.
	ConfigChange Change = iota
	// StatusChange is an edit of the status section only: num_updates goes
	// up.
	StatusChange
)

// Bump advances the version counters of root after an edit, as the CIB
// manager does. Writing a CIB file leaves cib-last-written alone, as
// Pacemaker's file mode does.
func Bump(root *Element, ch Change) {
	atoi := func(name string) int {
		n, _ := strconv.Atoi(root.Attr(name))
		return n
	}
	switch ch {
	case ConfigChange:
		root.Set("epoch", strconv.Itoa(atoi("epoch")+1))
		root.Set("num_updates", "0")
	case StatusChange:
		root.Set("num_updates", strconv.Itoa(atoi("num_updates")+1))
	}
}

// Commit stores root through src when it differs from before (the
// document as loaded, rendered with String), bumping the counter ch
// names; an edit that changes nothing writes nothing, as with Pacemaker.
func Commit(src Source, before string, root *Element, ch Change) error {
	if root.String() == before {
		return nil
	}
	Bump(root, ch)
	return src.Store(root)
}

// Section returns the element a cibadmin --scope names (configuration,
// nodes, resources, constraints, crm_config, rsc_defaults, op_defaults,
// status, or the whole cib), creating missing configuration sections so an
// edit has a place to go. It returns nil for an unknown scope.
func Section(root *Element, scope string) *Element {
	switch scope {
	case "", "cib":
		return root
	case "status":
		return root.Ensure("status", "")
	case "configuration":
		return root.Ensure("configuration", "")
	case "nodes", "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults", "acls", "fencing-topology", "tags", "alerts":
		return root.Ensure("configuration", "").Ensure(scope, "")
	}
	return nil
}

// SetCLILocation creates or replaces the location constraint id that
// crm_resource --move/--ban (and the crm shell's move) write: rsc on node
// with score, or, when until is set, a rule that expires then. The rule's
// parts are named as crm_resource names them: cli-prefer-rule-RSC,
// cli-prefer-expr-RSC and cli-prefer-lifetime-end-RSC for a cli-prefer-
// id; ID-rule, ID-expr and ID-lifetime otherwise.
func SetCLILocation(root *Element, id, rsc, node, score string, until time.Time) {
	e := &Element{Name: "rsc_location"}
	e.Set("id", id)
	e.Set("rsc", rsc)
	e.Set("role", "Started")
	if until.IsZero() {
		e.Set("node", node)
		e.Set("score", score)
	} else {
		ruleID, exprID, endID := id+"-rule", id+"-expr", id+"-lifetime"
		if strings.HasPrefix(id, "cli-prefer-") {
			ruleID = strings.Replace(id, "cli-prefer-", "cli-prefer-rule-", 1)
			exprID = strings.Replace(id, "cli-prefer-", "cli-prefer-expr-", 1)
			endID = strings.Replace(id, "cli-prefer-", "cli-prefer-lifetime-end-", 1)
		}
		rule := &Element{Name: "rule"}
		rule.Set("id", ruleID)
		rule.Set("score", score)
		rule.Set("boolean-op", "and")
		expr := &Element{Name: "expression"}
		expr.Set("id", exprID)
		expr.Set("attribute", "#uname")
		expr.Set("operation", "eq")
		expr.Set("value", node)
		expr.Set("type", "string")
		end := &Element{Name: "date_expression"}
		end.Set("id", endID)
		end.Set("operation", "lt")
		end.Set("end", until.UTC().Format("2006-01-02 15:04:05Z"))
		rule.Append(expr)
		rule.Append(end)
		e.Append(rule)
	}
	cons := Section(root, "constraints")
	for i, c := range cons.Children {
		if c.Name == "rsc_location" && c.Attr("id") == id {
			e.Parent = cons
			cons.Children[i] = e
			return
		}
	}
	cons.Append(e)
}
