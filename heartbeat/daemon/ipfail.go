package daemon

import (
	"time"

	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/ipfail"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
)

// The built-in ipfail (enabled by a `respawn ... ipfail` line) watches the
// ping nodes and hands resources to a better-connected peer.

func (d *Daemon) ipfailView(now time.Time) ipfail.View {
	v := ipfail.View{Now: now, Stable: d.fo.Status() != "transition"}
	for _, n := range d.mem.Nodes() {
		if n.Type == membership.TypePing && n.Status == membership.StatusPing {
			v.PingCount++
		}
	}
	return v
}

func (d *Daemon) ipfailEvent(e membership.Event) {
	if d.ipf == nil {
		return
	}
	v := d.ipfailView(e.At)
	switch {
	case e.Kind == membership.LinkDead:
		d.applyIPFail(d.ipf.LinkDead(v))
	case e.Kind == membership.NodeUp && e.Type == membership.TypePing:
		d.applyIPFail(d.ipf.PingNodeUp(v))
	case e.Kind == membership.NodeActive && e.Type == membership.TypeNormal && e.Node != d.opt.Node:
		d.applyIPFail(d.ipf.PeerJoined(v))
	}
}

// ipfailMessage handles ipfail's messages and watches the peer's
// stability reports; it returns true when msg was ipfail's.
func (d *Daemon) ipfailMessage(src string, msg *wire.Message, now time.Time) bool {
	if d.ipf == nil {
		return false
	}
	switch typ := msg.Type(); typ {
	case ipfail.TNumPing, ipfail.TYouAreDead, ipfail.TAbortGiveup:
		if dest := msg.Value("dest"); dest != "" && dest != d.opt.Node {
			return true
		}
		d.applyIPFail(d.ipf.Receive(typ, map[string]string{ipfail.FNumPing: msg.Value(ipfail.FNumPing)}, d.ipfailView(now)))
		return true
	case failover.TResource:
		if msg.Value(failover.FIsStable) == "1" && !msg.Has(failover.FInfo) {
			d.applyIPFail(d.ipf.PeerStable(d.ipfailView(now)))
		}
	}
	return false
}

func (d *Daemon) applyIPFail(acts []ipfail.Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case ipfail.Send:
			m := wire.New(a.Type)
			m.Add("dest", d.ipfPeer)
			for _, f := range a.Fields {
				m.Add(f[0], f[1])
			}
			m.Add("from_id", "ipfail")
			d.sendReliable(m)
		case ipfail.Standby:
			if h, ok := failover.ParseHolding(a.Set); ok {
				d.applyFailover(d.fo.Standby(d.clk.Now(), h))
			}
		case ipfail.Log:
			d.log.WithField("subsys", "ipfail").Info(a.Text)
		}
	}
}
