package failover

import (
	"strings"
	"time"
)

// This file holds the transitions of 3.0.6's resource manager, one
// function per handler of the original, with its decisions in the same
// order so both implementations answer every message alike.

// updHolding applies a resource report: a full report replaces the set,
// a partial one adds to it ("none" always clears).
func updHolding(full bool, cur, up Holding) Holding {
	if full || up == None {
		return up
	}
	return up | cur
}

func (m *Machine) isStable() bool {
	idle := m.running == nil && len(m.queue) == 0
	if !m.cfg.Mode.nice() {
		return idle
	}
	if m.shutdownInProgress && m.rstate == RInit {
		return true
	}
	return m.otherStable && !m.takeoverInProgress && m.standby == standbyNot &&
		m.standbyDeadline.IsZero() && idle &&
		(m.rstate == RStable || m.rstate == RShutdown || m.rstate == RInit)
}

func (m *Machine) announce(reason string) {
	if m.announced || !m.localWorkDone || !m.foreignWorkDone {
		return
	}
	m.logf(Info, "Initial resource acquisition complete (%s)", reason)
	m.announced = true
}

// audit reports groups held twice or by nobody; the same finding is not
// repeated while it lasts.
func (m *Machine) audit() {
	if !m.cfg.Mode.nice() {
		return
	}
	var found []string
	if m.iHold&Local != 0 && m.otherHolds&Foreign != 0 {
		found = append(found, "Both machines own our resources!")
	}
	if m.otherHolds&Local != 0 && m.iHold&Foreign != 0 {
		found = append(found, "Both machines own foreign resources!")
	}
	if m.isStable() && !m.shutdownInProgress && m.rstate != RShutdown {
		if m.iHold&Local == 0 && m.otherHolds&Foreign == 0 && len(m.keysOf(Local)) > 0 {
			found = append(found, "No one owns our local resources!")
		}
		if m.otherHolds&Local == 0 && m.iHold&Foreign == 0 && len(m.keysOf(Foreign)) > 0 {
			found = append(found, "No one owns foreign resources!")
		}
	}
	key := strings.Join(found, "\n")
	if key == m.lastAudit {
		return
	}
	m.lastAudit = key
	for _, f := range found {
		m.logf(Err, "%s", f)
	}
}

func (m *Machine) shutdownIfNeeded() {
	if m.needsShutdown {
		m.giveupResources()
	}
}

// reqOurResources acquires our own groups unless someone already holds
// them (getAnyway forces it after a takeover).
func (m *Machine) reqOurResources(getAnyway bool) {
	if m.shutdownInProgress {
		return
	}
	if m.cfg.Mode.nice() {
		if (m.otherHolds&Foreign != 0 || m.iHold&Local != 0) && !getAnyway && m.standby == standbyNot {
			m.logf(Info, "Local Resource acquisition completed. (none)")
			return
		}
		// Claim them now, before any interim report could let the peer think
		// they are free.
		m.iHold |= Local
	}
	up := 1 // ourselves
	for _, p := range m.peers {
		if p.status == "active" {
			up++
		}
	}
	m.enqueue(task{purpose: pReqOur, alone: up < 2,
		job: Job{Name: "req_our_resources", Kind: CheckGroups, Keys: m.keysOf(Local)}})
}

// recoverDead handles a peer declared dead: fence it if it might hold
// resources, then take its groups.
func (m *Machine) recoverDead(node string, p *peer) {
	if m.standby != standbyNot {
		m.logf(Info, "Cancelling pending standby operation")
		m.standby = standbyNot
		m.standbyDeadline = time.Time{}
		if !m.otherStable && m.iHold&All == All {
			m.otherStable = true
		}
		m.shutdownIfNeeded()
	}
	if m.shutdownInProgress {
		switch m.rstate {
		case RShutdown, RStable:
			return
		}
		m.giveupResources()
		return
	}
	m.needsFailback = true

	needStonith := true
	if p.anyPackets {
		if m.cfg.Mode.nice() {
			if m.otherHolds == None {
				needStonith = false
			}
		} else if !p.hasResources {
			needStonith = false
		}
	}
	if needStonith {
		if m.cfg.Stonith {
			m.out = append(m.out, Fence{Node: node})
			return // takeover follows FenceDone
		}
		m.send(TStonith, FNode, node, FResult, StonithNotConfigd)
		m.logf(Warn, "No STONITH device configured.")
		m.logf(Warn, "Shared disks are not protected.")
		m.takeoverFrom(node)
		return
	}
	m.logf(Info, "Dead node %s gave up resources.", node)
	m.send(TStonith, FNode, node, FResult, StonithUnneeded)
	if !m.cfg.Mode.nice() {
		m.takeoverFrom(node)
		return
	}
	if m.iHold&All == All {
		m.otherStable = true
		return
	}
	if m.iHold&Local == 0 {
		m.reqOurResources(true)
	}
	if m.iHold&Foreign == 0 {
		m.takeoverFrom(node)
	}
}

