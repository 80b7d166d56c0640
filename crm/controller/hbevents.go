package controller

import (
	"time"

	"hbgo/heartbeat/membership"
)

// HeartbeatEvent feeds one event of the heartbeat layer's membership to
// the Machine: cluster nodes heard (NodeUp) join the view, nodes declared
// dead or announcing a clean stop (NodeLeft) leave it, a restart
// (NodeRestarted) is a leave then a join (the node lost its resources'
// state; see NodeRestarted), ping nodes drive quorum tie-breaks. Events about the local node
// and link-level events do not concern the CRM.
func (m *Machine) HeartbeatEvent(now time.Time, ev membership.Event) []Action {
	if ev.Local {
		return nil
	}
	if ev.Type == membership.TypePing {
		switch ev.Kind {
		case membership.NodeUp:
			return m.PingUp(now, ev.Node)
		case membership.NodeDead:
			return m.PingDown(now, ev.Node)
		}
		return nil
	}
	switch ev.Kind {
	case membership.NodeUp, membership.NodeActive:
		return m.NodeUp(now, ev.Node)
	case membership.NodeDead, membership.NodeLeft:
		return m.NodeDown(now, ev.Node)
	case membership.NodeRestarted:
		return m.NodeRestarted(now, ev.Node)
	}
	return nil
}
