package registry

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/builtin"
	"hbgo/stonith/external"
	"hbgo/stonith/fence"
	"hbgo/stonith/proc"
)

// ErrUnknownType is returned (wrapped, with code S_OOPS) for a type name
// no driver answers to.
var ErrUnknownType = fmt.Errorf("unknown device type: %w", stonith.ErrOops)

// Registry resolves type names. The zero value uses the standard
// directories and real processes.
type Registry struct {
	ExternalDir string // external.DefaultDir when empty
	FenceDir    string // fence.DefaultDir when empty
	// ListFence adds the rhcs/<agent> types of FenceDir to Types; off by
	// default so the list matches cluster-glue's, whose rhcs directory is
	// empty on Debian.
	ListFence bool
	Runner    proc.Runner
	Timeout   time.Duration // per external script / fence agent run
	Stderr    io.Writer     // scripts' and agents' standard error
	Log       *logrus.Entry
	Builtin   builtin.Env
}

// Types lists every type name, sorted bytewise as cluster-glue's -L.
func (r *Registry) Types() []string {
	types := append([]string(nil), builtin.Types()...)
	dir := r.ExternalDir
	if dir == "" {
		dir = external.DefaultDir
	}
	if names, err := external.ListScripts(dir, r.Log); err == nil {
		for _, n := range names {
			types = append(types, external.TypePrefix+n)
		}
	}
	if r.ListFence {
		types = append(types, r.fenceTypes()...)
	}
	sort.Strings(types)
	return types
}

func (r *Registry) fenceTypes() []string {
	dir := r.FenceDir
	if dir == "" {
		dir = fence.DefaultDir
	}
	names, err := external.ListScripts(dir, nil)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range names {
		if rest, ok := strings.CutPrefix(n, "fence_"); ok && rest != "" {
			out = append(out, fence.TypePrefix+rest)
		}
	}
	return out
}

// Lookup returns the driver for typ. Like cluster-glue, any
// external/<name> or rhcs/<name> resolves; a missing script shows up when
// the driver is used.
func (r *Registry) Lookup(typ string) (stonith.Driver, error) {
	env := r.Builtin
	if env.Log == nil {
		env.Log = r.Log
	}
	if env.Runner == nil {
		env.Runner = r.Runner
	}
	if d := builtin.Lookup(typ, &env); d != nil {
		return d, nil
	}
	if name, ok := strings.CutPrefix(typ, external.TypePrefix); ok && validName(name) {
		return &external.Driver{
			Dir: r.ExternalDir, Name: name, Runner: r.Runner, Timeout: r.Timeout,
			Stderr: r.Stderr, Log: r.Log,
		}, nil
	}
	if name, ok := strings.CutPrefix(typ, fence.TypePrefix); ok && validName(name) {
		return &fence.Driver{
			Dir: r.FenceDir, Name: name, Runner: r.Runner, Timeout: r.Timeout,
			Stderr: r.Stderr, Log: r.Log,
		}, nil
	}
	return nil, fmt.Errorf("%q: %w", typ, ErrUnknownType)
}

// validName keeps sub-plugin names inside their directory.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\x00")
}

// IsUnknownType reports whether err came from Lookup of an unknown type.
func IsUnknownType(err error) bool { return errors.Is(err, ErrUnknownType) }
