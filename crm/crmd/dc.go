package crmd

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/attrd"
	"hbgo/crm/cib"
	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/crm/tengine"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// abortedReason marks the results of actions refused because their
// transition was being aborted: they never ran and are not recorded.
const abortedReason = "transition aborted before this action started"

var errAborted = errors.New(abortedReason)

// RetryPause is how long the DC waits before running the policy engine
// again after a transition that did not complete.
const RetryPause = 500 * time.Millisecond

// transition is the DC's running transition.
type transition struct {
	id     int
	inst   uint64
	ver    cibstore.Version
	cancel context.CancelFunc
	gate   *gate
}

// gate lets a transition be aborted gracefully: once closed, actions not
// yet started fail at once (so the engine stops starting new ones) while
// the running ones are awaited and recorded.
type gate struct {
	exec   tengine.Executor
	closed atomic.Bool
}

func (g *gate) RunOp(ctx context.Context, node string, a *graph.Action) tengine.OpResult {
	if g.closed.Load() {
		return tengine.OpResult{RC: int(ocf.ErrGeneric), Status: tengine.OpCancelled, ExitReason: abortedReason}
	}
	return g.exec.RunOp(ctx, node, a)
}

func (g *gate) Fence(ctx context.Context, node, action string) error {
	if g.closed.Load() {
		return errAborted
	}
	return g.exec.Fence(ctx, node, action)
}

func refused(res tengine.Result) bool {
	return errors.Is(res.Err, errAborted) || (res.Op.Status == tengine.OpCancelled && res.Op.ExitReason == abortedReason)
}

// abort closes the running transition's gate: it ends once its running
// actions are done, and the newest schedule runs then.
func (r *Runtime) abort(reason string) {
	if r.tr == nil || r.tr.gate.closed.Load() {
		return
	}
	r.logTE.WithField("transition", r.tr.id).Infof("aborting transition: %s", reason)
	r.tr.gate.closed.Store(true)
}

// stopTransition cancels the running transition and its operations.
func (r *Runtime) stopTransition(reason string) {
	if r.tr == nil {
		return
	}
	r.abort(reason)
	r.tr.cancel()
}

// syncKey identifies a (document, membership) pair MembershipOps found
// in agreement.
type syncKey struct {
	doc     *cibstore.Doc // documents are immutable: same pointer, same content
	inst    uint64
	dc      string
	quorum  bool
	members string
}

// kick decides what the DC does with the newest schedule: first make the
// CIB agree with the membership, abort a transition made for an older
// membership or configuration, then run the policy engine once the
// previous transition and our own writes are done. again reports that a
// CIB change was requested (its actions may bring a new schedule).
func (r *Runtime) kick(now time.Time) (again bool, err error) {
	if len(r.queue) > 0 && r.outstanding == 0 {
		q := r.queue[0]
		r.queue = r.queue[1:]
		return true, q(now)
	}
	if !r.IsDC() {
		r.pending = nil
		return false, nil
	}
	s := r.pending
	if s == nil {
		if r.tr != nil || r.lastRun.IsZero() || now.Sub(r.lastRun) < r.recheckInterval() {
			return false, nil
		}
		// Time-based rules and failure timeouts change the outcome without
		// any event: look again every cluster-recheck-interval.
		r.logPE.Debug("cluster-recheck-interval passed: scheduling again")
		s = &controller.Schedule{Doc: r.CIB(), Membership: r.drv.Machine().Membership()}
		r.pending = s
	}
	mem := r.effective(r.drv.Machine().Membership())
	key := syncKey{s.Doc, mem.Instance, mem.DC, mem.Quorum, strings.Join(mem.Members, " ")}
	var ops []cibstore.Op
	if key != r.synced {
		ops = MembershipOps(s.Doc, r.cfg.Controller.Nodes, mem)
		if mem.DC == r.cfg.Controller.Node {
			ops = append(ops, ClusterInfoOps(s.Doc, r.version())...)
		}
	}
	if len(ops) == 0 {
		// Remember a document that already says it all: kick runs on
		// every packet while a transition is under way.
		r.synced = key
	} else {
		if r.tr != nil && r.tr.inst != mem.Instance {
			r.abort("membership changed")
		}
		if r.syncReq != "" {
			return false, nil
		}
		id, err := r.request(now, "membership", ops, func(cd controller.CommitDone) {
			r.syncReq = ""
			if cd.Err != nil {
				r.logCIB.WithError(cd.Err).Warn("cannot record the membership in the CIB")
			}
		})
		if _, waiting := r.waiters[id]; waiting {
			r.syncReq = id
		}
		return true, err
	}
	if r.tr != nil {
		v := s.Doc.Version()
		switch {
		case s.Membership.Instance != r.tr.inst:
			r.abort("membership changed")
		case v.AdminEpoch != r.tr.ver.AdminEpoch || v.Epoch != r.tr.ver.Epoch:
			r.abort("configuration changed")
		}
		return false, nil
	}
	if r.outstanding > 0 || len(r.queue) > 0 || now.Before(r.notBefore) {
		return false, nil
	}
	r.pending = nil
	r.lastRun = now
	r.startTransition(now, *s)
	return false, nil
}

