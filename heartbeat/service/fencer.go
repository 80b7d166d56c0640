package service

import (
	"context"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/hacf"
	"hbgo/heartbeat/failover"
	"hbgo/stonith"
	"hbgo/stonith/registry"
)

// Fencer resets dead nodes with the devices of ha.cf's stonith and
// stonith_host lines, as 3.0.6 does before a takeover.
type Fencer struct {
	Devices []stonith.Named
	Log     *logrus.Entry
	Timeout time.Duration // per reset round
}

// OpenFencer opens every device ha.cf names for this node; nil when none.
func OpenFencer(ctx context.Context, cfg *hacf.Config, log *logrus.Entry) (*Fencer, error) {
	reg := &registry.Registry{Log: log}
	f := &Fencer{Log: log, Timeout: 2 * time.Minute}
	if s := cfg.Stonith; s != nil {
		d, err := reg.OpenFile(ctx, s.Type, s.ConfigFile)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: stonith %s %s: %w", cfg.File, s.Line, s.Type, s.ConfigFile, err)
		}
		f.Devices = append(f.Devices, stonith.Named{Name: s.Type, Device: d})
	}
	for _, h := range cfg.StonithHosts {
		d, err := reg.OpenPositional(ctx, h.Type, h.Params)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: stonith_host %s %s: %w", cfg.File, h.Line, h.From, h.Type, err)
		}
		f.Devices = append(f.Devices, stonith.Named{Name: h.Type, Device: d})
	}
	if len(f.Devices) == 0 {
		return nil, nil
	}
	return f, nil
}

// Reset implements daemon.Fencer.
func (f *Fencer) Reset(ctx context.Context, node string) string {
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	err := stonith.ResetWithAny(ctx, f.Devices, node, f.Log.WithField("node", node))
	switch {
	case err == nil:
		return failover.StonithOK
	case stonith.CodeOf(err) == stonith.BadHost:
		f.Log.WithField("node", node).Errorf("No STONITH device can reset host %s: %v", node, err)
		return failover.StonithBadHost
	default:
		f.Log.WithField("node", node).Errorf("Host %s not reset: %v", node, err)
		return failover.StonithBad
	}
}