// takeoverFrom takes every group of a node that is gone (mach_down).
func (m *Machine) takeoverFrom(node string) {
	if m.shutdownInProgress {
		m.logf(Info, "Resource takeover cancelled - shutdown in progress.")
		m.shutdownIfNeeded()
		return
	}
	m.logf(Info, "Resources being acquired from %s.", node)
	m.enqueue(task{purpose: pMachDown, node: node})
	if m.cfg.Mode.nice() {
		m.iHold |= Foreign
		m.otherHolds = None
		m.otherStable = true // it is not going anywhere
		m.takeoverInProgress = true
	}
	m.reqOurResources(true)
	if p := m.peers[node]; p != nil {
		p.anyPackets = true
	}
}

// processResources handles starting, resource and shutdone reports in
// nice-failback mode.
func (m *Machine) processResources(msg Message, fromSelf bool) {
	m.shutdownIfNeeded()
	if !m.cfg.Mode.nice() {
		return
	}
	newr := m.rstate
	if m.cfg.Restarting {
		m.rstate, newr = RStable, RStable
	}

	if msg.Type == TStarting && !fromSelf {
		switch m.rstate {
		case RRscRcvd, RStable, RShutdown:
		case RStarting:
			newr = RBothStarting
			m.foreignWorkDone = true
			m.announce("HB_R_BOTHSTARTING")
		default:
			m.logf(Err, "Received '%s' message in state %d", TStarting, m.rstate)
			return
		}
		m.otherStable = false
		if m.takeoverInProgress {
			m.logf(Warn, "T_STARTING received during takeover.")
		}
		m.sendHeld(m.rstate == RStable, "")
	}

	if msg.Type == TResource {
		hold, ok := msg.Fields[FRscHold]
		if !ok {
			m.logf(Err, "resource message without rsc_hold field.")
			return
		}
		n, known := ParseHolding(hold)
		if !known {
			m.logf(Err, "encode_resources: bad resource type [%s]", hold)
		}
		full := msg.Get(FRType) == "full"
		switch m.rstate {
		case RBothStarting, RStarting:
			newr = RRscRcvd
			if m.cfg.Mode == AutoFailbackOff {
				m.foreignWorkDone = true
				m.announce("T_RESOURCES")
			}
		case RRscRcvd, RStable, RShutdown:
		default:
			m.logf(Err, "resource message received in state %d", m.rstate)
			return
		}
		if !fromSelf {
			m.otherHolds = updHolding(full, m.otherHolds, n)
			if st, ok := msg.Fields[FIsStable]; ok {
				if st == "1" {
					if !m.otherStable {
						m.logf(Info, "remote resource transition completed.")
						m.otherStable = true
						m.sendHeld(m.rstate == RStable, "")
						m.performAutoFailback()
					}
				} else {
					m.otherStable = false
				}
			}
			if m.rstate != RStable && m.rstate != RShutdown && m.otherStable {
				m.logf(Info, "remote resource transition completed.")
				m.reqOurResources(false)
				newr = RStable
				m.sendHeld(true, "")
				m.performAutoFailback()
				m.foreignWorkDone = true
				if m.cfg.Mode == AutoFailbackOff && m.otherHolds&Foreign != 0 {
					m.localWorkDone = true
				}
				m.announce("T_RESOURCES(them)")
			}
		} else {
			m.iHold = updHolding(full, m.iHold, n)
			if m.iHold&Local != 0 {
				m.localWorkDone = true
				m.announce("T_RESOURCES(us)")
			}
			switch msg.Get(FInfo) {
			case "mach_down":
				m.logf(Info, "mach_down takeover complete.")
				m.takeoverInProgress = false
				m.iHold |= Foreign
				m.needsFailback = true
				m.otherStable = true
				m.foreignWorkDone = true
				m.announce("mach_down")
			case "shutdown":
				m.rstate, newr = RShutdown, RShutdown
			}
		}
	}

	if msg.Type == TShutdone {
		if !fromSelf {
			m.otherStable = true
			m.otherHolds = None
			if m.iHold != All && !m.shutdownInProgress {
				rtype := All
				switch m.iHold {
				case Foreign:
					rtype = Local
				case Local:
					rtype = Foreign
				}
				m.standby = standbyDone // take over immediately
				m.goStandby(false, rtype)
			}
		} else {
			m.rstate, newr = RShutdown, RShutdown
			m.iHold = None
		}
	}

	if m.rstate != newr {
		m.logf(Debug, "STATE %d => %d", m.rstate, newr)
	}
	m.rstate = newr
	if m.rstate == RRscRcvd && m.localTakeoverAt.IsZero() {
		m.localTakeoverAt = m.now.Add(LocalTakeoverDelay)
	}
	m.audit()
	m.shutdownIfNeeded()
}

