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

// hopTTL is the ttl= relay budget 3.0.6 puts in every message.
const hopTTL = "4"

func hex(n uint64) string { return strconv.FormatUint(n, 16) }

// addCommon appends what 3.0.6 appends after the body: destuuid for an
// addressed message, then src, srcuuid, seq (reliable messages only), hg,
// ts, ld (reliable messages only) and ttl.
func (d *Daemon) addCommon(m *wire.Message, seq uint64, now time.Time) {
	if dest := m.Value("dest"); dest != "" {
		if dest == d.opt.Node {
			m.AddBinary("destuuid", d.opt.UUID[:])
		} else if u, ok := d.peerUUID[dest]; ok {
			m.AddBinary("destuuid", u)
		}
	}
	m.Add("src", d.opt.Node)
	m.AddBinary("srcuuid", d.opt.UUID[:])
	if seq > 0 {
		m.Add("seq", hex(seq))
	}
	m.Add("hg", hex(d.opt.Gen))
	m.Add("ts", hex(uint64(now.Unix())))
	if seq > 0 {
		ld := loadAvg
		if d.opt.LoadAvg != nil {
			ld = d.opt.LoadAvg
		}
		m.Add("ld", ld())
	}
	m.Add("ttl", hopTTL)
}

// sendReliable numbers, signs, records and broadcasts a cluster message.
func (d *Daemon) sendReliable(m *wire.Message) {
	now := d.clk.Now()
	seq := d.rel.NextSeq()
	d.addCommon(m, seq, now)
	raw, err := m.Encode(d.opt.Keyring)
	if err != nil {
		d.log.WithError(err).Error("cannot encode message")
		return
	}
	d.rel.Sent(seq, raw)
	d.broadcast(raw)
}

// sendControl signs and broadcasts a protocol message without seq
// (NS_ackmsg, NS_rexmit, NS_nak_rexmit).
func (d *Daemon) sendControl(m *wire.Message) {
	d.addCommon(m, 0, d.clk.Now())
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
