package builtin

import (
	"context"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/proc"
)

// HostlistParam is the parameter every host-list device takes.
const HostlistParam = "hostlist"

// hostlistXML is cluster-glue's <parameters> fragment for a device whose
// only parameter is hostlist.
const hostlistXML = `<parameters><parameter name="hostlist" unique="0" required="1"><content type="string" />
<shortdesc lang="en">
Hostlist</shortdesc>
<longdesc lang="en">
The list of hosts that the STONITH device controls</longdesc>
</parameter>
</parameters>`

// Env holds what the built-in devices need from the outside world.
type Env struct {
	Log    *logrus.Entry
	Runner proc.Runner // runs ssh, ping and the reboot helpers
	// Hostname returns the local node name (uname -n) for suicide.
	Hostname func() (string, error)
	// Sleep waits between ssh's ping probes; it returns early with
	// ctx's error.
	Sleep func(ctx context.Context, d time.Duration) error
	// MeatwareDir holds meatware's FIFOs (meatware.DefaultDir when empty).
	MeatwareDir string
	// MeatwareTimeout bounds the wait for the operator.
	MeatwareTimeout time.Duration
	// CommandTimeout bounds each helper command (ssh, ping, reboot).
	CommandTimeout time.Duration
}

func (e *Env) log(typ string) *logrus.Entry {
	return stonith.OrDiscard(e.Log).WithField("device", typ)
}

func (e *Env) runner() proc.Runner {
	if e.Runner == nil {
		return proc.Exec{}
	}
	return e.Runner
}

func (e *Env) sleep(ctx context.Context, d time.Duration) error {
	if e.Sleep != nil {
		return e.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Env) cmdTimeout() time.Duration {
	if e.CommandTimeout == 0 {
		return 60 * time.Second
	}
	return e.CommandTimeout
}

// Types lists the built-in type names, sorted.
func Types() []string { return []string{"meatware", "null", "ssh", "suicide"} }

// Lookup returns the built-in driver named typ, or nil.
func Lookup(typ string, env *Env) stonith.Driver {
	if env == nil {
		env = &Env{}
	}
	switch typ {
	case "null":
		return &Null{env: env}
	case "ssh":
		return &SSH{env: env}
	case "meatware":
		return &Meatware{env: env}
	case "suicide":
		return &Suicide{env: env}
	}
	return nil
}

// staticInfo answers Info from a fixed table; kinds absent from it have no
// string (cluster-glue returns NULL).
func staticInfo(typ string, m map[stonith.InfoKind]string, kind stonith.InfoKind) (string, error) {
	if s, ok := m[kind]; ok {
		return s, nil
	}
	return "", fmt.Errorf("%s has no info %d: %w", typ, kind, stonith.ErrInval)
}

// hostlistFrom reads and splits the required hostlist parameter: absent
// is S_INVAL (cluster-glue's CopyAllValues), present but empty is
// emptyCode.
func hostlistFrom(typ string, p stonith.Params, emptyErr error) ([]string, error) {
	v, ok := p[HostlistParam]
	if !ok {
		return nil, fmt.Errorf("%s: parameter %s missing: %w", typ, HostlistParam, stonith.ErrInval)
	}
	hosts := stonith.SplitHostList(v)
	if len(hosts) == 0 {
		return nil, fmt.Errorf("%s: empty %s: %w", typ, HostlistParam, emptyErr)
	}
	return hosts, nil
}

func copyHosts(h []string) []string { return append([]string(nil), h...) }
