package builtin

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"hbgo/stonith"
	"hbgo/stonith/proc"
)

// SSH is the compiled "ssh" type: reset logs in as root with ssh and
// schedules "reboot -nf" through at, then checks with ping that the host
// went away. Works only while the victim is healthy: for tests.
type SSH struct{ env *Env }

// Commands and limits of the ssh type, as in cluster-glue.
const (
	rebootCommand   = "echo 'sleep 2; /sbin/reboot -nf' | SHELL=/bin/sh at now >/dev/null 2>&1"
	poweroffCommand = "echo 'sleep 2; /sbin/poweroff -nf' | SHELL=/bin/sh at now >/dev/null 2>&1"
	maxPingAttempts = 15
)

var sshInfo = map[stonith.InfoKind]string{
	stonith.InfoDevID:    "SSH STONITH device",
	stonith.InfoDevName:  "ssh STONITH device",
	stonith.InfoDevDescr: "SSH-based host reset\nFine for testing, but not suitable for production!",
	stonith.InfoDevURL:   "http://openssh.org",
	stonith.InfoXML:      hostlistXML,
}

// Type returns "ssh".
func (*SSH) Type() string { return "ssh" }

// ConfigNames returns [hostlist].
func (*SSH) ConfigNames(context.Context) ([]string, error) { return []string{HostlistParam}, nil }

// Info returns ssh's descriptive strings.
func (s *SSH) Info(_ context.Context, k stonith.InfoKind) (string, error) {
	return staticInfo(s.Type(), sshInfo, k)
}

// New requires a non-empty hostlist (missing or empty: S_OOPS, as
// cluster-glue's ssh answers).
func (s *SSH) New(_ context.Context, p stonith.Params) (stonith.Device, error) {
	if _, ok := p[HostlistParam]; !ok {
		return nil, fmt.Errorf("ssh: parameter hostlist missing: %w", stonith.ErrOops)
	}
	hosts, err := hostlistFrom(s.Type(), p, stonith.ErrOops)
	if err != nil {
		return nil, err
	}
	return &sshDevice{env: s.env, hosts: hosts}, nil
}

type sshDevice struct {
	env   *Env
	hosts []string
}

func (*sshDevice) Status(context.Context) error { return nil }

func (d *sshDevice) Hosts(context.Context) ([]string, error) { return copyHosts(d.hosts), nil }

func (d *sshDevice) Fence(ctx context.Context, action stonith.Action, host string) error {
	log := d.env.log("ssh").WithField("node", host)
	switch action {
	case stonith.On:
		stonith.Crit(log).Errorf("%s not capable of power-on operation", sshInfo[stonith.InfoDevID])
		return fmt.Errorf("ssh on: %w", stonith.ErrInval)
	case stonith.Reset, stonith.Off:
	default:
		return fmt.Errorf("ssh %v: %w", action, stonith.ErrInval)
	}
	if !containsFold(d.hosts, host) {
		stonith.Crit(log).Errorf("%s doesn't control host [%s]", sshInfo[stonith.InfoDevID], host)
		return fmt.Errorf("ssh: %s: %w", host, stonith.ErrBadHost)
	}
	verb, remote := "reset", rebootCommand
	if action == stonith.Off {
		verb, remote = "poweroff", poweroffCommand
	}
	log.Infof("Initiating ssh-%s on host: %s", verb, host)
	r := d.env.runner()
	res, err := r.Run(ctx, proc.Cmd{
		Path:    "ssh",
		Args:    []string{"-q", "-x", "-n", "-l", "root", host, remote},
		Env:     os.Environ(), // ssh needs HOME for its keys
		Timeout: d.env.cmdTimeout(),
	})
	if err != nil || res.ExitStatus != 0 {
		stonith.Crit(log).Errorf("command ssh -q -x -n -l root %q %q failed", host, remote)
		return fmt.Errorf("ssh %s: %w", host, stonith.ErrResetFail)
	}
	log.Debugf("checking whether %s stonith'd", host)
	for i := 0; i < maxPingAttempts; i++ {
		res, err := r.Run(ctx, proc.Cmd{
			Path:    "ping",
			Args:    []string{"-w1", "-c1", host},
			Env:     os.Environ(), // ssh needs HOME for its keys
			Timeout: d.env.cmdTimeout(),
		})
		if err == nil && res.ExitStatus == 1 {
			log.Debugf("unable to ping %s after %d tries, stonith did work", host, i)
			return nil
		}
		if err := d.env.sleep(ctx, time.Second); err != nil {
			return fmt.Errorf("ssh %s: %w", host, stonith.ErrTimeout)
		}
	}
	stonith.Crit(log).Errorf("still able to ping %s after %d tries, stonith did not work", host, maxPingAttempts)
	return fmt.Errorf("ssh %s: host still answers: %w", host, stonith.ErrResetFail)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