// DefaultRecheckInterval is cluster-recheck-interval's default.
const DefaultRecheckInterval = 15 * time.Minute

// recheckInterval reads cluster-recheck-interval from the CIB (0 turns
// the periodic run off).
func (r *Runtime) recheckInterval() time.Duration {
	doc := r.CIB()
	if doc == r.recheckDoc {
		return r.recheck
	}
	r.recheckDoc, r.recheck = doc, readRecheck(doc.Root())
	return r.recheck
}

func readRecheck(root *cibstore.Node) time.Duration {
	cc := section(root, cibstore.SectionConfiguration, "crm_config")
	if cc != nil {
		for _, set := range cc.Children {
			for _, p := range set.Children {
				if n, _ := p.Attr("name"); p.Name == "nvpair" && n == "cluster-recheck-interval" {
					v, _ := p.Attr("value")
					if ms, ok := cib.ParseIntervalMS(v); ok {
						if ms == 0 {
							return time.Duration(1<<63 - 1)
						}
						return time.Duration(ms) * time.Millisecond
					}
				}
			}
		}
	}
	return DefaultRecheckInterval
}

// startTransition runs the policy engine on s and, when there is work,
// starts the transition engine in a goroutine.
func (r *Runtime) startTransition(now time.Time, s controller.Schedule) {
	nqp, _ := crmOption(s.Doc.Root(), "no-quorum-policy")
	r.splitRisk.Store(SplitCanFence(len(r.cfg.Controller.Nodes), nqp))
	c, err := ParseCIB(s.Doc)
	if err != nil {
		r.logPE.WithError(err).Error("CIB not usable by the policy engine")
		return
	}
	res, err := pengine.Schedule(c, now)
	if err != nil {
		r.logPE.WithError(err).Error("policy engine failed")
		return
	}
	r.tid++
	g := graph.Build(res, graph.Config{CIB: c, TransitionID: r.tid, Probes: true})
	log := r.logPE.WithFields(logrus.Fields{"transition": r.tid, "version": s.Doc.Version().String(), "quorum": s.Membership.Quorum})
	if len(g.Actions) == 0 {
		log.Debug("nothing to do")
		return
	}
	log.Infof("transition %d: %d actions", r.tid, len(g.Actions))
	for _, a := range g.Actions {
		if a.Kind != graph.Pseudo {
			log.WithFields(logrus.Fields{"node": a.Node, "resource": a.Resource}).Debugf("action %d: %s", a.ID, a)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := &transition{id: r.tid, inst: s.Membership.Instance, ver: s.Doc.Version(), cancel: cancel, gate: &gate{exec: r.proxy}}
	r.tr = tr
	drv := &tengine.Driver{Exec: tr.gate, Clock: r.cfg.Clock, UUID: r.uuid(), Log: r.logTE,
		OnResult: func(res tengine.Result) {
			r.post(func(now time.Time) error { return r.transitionResult(now, tr, res) })
		}}
	go func() {
		rep, err := drv.Run(ctx, g)
		r.post(func(now time.Time) error { r.transitionDone(now, tr, rep, err); return nil })
	}()
}

// uuid is the last part of our transition keys.
func (r *Runtime) uuid() string { return r.self + "-" + r.cfg.Instance }

func (r *Runtime) transitionDone(now time.Time, tr *transition, rep tengine.Report, err error) {
	tr.cancel()
	if r.tr == tr {
		r.tr = nil
	}
	log := r.logTE.WithField("transition", tr.id)
	if err != nil {
		log.WithError(err).Error("transition could not run")
		return
	}
	log.WithField("outcome", rep.Outcome.String()).Infof("transition %d finished: %s %s", tr.id, rep.Outcome, rep.Reason)
	if rep.Outcome != tengine.Complete && r.pending == nil && r.IsDC() {
		// Run the policy engine again on what happened, after a pause so
		// that an action failing at once cannot spin the DC.
		s := controller.Schedule{Doc: r.CIB(), Membership: r.drv.Machine().Membership()}
		r.pending = &s
		r.notBefore = now.Add(RetryPause)
	}
}

// transitionResult records one executed action in the CIB.
func (r *Runtime) transitionResult(now time.Time, tr *transition, res tengine.Result) error {
	a := res.Action
	if refused(res) || a.Kind == graph.Pseudo {
		return nil
	}
	log := r.logTE.WithFields(logrus.Fields{"transition": tr.id, "node": a.Node, "resource": a.Resource})
	if res.OK {
		log.Infof("%s: ok", a)
	} else {
		log.WithFields(logrus.Fields{"rc": res.Op.RC, "status": int(res.Op.Status)}).Warnf("%s failed: %s %v", a, res.Op.ExitReason, res.Err)
	}
	switch {
	case a.Kind == graph.RscOp:
		exec := tengine.Execution{Action: a, Result: res.Op, TransitionID: tr.id, UUID: r.uuid(),
			Queued: res.Queued.UnixMilli(), Started: res.Started.UnixMilli(), Finished: res.Finished.UnixMilli()}
		r.enqueueStatus("result of "+a.String(), func(st *tengine.Status, att *attrd.Store, c *cib.CIB) ([]string, []attrd.Change) {
			st.Record(exec)
			var ch []attrd.Change
			if !res.OK && a.Task != graph.TaskCancel {
				ch = att.RecordFailure(attrd.Failure{Node: a.Node, Resource: a.Resource, Operation: a.Task, IntervalMS: a.IntervalMS,
					RC: res.Op.RC, TargetRC: a.TargetRC, At: res.Finished, StartFailureIsFatal: startFailureIsFatal(c)})
				for _, x := range ch {
					r.logAtt.WithField("node", x.Node).Infof("fail count: %s", x)
				}
			}
			return []string{a.Node}, ch
		})
	case res.OK && (a.Task == graph.TaskShutdown || (a.Task == graph.TaskFence && a.FenceAction != "on")):
		if a.Task == graph.TaskShutdown {
			r.shutDown[a.Node] = true
		}
		r.enqueueStatus("node "+a.Node+" down", func(st *tengine.Status, _ *attrd.Store, _ *cib.CIB) ([]string, []attrd.Change) {
			st.NodeDown(a.Node, a.NodeUUID)
			return []string{a.Node}, nil
		})
	}
	return nil
}

func startFailureIsFatal(c *cib.CIB) bool {
	for _, set := range c.CRMConfig {
		for _, p := range set.Pairs {
			if p.Name == "start-failure-is-fatal" {
				return cib.IsTrue(p.Value)
			}
		}
	}
	return true
}

// enqueueStatus queues a change of the status section computed from the
// CIB at the time it is written: writes go one at a time, each on the
// result of the previous one, so none overwrites another's node_state.
func (r *Runtime) enqueueStatus(why string, fn func(*tengine.Status, *attrd.Store, *cib.CIB) ([]string, []attrd.Change)) {
	r.queue = append(r.queue, func(now time.Time) error {
		if !r.IsDC() {
			return nil // the new DC probes every node again
		}
		doc := r.CIB()
		c, err := ParseCIB(doc)
		if err != nil {
			r.logCIB.WithError(err).Error("CIB unreadable; status not recorded")
			return nil
		}
		st := tengine.StatusFromCIB(c)
		touched, changes := fn(st, attrd.Load(c), c)
		ops, err := StatusOps(doc, st, touched, changes)
		if err != nil {
			r.logCIB.WithError(err).Error("status not recorded")
			return nil
		}
		if len(ops) == 0 {
			return nil
		}
		r.outstanding++
		_, err = r.request(now, why, ops, func(cd controller.CommitDone) {
			r.outstanding--
			if cd.Err != nil {
				r.logCIB.WithError(cd.Err).Warnf("status not recorded: %s", why)
			}
		})
		return err
	})
}

// recurringEvent records a changed result of a recurring monitor; a
// failure raises the fail count and aborts the transition in progress,
// so the policy engine recovers the resource.
func (r *Runtime) recurringEvent(now time.Time, node string, ev resourced.Event) {
	if !r.IsDC() {
		return
	}
	log := r.logTE.WithFields(logrus.Fields{"node": node, "resource": ev.Op.Resource})
	r.enqueueStatus("monitor of "+ev.Op.Resource+" on "+node, func(st *tengine.Status, att *attrd.Store, c *cib.CIB) ([]string, []attrd.Change) {
		op, f := st.RecordRecurring(node, ev)
		if op == nil {
			return nil, nil
		}
		if !f {
			log.Debugf("%s: rc %d", op.OperationKey, op.RC)
			return []string{node}, nil
		}
		log.Warnf("%s failed: rc %d %s", op.OperationKey, op.RC, op.ExitReason)
		target := 0
		if ev.Expected == ocf.RunningPromoted {
			target = int(ocf.RunningPromoted)
		}
		ch := att.RecordFailure(attrd.Failure{Node: node, Resource: ev.Op.Resource, Operation: ev.Op.Action,
			IntervalMS: int(ev.Op.Interval.Milliseconds()), RC: op.RC, TargetRC: target, At: ev.At, StartFailureIsFatal: startFailureIsFatal(c)})
		for _, x := range ch {
			r.logAtt.WithField("node", x.Node).Infof("fail count: %s", x)
		}
		r.abort("monitor of " + ev.Op.Resource + " on " + node + " failed")
		return []string{node}, ch
	})
}

// probe asks node for the state of every configured primitive (monitor
// with interval 0, expecting "not running"), records the answers and then
// reports ProbeDone to the controller.
func (r *Runtime) probe(node string) {
	log := r.logTE.WithField("node", node)
	c, err := ParseCIB(r.CIB())
	if err != nil {
		log.WithError(err).Error("CIB unreadable; probe skipped")
		r.queue = append(r.queue, func(now time.Time) error { return r.drv.ProbeDone(now, node) })
		return
	}
	acts := ProbeActions(c, node)
	log.Infof("probing %d resources on %s", len(acts), node)
	exec := r.proxy
	go func() {
		type done struct {
			a   *graph.Action
			res tengine.OpResult
			at  [2]time.Time
		}
		// In parallel: the node's resource manager bounds its own workers.
		results := make([]done, len(acts))
		var wg sync.WaitGroup
		for i, a := range acts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(a.TimeoutMS)*time.Millisecond+lrmproxyMargin)
				defer cancel()
				start := r.cfg.Clock.Now()
				res := exec.RunOp(ctx, node, a)
				results[i] = done{a, res, [2]time.Time{start, r.cfg.Clock.Now()}}
			}()
		}
		wg.Wait()
		r.post(func(now time.Time) error {
			var execs []tengine.Execution
			for _, d := range results {
				if d.res.Status != tengine.OpDone {
					log.WithField("resource", d.a.Resource).Warnf("probe failed: %s", d.res.ExitReason)
					continue
				}
				if d.res.RC != 7 {
					log.WithField("resource", d.a.Resource).Infof("probe: %s is active on %s (rc %d)", d.a.Resource, node, d.res.RC)
				}
				execs = append(execs, tengine.Execution{Action: d.a, Result: d.res, TransitionID: -1, UUID: r.uuid(),
					Queued: d.at[0].UnixMilli(), Started: d.at[0].UnixMilli(), Finished: d.at[1].UnixMilli()})
			}
			// One write for the whole probe of the node.
			r.enqueueStatus("probe of "+node, func(st *tengine.Status, _ *attrd.Store, _ *cib.CIB) ([]string, []attrd.Change) {
				for _, e := range execs {
					st.Record(e)
				}
				return []string{node}, nil
			})
			r.queue = append(r.queue, func(now time.Time) error { return r.drv.ProbeDone(now, node) })
			return nil
		})
	}()
}

