package crmd

import (
	"slices"
	"strconv"
	"time"

	"hbgo/crm/attrd"
	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
	"hbgo/crm/lrmproxy"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
)

// Shutdown starts a graceful leave, as crmd did: the node asks the DC for
// its "shutdown" attribute to be set, the policy engine moves its
// resources away and ends with a shutdown action, and ShutdownDone then
// reports that the daemon may leave. From now on this node refuses to
// start or promote resources.
func (r *Runtime) Shutdown(now time.Time) error {
	if r.leaving {
		return nil
	}
	r.leaving = true
	r.log.WithField("node", r.self).Info("shutdown requested: asking the DC to move our resources away")
	doc := r.CIB()
	root := doc.Root()
	ns := nodeStateOf(root, r.self)
	if ns == nil || r.Membership().DC == "" {
		return nil // nothing known to move: ShutdownDone says so
	}
	id := ns.ID()
	ta := applyAttrChanges(ns.Child("transient_attributes", "").Clone(), id,
		[]attrd.Change{{Node: r.self, Name: "shutdown", Value: strconv.FormatInt(now.Unix(), 10)}})
	p := append(slices.Clone(nodeStatePath(id)), cibstore.Step{Name: "transient_attributes", ID: ta.ID()})
	_, err := r.request(now, "shutdown", []cibstore.Op{{Kind: cibstore.OpReplace, Path: p, Node: ta}}, func(cd controller.CommitDone) {
		if cd.Err != nil {
			r.log.WithError(cd.Err).Warn("shutdown request not recorded; leaving as we are")
			r.shutdownFailed = true
		}
	})
	return err
}

// ShutdownDone reports, after Shutdown, that the node may leave: the DC
// recorded its shutdown (its resources are stopped or moved), or there is
// no DC to ask, or the request failed.
func (r *Runtime) ShutdownDone() bool {
	if !r.leaving {
		return false
	}
	if r.shutdownFailed || r.Membership().DC == "" {
		return true
	}
	ns := nodeStateOf(r.CIB().Root(), r.self)
	if ns == nil {
		return true
	}
	exp, _ := ns.Attr("expected")
	return exp == valDown
}

// refuseWhileLeaving drops requests to start or promote a resource on a
// node that is leaving: it would leave them running behind it.
func (r *Runtime) refuseWhileLeaving(w *wire.Message) bool {
	if !r.leaving {
		return false
	}
	m, err := lrmproxy.Decode(w)
	if err != nil || m.Type != lrmproxy.MsgExec {
		return false
	}
	if m.Action == resourced.ActionStart || m.Action == "promote" {
		r.log.WithField("resource", m.Resource).Warnf("refusing to %s %s while shutting down", m.Action, m.Resource)
		return true
	}
	return false
}

// effective is mem without the nodes whose shutdown the DC recorded: they
// are on their way out and must not be taken for online again.
func (r *Runtime) effective(mem controller.Membership) controller.Membership {
	if len(r.shutDown) == 0 {
		return mem
	}
	out := mem
	out.Members = slices.DeleteFunc(slices.Clone(mem.Members), func(n string) bool { return r.shutDown[n] })
	return out
}