func (m *Machine) onShutdone(msg Message, fromSelf bool) {
	if m.commUp {
		m.processResources(msg, fromSelf)
	}
	if fromSelf {
		m.exitAt = m.now.Add(FinalShutdownDelay)
		return
	}
	if p := m.peers[msg.From]; p != nil {
		p.hasResources = false
	}
	m.otherStable = false
	m.otherHolds = None
	m.logf(Info, "Received shutdown notice from '%s'.", msg.From)
	m.takeoverFrom(msg.From)
}

func (m *Machine) performAutoFailback() {
	if m.shutdownInProgress || m.iHold&Foreign == 0 || !m.needsFailback || m.cfg.Mode != AutoFailbackOn {
		m.needsFailback = false
		m.shutdownIfNeeded()
		return
	}
	if m.standby != standbyNot || !m.otherStable || m.rstate != RStable {
		m.logf(Debug, "Auto failback delayed.")
		m.autoFailbackAt = m.now.Add(AutoFailbackRetry)
		return
	}
	m.logf(Debug, "Auto failback triggered.")
	m.standbyType = Foreign
	m.sendStandby(standbyMe, Foreign)
	m.needsFailback = false
}

// askForResources runs the three-phase standby protocol: "me" (I want to
// give X up), "other" (go ahead, I can take it), "done" (released /
// acquired).
func (m *Machine) askForResources(msg Message, fromSelf bool) {
	if !m.cfg.Mode.nice() {
		m.logf(Info, "Standby mode only implemented when nice_failback on")
		return
	}
	if m.rstate == RShutdown {
		return
	}
	info, from := msg.Get(FInfo), msg.From
	rtype := All
	if v, ok := msg.Fields[FRscHold]; ok {
		rtype, _ = ParseHolding(v)
	}
	if info == "" || from == "" {
		m.logf(Err, "Received standby message without info/from")
		return
	}
	if !m.standbyDeadline.IsZero() && m.now.Before(m.standbyDeadline) && strings.EqualFold(info, "me") {
		left := (m.standbyDeadline.Sub(m.now).Milliseconds() + 999) / 1000
		m.logf(Warn, "Standby in progress- new request from %s ignored [%d seconds left]", from, left)
		return
	}
	orig := m.standby
	ignored := false
	switch m.standby {
	case standbyNot:
		if !m.otherStable {
			m.logf(Warn, "standby message [%s] from %s ignored.  Other side is in flux.", info, from)
			return
		}
		if m.rstate != RStable {
			m.logf(Warn, "standby message [%s] from %s ignored.  local resources in flux.", info, from)
			return
		}
		m.standbyType = rtype
		if !strings.EqualFold(info, "me") {
			ignored = true
			break
		}
		m.otherStable = false
		m.logf(Info, "%s wants to go standby [%s]", from, rtype)
		if fromSelf {
			m.standbyDeadline = m.now.Add(StandbyReplyTimeout)
			m.standby = standbyMe
		} else {
			m.standby = standbyOther
			m.sendStandby(standbyOther, m.standbyType)
			m.standbyDeadline = m.now.Add(StandbyTimeout)
		}
	case standbyMe:
		switch {
		case !fromSelf:
			m.standbyType = rtype
			m.standbyDeadline = m.now.Add(StandbyTimeout)
			if strings.EqualFold(info, "other") {
				m.logf(Info, "standby: %s can take our %s resources", from, rtype)
				m.goStandby(true, rtype)
			} else {
				ignored = true
			}
		case strings.EqualFold(info, "done"):
			m.logf(Info, "Local standby process completed [%s].", rtype)
			m.standby = standbyDone
			m.iHold &^= m.standbyType
			m.standbyDeadline = m.now.Add(StandbyTimeout)
		default:
			ignored = true
		}
	case standbyOther:
		m.standbyType = rtype
		if strings.EqualFold(info, "done") {
			m.standbyDeadline = m.now.Add(StandbyTimeout)
			if !fromSelf {
				m.logf(Info, "standby: acquire [%s] resources from %s", rtype, from)
				m.goStandby(false, m.standbyType)
				m.standby = standbyDone
			} else {
				ignored = true
			}
		} else if !fromSelf || !strings.EqualFold(info, "other") {
			ignored = true
		}
	case standbyDone:
		m.standbyType = rtype
		if info != "done" {
			ignored = true
			break
		}
		m.standbyDeadline = time.Time{}
		m.standby = standbyNot
		if fromSelf {
			m.logf(Info, "Standby resource acquisition done [%s].", rtype)
			if m.cfg.Mode == AutoFailbackOn {
				m.localWorkDone = true
				m.announce("auto_failback")
			}
			m.iHold |= rtype.swap()
		} else {
			m.logf(Info, "Other node completed standby takeover of %s resources.", rtype)
		}
		m.sendHeld(true, "")
	}
	if ignored {
		m.logf(Err, "Ignored standby message '%s' from %s in state %d", info, from, orig)
	}
	m.shutdownIfNeeded()
}