// lrmproxyMargin bounds how long a probe waits beyond its timeout.
const lrmproxyMargin = 5 * time.Second

// ProbeActions returns the probes of every primitive of c on node.
func ProbeActions(c *cib.CIB, node string) []*graph.Action {
	var out []*graph.Action
	var walk func(rs []*cib.Resource)
	walk = func(rs []*cib.Resource) {
		for _, p := range rs {
			if p.Kind != cib.Primitive {
				walk(p.Children)
				continue
			}
			params := map[string]string{}
			for _, set := range p.Instance {
				if set.Rule != nil {
					continue
				}
				for _, nv := range set.Pairs {
					if _, ok := params[nv.Name]; !ok {
						params[nv.Name] = nv.Value
					}
				}
			}
			out = append(out, &graph.Action{Kind: graph.RscOp, Task: "monitor", Resource: p.ID,
				Agent: graph.Agent{Class: p.Class, Provider: p.Provider, Type: p.Type}, Node: node,
				TimeoutMS: 20000, TargetRC: 7, Params: params})
		}
	}
	walk(c.Resources)
	return out
}

// version is the dc-version this node records when it is DC.
func (r *Runtime) version() string {
	if r.cfg.Version != "" {
		return r.cfg.Version
	}
	return DefaultVersion
}
