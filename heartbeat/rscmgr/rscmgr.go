package rscmgr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/heartbeat/failover"
)

// Scripts runs the resource scripts of haresources tokens (NAME::ARG::...).
type Scripts interface {
	// Running reports whether the token's status says it runs (3.0.6
	// reads the printed text of `status`, not its exit code).
	Running(ctx context.Context, token string) bool
	// Do runs start or stop and returns the script's exit code; err is set
	// when the script could not be run at all (not found, timed out).
	Do(ctx context.Context, token, action string) (rc int, err error)
}

// Group is one haresources line: its key and its resources in order.
type Group struct {
	Key       string
	Resources []string
}

// Manager acquires and releases groups.
type Manager struct {
	Groups  []Group
	Scripts Scripts
	// StopRetryMax is how often a failed stop is retried (HA_STOPRETRYMAX,
	// default 10; <= 0 retries for ever).
	StopRetryMax int
	// RetryDelay separates stop retries (1 s in 3.0.6).
	RetryDelay time.Duration
	// Sleep waits between retries; tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Reboot is called when a resource cannot be stopped and still runs:
	// 3.0.6 kills itself and reboots the node so the peer can take over.
	Reboot func(reason string)
	Log    *logrus.Entry
}

// ErrUnknownGroup means a key names no haresources line.
var ErrUnknownGroup = errors.New("no resource group with that key")

// New returns a manager with 3.0.6's defaults.
func New(groups []Group, s Scripts, log *logrus.Entry) *Manager {
	return &Manager{Groups: groups, Scripts: s, StopRetryMax: 10, RetryDelay: time.Second,
		Sleep: sleepCtx, Reboot: func(string) {}, Log: log}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Manager) group(key string) (Group, error) {
	for _, g := range m.Groups {
		if g.Key == key {
			return g, nil
		}
	}
	return Group{}, fmt.Errorf("%w: %s", ErrUnknownGroup, key)
}

// TakeGroup starts the group's resources left to right, skipping those
// already running. When one fails, the whole group is released again and
// failed names that resource.
func (m *Manager) TakeGroup(ctx context.Context, key string) (failed string, err error) {
	g, err := m.group(key)
	if err != nil {
		return "", err
	}
	m.Log.WithField("resource", g.Key).Infof("Acquiring resource group: %s", g.Key)
	for _, r := range g.Resources {
		if m.Scripts.Running(ctx, r) {
			continue
		}
		rc, err := m.Scripts.Do(ctx, r, "start")
		if err == nil && rc == 0 {
			continue
		}
		if err != nil {
			m.Log.WithField("resource", r).Errorf("%v", err)
		} else {
			m.Log.WithField("resource", r).Errorf("Return code %d from %s start", rc, r)
		}
		m.Log.WithField("resource", r).Errorf("CRIT: Giving up resources due to failure of %s", r)
		_ = m.giveUp(ctx, g)
		return r, nil
	}
	return "", nil
}

// GiveGroup stops the group's resources right to left.
func (m *Manager) GiveGroup(ctx context.Context, key string) error {
	g, err := m.group(key)
	if err != nil {
		return err
	}
	return m.giveUp(ctx, g)
}

func (m *Manager) giveUp(ctx context.Context, g Group) error {
	m.Log.WithField("resource", g.Key).Infof("Releasing resource group: %s", g.Key)
	var firstErr error
	for i := len(g.Resources) - 1; i >= 0; i-- {
		r := g.Resources[i]
		if err := m.stop(ctx, r); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// ErrStopFailed means a resource could not be stopped; when it still runs
// the node has been rebooted (or Reboot was called).
var ErrStopFailed = errors.New("resource stop failed")

func (m *Manager) stop(ctx context.Context, r string) error {
	log := m.Log.WithField("resource", r)
	for retries := 0; ; retries++ {
		rc, err := m.Scripts.Do(ctx, r, "stop")
		if err == nil && rc == 0 {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if m.StopRetryMax > 0 && retries >= m.StopRetryMax {
			break
		}
		if err := m.Sleep(ctx, m.RetryDelay); err != nil {
			return err
		}
		log.Infof("Retrying failed stop operation [%s]", r)
	}
	if m.Scripts.Running(ctx, r) {
		log.Errorf("CRIT: Resource STOP failure. Reboot required!")
		m.Reboot(fmt.Sprintf("resource %s could not be stopped", r))
		return fmt.Errorf("%w: %s still running", ErrStopFailed, r)
	}
	log.Errorf("Resource script for %s probably not LSB-compliant.", r)
	log.Warnf("it (%s) MUST succeed on a stop when already stopped", r)
	log.Warnf("Machine reboot narrowly avoided!")
	return nil
}

// RunningKeys returns the keys of groups whose key resource runs (the
// check of `ResourceManager verifyallidle` before a start).
func (m *Manager) RunningKeys(ctx context.Context) []string {
	var out []string
	for _, g := range m.Groups {
		if len(g.Resources) > 0 && m.Scripts.Running(ctx, g.Resources[0]) {
			out = append(out, g.Key)
		}
	}
	return out
}

// Do carries out one job of the failover machine.
func (m *Manager) Do(ctx context.Context, job failover.Job) failover.JobResult {
	r := failover.JobResult{ID: job.ID}
	for _, key := range job.Keys {
		switch job.Kind {
		case failover.CheckGroups:
			if !m.Scripts.Running(ctx, key) {
				r.NotRunning = append(r.NotRunning, key)
			}
		case failover.TakeGroups:
			failed, err := m.TakeGroup(ctx, key)
			if err != nil {
				m.Log.WithField("resource", key).Errorf("takegroup %s: %v", key, err)
			}
			if failed != "" {
				r.Failed = append(r.Failed, key)
			}
		case failover.GiveGroups:
			if err := m.GiveGroup(ctx, key); err != nil {
				m.Log.WithField("resource", key).Errorf("givegroup %s: %v", key, err)
			}
		case failover.ReleaseIfOwned:
			if m.Scripts.Running(ctx, key) {
				_ = m.GiveGroup(ctx, key)
				r.Owned = true
			}
		}
	}
	return r
}
