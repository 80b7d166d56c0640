package daemon

import (
	"strconv"
	"time"

	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
)

// protocolVersion is the protocol= field of status messages.
const protocolVersion = "1"

func hex(n uint64) string { return strconv.FormatUint(n, 16) }

// stamp appends the sender fields (destuuid, src, srcuuid, seq, ld, hg, ts,
// ttl) in 3.0.6's order; seq 0 marks a message without sequence number.
func (d *Daemon) stamp(m *wire.Message, seq uint64, now time.Time) {
	var dest []byte
	if to := m.Value("dest"); to == d.opt.Node {
		dest = d.opt.UUID[:]
	} else if u, ok := d.peerUUID[to]; ok {
		dest = u
	}
	env := wire.Envelope{Src: d.opt.Node, SrcUUID: d.opt.UUID[:], Generation: d.opt.Gen}
	if seq > 0 {
		env.Load = d.load(now)
	}
	env.Stamp(m, seq, dest, now)
}

// sendReliable numbers, signs, records and broadcasts a cluster message,
// then accounts for our own copy as 3.0.6 does (which acknowledges it).
func (d *Daemon) sendReliable(m *wire.Message) {
	now := d.clk.Now()
	seq := d.rel.NextSeq()
	d.stamp(m, seq, now)
	raw, err := m.Encode(d.opt.Keyring)
	if err != nil {
		d.log.WithError(err).Error("cannot encode message")
		return
	}
	d.rel.Sent(seq, raw)
	d.broadcast(raw)
	for _, c := range d.rel.Receive(now, m).Send {
		d.sendControl(c)
	}
}

// sendControl signs and broadcasts a protocol message without seq
// (NS_ackmsg, NS_rexmit, NS_nak_rexmit).
func (d *Daemon) sendControl(m *wire.Message) {
	d.stamp(m, 0, d.clk.Now())
	raw, err := m.Encode(d.opt.Keyring)
	if err != nil {
		d.log.WithError(err).Error("cannot encode message")
		return
	}
	d.broadcast(raw)
}

func (d *Daemon) broadcast(raw []byte) {
	for _, md := range d.opt.Media {
		if err := md.Send(raw); err != nil {
			d.log.WithField("medium", md.Name()).Debugf("send failed: %v", err)
		}
	}
}

// sendStatus is the heartbeat itself.
func (d *Daemon) sendStatus(now time.Time) {
	m := wire.New("status")
	m.Add("st", string(d.localStatus))
	m.Add("dt", hex(uint64(d.mem.AdvertisedDeadtime(now).Milliseconds())))
	m.Add("protocol", protocolVersion)
	d.sendReliable(m)
}

// sendCluster sends a v1 resource message of the failover machine.
func (d *Daemon) sendCluster(o failover.Outgoing) {
	m := wire.New(o.Type)
	for _, f := range o.Fields {
		m.Add(f.Name, f.Value)
	}
	d.sendReliable(m)
}

// sendPings probes every ping node with a signed NS_st message, as 3.0.6
// does; the echo reply carries it back.
func (d *Daemon) sendPings(now time.Time) {
	for _, p := range d.opt.Ping {
		m := wire.New("NS_st")
		m.Add("st", "ping")
		m.Add("info", "ping")
		m.Add("src", p.Name())
		m.Add("ts", hex(uint64(now.Unix())))
		raw, err := m.Encode(d.opt.Keyring)
		if err != nil {
			continue
		}
		if err := p.Send(raw); err != nil {
			d.log.WithField("medium", p.Name()).Debugf("ping failed: %v", err)
		}
	}
}

func (d *Daemon) setLocalStatus(s membership.Status, now time.Time) {
	if d.localStatus == s {
		return
	}
	d.localStatus = s
	d.membershipEvents(d.mem.SetLocalStatus(s, now))
}

// load is the ld= field: /proc/loadavg, read at most once a second (the
// kernel updates it every 5 s; reading it for every message is waste).
func (d *Daemon) load(now time.Time) string {
	if d.opt.LoadAvg != nil {
		return d.opt.LoadAvg()
	}
	if d.ldValue == "" || now.Sub(d.ldAt) >= time.Second || now.Before(d.ldAt) {
		d.ldValue, d.ldAt = loadAvg(), now
	}
	return d.ldValue
}
