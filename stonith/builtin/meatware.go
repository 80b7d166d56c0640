package builtin

import (
	"context"

	"hbgo/stonith"
	"hbgo/stonith/meatware"
)

// Meatware is the "meatware" type: every request waits for an operator
// to confirm with meatclient that the host was power-cycled by hand.
type Meatware struct{ env *Env }

var meatwareInfo = map[stonith.InfoKind]string{
	stonith.InfoDevID:   "Meatware STONITH device",
	stonith.InfoDevName: "Your Name Here",
	stonith.InfoDevDescr: "Human (meatware) intervention STONITH device.\n" +
		"This STONITH agent prompts a human to reset a machine.\n" +
		"The human tells it when the reset was completed.",
	stonith.InfoXML: hostlistXML,
}

// Type returns "meatware".
func (*Meatware) Type() string { return "meatware" }

// ConfigNames returns [hostlist].
func (*Meatware) ConfigNames(context.Context) ([]string, error) {
	return []string{HostlistParam}, nil
}

// Info returns meatware's descriptive strings.
func (m *Meatware) Info(_ context.Context, k stonith.InfoKind) (string, error) {
	return staticInfo(m.Type(), meatwareInfo, k)
}

// New requires the hostlist parameter; unlike null an empty list is
// accepted (cluster-glue does).
func (m *Meatware) New(_ context.Context, p stonith.Params) (stonith.Device, error) {
	v, ok := p[HostlistParam]
	if !ok {
		return nil, hostlistMissing(m.Type())
	}
	m.env.log(m.Type()).Infof("parse config info info=%s", v)
	return &meatDevice{env: m.env, hosts: stonith.SplitHostList(v)}, nil
}

func hostlistMissing(typ string) error {
	_, err := hostlistFrom(typ, stonith.Params{}, stonith.ErrInval)
	return err
}

type meatDevice struct {
	env   *Env
	hosts []string
}

func (*meatDevice) Status(context.Context) error { return nil }

func (d *meatDevice) Hosts(context.Context) ([]string, error) { return copyHosts(d.hosts), nil }

// Fence waits for the operator for any action and any host, listed or
// not, as cluster-glue's meatware does.
func (d *meatDevice) Fence(ctx context.Context, _ stonith.Action, host string) error {
	log := d.env.log("meatware").WithField("node", host)
	return meatware.Wait(ctx, d.env.MeatwareDir, host, d.env.MeatwareTimeout, log)
}
