package daemon

import (
	"errors"
	"strings"
	"time"

	"hbgo/crm/crmd"
	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/media"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/reliable"
	"hbgo/heartbeat/wire"
)

// handlePacket authenticates a datagram and hands it to the layers.
func (d *Daemon) handlePacket(p media.Packet) {
	now := p.At
	if now.IsZero() {
		now = d.clk.Now()
	}
	if d.pingNames[p.Medium] {
		d.handlePing(p, now)
		return
	}
	msg, err := wire.Verify(p.Data, d.opt.Keyring)
	if err != nil {
		d.badPacket(p, err, now)
		return
	}
	src := strings.ToLower(msg.Value("src"))
	if src == d.opt.Node {
		return // our own broadcast coming back
	}
	if _, known := d.mem.Node(src); !known {
		d.log.WithField("node", src).Debugf("message from unknown node %s ignored", src)
		return
	}
	if u, ok := msg.Bytes("srcuuid"); ok && len(u) == 16 {
		d.peerUUID[src] = append([]byte(nil), u...)
	}
	res := d.rel.Receive(now, msg)
	for _, c := range res.Send {
		d.sendControl(c)
	}
	for _, raw := range res.Resend {
		d.broadcast(raw)
	}
	if res.Lost > 0 {
		d.log.WithField("node", src).Infof("%d lost packet(s) for [%s]", res.Lost, src)
	}
	if res.AllFound {
		d.log.WithField("node", src).Infof("No pkts missing from %s!", src)
	}
	if res.Verdict == reliable.Duplicate {
		d.touchLink(src, p.Medium, msg, now, true)
	}
	if res.Verdict != reliable.Deliver {
		return
	}
	if res.Stale && msg.Type() == "status" {
		// A retransmitted old status: its link is alive, but the node's
		// status and deadtime stay as the newer messages set them (a
		// start-up dt must not come back after the node has settled).
		d.touchLink(src, p.Medium, msg, now, false)
		return
	}
	d.deliver(src, p.Medium, msg, res.Restart, now)
}

// touchLink accounts a duplicate status message for the link it came
// on: with several media every message arrives once per medium, and the
// copies after the first are duplicates for reliable delivery, yet each
// proves its own link alive (3.0.6 updates the link before dropping the
// duplicate). Only a live peer's status counts, and its status is left as
// it is, so a stale copy cannot change what the node is; useDT says
// whether its advertised deadtime is current (a copy of the newest status)
// or not (an older status retransmitted).
func (d *Daemon) touchLink(src, medium string, msg *wire.Message, now time.Time, useDT bool) {
	if msg.Type() != "status" {
		return
	}
	st, ok := d.mem.Node(src)
	if !ok || st.Status == membership.StatusDead || st.Status == membership.StatusInit || st.Status == "" {
		return
	}
	if g, err := msg.Generation(); err != nil || g != st.Generation {
		return
	}
	hb := membership.Heartbeat{Node: src, Medium: medium, At: now, Generation: st.Generation, DeadTime: st.DeadTime}
	if dt, err := msg.Deadtime(); err == nil && useDT {
		hb.DeadTime = time.Duration(dt) * time.Millisecond
	}
	ev, _ := d.mem.Heartbeat(hb)
	d.membershipEvents(ev)
}

// badPacket logs an authentication failure, at most once a minute per
// sender address, naming the sender when the packet says who it is.
func (d *Daemon) badPacket(p media.Packet, err error, now time.Time) {
	var ae *wire.AuthError
	if !errors.As(err, &ae) {
		if d.cfg.LogBadPack {
			d.log.WithField("medium", p.Medium).Debugf("malformed packet from %s: %v", p.From, err)
		}
		return
	}
	if last, ok := d.badAuthLog[p.From]; ok && now.Sub(last) < time.Minute {
		return
	}
	d.badAuthLog[p.From] = now
	who := p.From
	if m, derr := wire.Decode(p.Data); derr == nil && m.Value("src") != "" {
		who = m.Value("src") + " (" + p.From + ")"
	}
	d.log.WithField("medium", p.Medium).Errorf("Bad authentication from %s: %v (check authkeys on both nodes)", who, err)
}