// goStandby gives up (giveUp) or acquires a set of groups for the standby
// protocol; set is named from the sender's side of the conversation.
func (m *Machine) goStandby(giveUp bool, set Holding) {
	if giveUp {
		m.otherStable = false
		m.iHold &^= set
		m.sendHeld(false, "standby")
	}
	act := set
	if !giveUp {
		act = set.swap()
	}
	if act == None {
		m.logf(Err, "no resources to %s", map[bool]string{true: "give up", false: "acquire"}[giveUp])
		return
	}
	kind, verb := TakeGroups, "acquire"
	if giveUp {
		kind, verb = GiveGroups, "give up"
	}
	m.logf(Info, "%s %s HA resources (standby).", verb, act)
	m.enqueue(task{purpose: pGoStandby, set: m.standbyType, act: act, acquire: !giveUp,
		job: Job{Name: "go_standby", Kind: kind, Keys: m.keysOf(act)}})
}

// giveupResources is the first part of a graceful shutdown: once resource
// activity is over, release every group and send shutdone.
func (m *Machine) giveupResources() {
	if !m.isStable() {
		if !m.needsShutdown {
			m.logf(Warn, "Shutdown delayed until current resource activity finishes.")
			m.needsShutdown = true
		}
		return
	}
	m.needsShutdown = false
	m.shutdownInProgress = true
	if m.giveupStarted {
		m.logf(Info, "Heartbeat shutdown already underway.")
		return
	}
	m.giveupStarted = true
	m.iHold = None
	m.rstate = RShutdown
	m.sendHeld(false, "shutdown")
	m.logf(Info, "Heartbeat shutdown in progress.")
	m.logf(Info, "Giving up all HA resources.")
	m.enqueue(task{purpose: pGiveup, job: Job{Name: "hb_giveup_resources", Kind: GiveGroups, Keys: m.allKeys()}})
}
