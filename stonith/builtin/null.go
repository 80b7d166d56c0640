package builtin

import (
	"context"

	"hbgo/stonith"
)

// Null is the "null" type: a device that controls the listed hosts and
// "resets" any host by logging it. For tests only.
type Null struct{ env *Env }

var nullInfo = map[stonith.InfoKind]string{
	stonith.InfoDevID:    "NULL STONITH device",
	stonith.InfoDevName:  "(nil)",
	stonith.InfoDevDescr: "Dummy (do-nothing) STONITH device\nFOR TESTING ONLY!",
	stonith.InfoXML:      hostlistXML,
}

// Type returns "null".
func (*Null) Type() string { return "null" }

// ConfigNames returns [hostlist].
func (*Null) ConfigNames(context.Context) ([]string, error) { return []string{HostlistParam}, nil }

// Info returns null's descriptive strings.
func (n *Null) Info(_ context.Context, k stonith.InfoKind) (string, error) {
	return staticInfo(n.Type(), nullInfo, k)
}

// New requires a non-empty hostlist (empty: S_BADCONFIG).
func (n *Null) New(_ context.Context, p stonith.Params) (stonith.Device, error) {
	hosts, err := hostlistFrom(n.Type(), p, stonith.ErrBadConfig)
	if err != nil {
		return nil, err
	}
	return &nullDevice{env: n.env, hosts: hosts}, nil
}

type nullDevice struct {
	env   *Env
	hosts []string
}

func (*nullDevice) Status(context.Context) error { return nil }

func (d *nullDevice) Hosts(context.Context) ([]string, error) { return copyHosts(d.hosts), nil }

// Fence succeeds for any host and any action, logging it as a reset, as
// cluster-glue's null does.
func (d *nullDevice) Fence(_ context.Context, _ stonith.Action, host string) error {
	d.env.log("null").WithField("node", host).Infof("Host null-reset: %s", host)
	return nil
}