func (d *Daemon) handlePing(p media.Packet, now time.Time) {
	target := p.From
	if i := strings.LastIndex(target, ":"); i > 0 && strings.Count(target, ":") == 1 {
		target = target[:i]
	}
	ev, err := d.mem.PingReply(membership.PingReply{Target: target, Medium: p.Medium, At: now})
	if err != nil {
		d.log.WithField("medium", p.Medium).Debugf("ping reply: %v", err)
		return
	}
	d.membershipEvents(ev)
}

// deliver dispatches an in-order, authenticated message.
func (d *Daemon) deliver(src, medium string, msg *wire.Message, restart bool, now time.Time) {
	if restart {
		d.applyFailover(d.fo.PeerHeard(now, src, true))
	}
	typ := msg.Type()
	switch typ {
	case "status":
		hb := membership.Heartbeat{Node: src, Medium: medium, Status: membership.Status(msg.Value("st")), At: now}
		if dt, err := msg.Deadtime(); err == nil {
			hb.DeadTime = time.Duration(dt) * time.Millisecond
		}
		if g, err := msg.Generation(); err == nil {
			hb.Generation = g
		}
		ev, err := d.mem.Heartbeat(hb)
		if err != nil {
			d.log.WithField("node", src).Debugf("heartbeat: %v", err)
		}
		d.membershipEvents(ev)
		return
	case "reqnodes":
		if msg.Value("dest") == d.opt.Node {
			d.sendRepnodes(src)
		}
		return
	case "repnodes":
		if msg.Value("dest") == d.opt.Node && !d.commUp {
			d.commNowUp(now)
		}
		return
	case failover.TShutdone:
		// Its groups move at once; as in 3.0.6 the node is declared dead
		// when its heartbeats have been missing for its dead time.
		ev, _ := d.mem.Leave(src, now)
		d.membershipEvents(ev)
		if d.opt.Resource == nil {
			d.log.WithField("node", src).Infof("Received shutdown notice from '%s'.", src)
			return
		}
	}
	if d.crm != nil && crmd.Handles(typ) {
		d.crmCheck(d.crm.Deliver(now, msg))
		return
	}
	if d.opt.Resource == nil || d.ipfailMessage(src, msg, now) {
		return
	}
	d.applyFailover(d.fo.Receive(now, toFailover(src, msg)))
}

func toFailover(src string, m *wire.Message) failover.Message {
	f := failover.Message{Type: m.Type(), From: src, Fields: map[string]string{}}
	for _, fl := range m.Fields {
		if fl.Kind == wire.KindString {
			f.Fields[fl.Name] = string(fl.Value)
		}
	}
	return f
}

