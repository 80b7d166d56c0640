package builtin

import (
	"context"
	"fmt"
	"os"

	"hbgo/stonith"
	"hbgo/stonith/proc"
)

// Suicide is the "suicide" type: a virtual device that controls only the
// local node and reboots (or powers off) it.
type Suicide struct{ env *Env }

// The detached helpers cluster-glue's suicide starts; the delay lets the
// caller report success first.
const (
	suicideReboot   = "nohup sh -c 'sleep 2; /sbin/reboot -nf </dev/null >/dev/null 2>&1' &"
	suicidePoweroff = "nohup sh -c 'sleep 2; /sbin/poweroff -nf </dev/null >/dev/null 2>&1' &"
)

var suicideInfo = map[stonith.InfoKind]string{
	stonith.InfoDevID:    "Suicide STONITH device",
	stonith.InfoDevName:  "suicide STONITH device",
	stonith.InfoDevDescr: "Virtual device to reboot/powerdown itself.\n",
	stonith.InfoXML:      "<parameters></parameters>",
}

// Type returns "suicide".
func (*Suicide) Type() string { return "suicide" }

// ConfigNames returns no names: suicide takes no parameters.
func (*Suicide) ConfigNames(context.Context) ([]string, error) { return []string{}, nil }

// Info returns suicide's descriptive strings.
func (s *Suicide) Info(_ context.Context, k stonith.InfoKind) (string, error) {
	return staticInfo(s.Type(), suicideInfo, k)
}

// New accepts any parameters.
func (s *Suicide) New(context.Context, stonith.Params) (stonith.Device, error) {
	return &suicideDevice{env: s.env}, nil
}

type suicideDevice struct{ env *Env }

func (d *suicideDevice) hostname() (string, error) {
	if d.env.Hostname != nil {
		return d.env.Hostname()
	}
	return os.Hostname()
}

func (*suicideDevice) Status(context.Context) error { return nil }

func (d *suicideDevice) Hosts(context.Context) ([]string, error) {
	h, err := d.hostname()
	if err != nil {
		stonith.Crit(d.env.log("suicide")).Errorf("uname error %v", err)
		return nil, fmt.Errorf("suicide: %w: %w", stonith.ErrUnexpected, err)
	}
	return []string{stonith.Lower(h)}, nil
}

func (d *suicideDevice) Fence(ctx context.Context, action stonith.Action, host string) error {
	log := d.env.log("suicide").WithField("node", host)
	if action == stonith.On {
		stonith.Crit(log).Errorf("%s not capable of power-on operation", suicideInfo[stonith.InfoDevID])
		return fmt.Errorf("suicide on: %w", stonith.ErrInval)
	}
	if action != stonith.Reset && action != stonith.Off {
		stonith.Crit(log).Errorf("As for suicide virtual stonith device, reset request=%d is not supported", int(action))
		return fmt.Errorf("suicide %v: %w", action, stonith.ErrInval)
	}
	self, err := d.hostname()
	if err != nil {
		return fmt.Errorf("suicide: %w: %w", stonith.ErrOops, err)
	}
	if stonith.Lower(self) != stonith.Lower(host) {
		stonith.Crit(log).Errorf("%s doesn't control host [%s]", self, host)
		return fmt.Errorf("suicide: %s is not the local node: %w", host, stonith.ErrResetFail)
	}
	log.Infof("Initiating suicide on host %s", host)
	script := suicideReboot
	if action == stonith.Off {
		script = suicidePoweroff
	}
	res, err := d.env.runner().Run(ctx, proc.Cmd{
		Path:    "/bin/sh",
		Args:    []string{"-c", script},
		Env:     []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
		Timeout: d.env.cmdTimeout(),
	})
	if err != nil || res.ExitStatus != 0 {
		stonith.Crit(log).Error("Suicide stonith failed.")
		return fmt.Errorf("suicide: %w", stonith.ErrResetFail)
	}
	log.Info("Suicide stonith succeeded.")
	return nil
}
