package stonith

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
)

// Named is a configured device with the name used in log lines (its type,
// or the ha.cf line that defined it).
type Named struct {
	Name   string
	Device Device
}

// ErrNoDevice is returned (wrapped, with code S_BADHOST) by ResetWithAny
// when no device controls the host.
var ErrNoDevice = fmt.Errorf("no STONITH device controls the host: %w", ErrBadHost)

// ResetWithAny resets host with the first of devs that lists it among its
// hosts and succeeds, the way heartbeat v1 fences a dead node: devices
// that do not list the host are skipped ("Device %s cannot reset host
// %s"); one failure moves on to the next device. The caller retries the
// whole round ("STONITH of %s failed. Retrying...") on its own clock.
func ResetWithAny(ctx context.Context, devs []Named, host string, log *logrus.Entry) error {
	log = OrDiscard(log).WithField("node", host)
	var errs []error
	tried := false
	for _, d := range devs {
		hosts, err := d.Device.Hosts(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: hosts: %w", d.Name, err))
			continue
		}
		if !containsFold(hosts, host) {
			log.Infof("Device %s cannot reset host %s", d.Name, host)
			continue
		}
		tried = true
		log.Infof("Resetting node %s with [%s]", host, d.Name)
		if err := d.Device.Fence(ctx, Reset, Lower(host)); err != nil {
			Crit(log).Errorf("Device %s failed to reset host %s: %v", d.Name, host, err)
			errs = append(errs, fmt.Errorf("%s: %w", d.Name, err))
			continue
		}
		log.Infof("node %s now reset.", host)
		return nil
	}
	if !tried && len(errs) == 0 {
		return fmt.Errorf("%s: %w", host, ErrNoDevice)
	}
	return fmt.Errorf("STONITH of %s failed: %w", host, errors.Join(errs...))
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
