package daemon

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/heartbeat/media"
)

// echoPing is a ping medium whose target answers while up is set.
type echoPing struct {
	name string
	up   atomic.Bool
	ch   chan media.Packet
}

func newEchoPing(name string) *echoPing {
	p := &echoPing{name: name, ch: make(chan media.Packet, 16)}
	p.up.Store(true)
	return p
}

func (p *echoPing) Name() string                 { return p.name }
func (p *echoPing) Packets() <-chan media.Packet { return p.ch }
func (p *echoPing) Close() error                 { return nil }
func (p *echoPing) Send(b []byte) error {
	if p.up.Load() {
		select {
		case p.ch <- media.Packet{Data: append([]byte(nil), b...), From: p.name, Medium: p.name, At: time.Now()}:
		default:
		}
	}
	return nil
}

// TestIPFailMovesGroupsToTheBetterConnectedNode: n1 loses its ping node
// while n2 still reaches it; with the built-in ipfail n1 hands its group
// to n2, and gets it back (auto_failback) once its ping node answers.
func TestIPFailMovesGroupsToTheBetterConnectedNode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t, "on")
		c.extraCf = "ping 198.51.100.254\n"
		c.ipfail = true
		pings := map[string]*echoPing{"n1": newEchoPing("198.51.100.254"), "n2": newEchoPing("198.51.100.254")}
		c.ping = func(node string) []media.Medium { return []media.Medium{pings[node]} }
		c.start("n1")
		c.start("n2")
		time.Sleep(13 * time.Second)
		c.expect("ip1", "n1")
		c.expect("ip2", "n2")

		pings["n1"].up.Store(false)
		time.Sleep(5 * time.Second)
		c.expect("ip1", "n2")
		c.expect("ip2", "n2")

		pings["n1"].up.Store(true)
		time.Sleep(5 * time.Second)
		c.expect("ip1", "n1")
		c.expect("ip2", "n2")
		c.crash("n1")
		c.crash("n2")
	})
}
