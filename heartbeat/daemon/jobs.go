package daemon

import (
	"context"

	"hbgo/heartbeat/failover"
)

// runJob carries out resource work in the background; the machine starts
// one job at a time.
func (d *Daemon) runJob(j failover.Job) {
	if d.opt.Resource == nil {
		d.jobDone <- failover.JobResult{ID: j.ID}
		return
	}
	d.jobBusy = true
	d.log.WithField("resource", j.Keys).Debugf("resource job %d: %s %s", j.ID, j.Name, j.Kind)
	go func() {
		r := d.opt.Resource.Do(context.Background(), j)
		d.jobDone <- r
	}()
}

func (d *Daemon) fence(node string) {
	if d.opt.Fencer == nil {
		d.fenceRes <- fenceResult{node: node, result: failover.StonithBad}
		return
	}
	d.log.WithField("node", node).Infof("Resetting node %s with STONITH", node)
	go func() {
		d.fenceRes <- fenceResult{node: node, result: d.opt.Fencer.Reset(context.Background(), node)}
	}()
}