// membershipEvents logs membership changes and feeds the resource manager.
func (d *Daemon) membershipEvents(evs []membership.Event) {
	for _, e := range evs {
		if d.opt.Events != nil {
			d.opt.Events(e)
		}
		if d.crm != nil {
			at := e.At
			if at.IsZero() {
				at = d.clk.Now()
			}
			d.crmCheck(d.crm.HeartbeatEvent(at, e))
		}
		log := d.log.WithField("node", e.Node)
		if e.Medium != "" {
			log = log.WithField("medium", e.Medium)
		}
		switch e.Kind {
		case membership.NodeUp:
			log.Infof("Status update for node %s: status %s", e.Node, e.Status)
			if e.Type == membership.TypeNormal && e.Node != d.opt.Node {
				d.applyFailover(d.fo.PeerHeard(e.At, e.Node, true))
				d.applyFailover(d.fo.NodeStatus(e.At, e.Node, string(e.Status)))
			}
		case membership.NodeActive, membership.NodeStatusChanged:
			log.Infof("Status update for node %s: status %s", e.Node, e.Status)
			if e.Type == membership.TypeNormal && e.Node != d.opt.Node {
				d.applyFailover(d.fo.NodeStatus(e.At, e.Node, string(e.Status)))
			}
		case membership.NodeDead:
			log.Warnf("node %s: is dead", e.Node)
			if e.Type == membership.TypeNormal && e.Node != d.opt.Node {
				d.rel.SetDead(e.Node, true)
				d.applyFailover(d.fo.NodeDead(e.At, e.Node))
			}
		case membership.NodeLeft:
			log.Infof("node %s: is leaving the cluster (shutdown)", e.Node)
		case membership.NodeRestarted:
			log.Infof("Heartbeat restart on node %s", e.Node)
			d.rel.SetDead(e.Node, false)
		case membership.LinkUp:
			log.Infof("Link %s:%s up.", e.Node, e.Medium)
			if e.Type == membership.TypeNormal {
				d.rel.SetDead(e.Node, false)
			}
		case membership.LinkDead:
			log.Infof("Link %s:%s dead.", e.Node, e.Medium)
		case membership.LateHeartbeat:
			log.Warnf("Late heartbeat: Node %s: interval %d ms", e.Node, e.Gap.Milliseconds())
		}
		d.ipfailEvent(e)
	}
}

// checkCommUp: once every node was heard from or declared dead, ask a
// live peer for its node list (reqnodes); its answer brings comm up. With
// no live peer, comm comes up at once.
func (d *Daemon) checkCommUp(now time.Time) {
	var live string
	for _, n := range d.mem.Nodes() {
		if n.Type != membership.TypeNormal || n.Name == d.opt.Node {
			continue
		}
		switch n.Status {
		case membership.StatusInit:
			return // not heard yet and not dead
		case membership.StatusDead:
		default:
			if live == "" {
				live = n.Name
			}
		}
	}
	if live == "" {
		d.commNowUp(now)
		return
	}
	if d.reqnodesAt.IsZero() || now.Sub(d.reqnodesAt) >= time.Second || d.reqnodesTo != live {
		d.reqnodesTo, d.reqnodesAt = live, now
		m := wire.New("reqnodes")
		m.Add("dest", live)
		d.sendReliable(m)
	}
}

func (d *Daemon) sendRepnodes(to string) {
	var b strings.Builder
	for _, n := range d.cfg.Nodes {
		b.WriteString(n.Name + " ")
	}
	m := wire.New("repnodes")
	m.Add("dest", to)
	m.Add("nodelist", b.String())
	m.Add("delnodelist", "")
	d.sendReliable(m)
}

func (d *Daemon) commNowUp(now time.Time) {
	if d.commUp {
		return
	}
	d.commUp = true
	d.log.Infof("Comm_now_up(): updating status to active")
	d.setLocalStatus(membership.StatusActive, now)
	d.sendStatus(now)
	if d.opt.Notify != nil {
		d.opt.Notify("READY=1")
	}
	if d.opt.Resource != nil {
		d.applyFailover(d.fo.CommUp(now))
	}
}

// applyFailover carries out the resource manager's actions. In crm mode
// the v1 resource manager has nothing to manage and stays silent.
func (d *Daemon) applyFailover(acts []failover.Action) {
	if d.crm != nil {
		return
	}
	for _, a := range acts {
		switch a := a.(type) {
		case failover.Send:
			d.sendCluster(a.Msg)
		case failover.RunJob:
			d.runJob(a.Job)
		case failover.Fence:
			d.fence(a.Node)
		case failover.Log:
			d.logFailover(a)
		case failover.Exit:
			d.exitNow = true
		}
	}
}

func (d *Daemon) logFailover(l failover.Log) {
	switch l.Level {
	case failover.Debug:
		d.log.Debug(l.Text)
	case failover.Info:
		d.log.Info(l.Text)
	case failover.Warn:
		d.log.Warn(l.Text)
	default:
		d.log.Error(l.Text)
	}
}
