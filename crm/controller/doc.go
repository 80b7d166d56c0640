// Package controller is the per-node coordinator of `crm on` mode, as a
// pure state machine: the CRM membership (the member list every node of a
// partition agrees on, with an instance number, built over the heartbeat
// layer's node up/dead events), quorum, the election of the Designated
// Coordinator (DC), and replication of the CIB with the DC as authority.
//
// The Machine performs no I/O, starts no goroutine and reads no clock:
// every input carries `now`, every output is an Action (send a message,
// write the CIB, call the policy engine, probe a node, report a finished
// write). Actions must be carried out in the order returned: a WriteCIB
// precedes the Send that announces it, so a reply saying "done" never
// leaves a node before the change is on the DC's disk.
//
// # Membership and election (one protocol)
//
// Every node ranks the live nodes it knows of with Better: lower
// Config.Priority first, then lower node name. The node that ranks first
// in its own heartbeat view is the coordinator of its partition. It offers
// a membership (crm_join_offer: instance, member list = its heartbeat
// view), every listed node that agrees the sender ranks first answers
// crm_join_ack (with its CIB version and digest), and once all have
// answered the coordinator confirms (crm_join_confirm) and is the DC of
// that instance. Nodes that do not answer within JoinTimeout are left out
// of the next offer until they ask to join (crm_join_request) or
// RetryInterval passes. Instance numbers only grow: a node refuses an offer
// whose instance is not above any it has seen (crm_join_nack carries the
// highest), so a restarted coordinator catches up in one exchange.
//
// The rule differs from crmd's (which prefers the oldest uptime) on
// purpose: the outcome depends only on the member set, so any node can
// predict the DC and tests can check there is exactly one. The cost: when
// the preferred node rejoins it takes the DC role back (one extra
// election; resources are not moved by it). Give nodes Priority to choose.
//
// Once the heartbeat view of a partition is stable, its DC is elected
// within about max(JoinTimeout, a few message delays) after the last
// heartbeat event, so a DC's death is repaired within deadtime +
// JoinTimeout + margin; the property test checks this bound.
//
// # Quorum
//
// See Quorum: majority of the configured nodes; a half exactly (tie) has
// quorum in a two-node cluster, and in larger clusters only on the side
// holding the first configured node; configured ping nodes must then also
// be reachable (a majority of them), so a node cut from the outside world
// cannot win a tie. The DC computes quorum and announces it; the caller
// reads no-quorum-policy from the CIB and acts on Membership.Quorum.
//
// # CIB replication
//
// The DC's CIB is the master copy. On each new membership the DC compares
// the versions (admin_epoch, epoch, num_updates) members reported: the
// highest wins (the DC on ties); if a member holds it, the DC pulls that
// copy (crm_cib_sync_req / crm_cib_full). Members whose version or digest
// differ then get a full copy. In steady state each change travels as a
// patch (crm_cib_diff) with from/to versions; a member whose version is
// not the patch's from-version asks the DC for a full copy. The DC also
// announces its version and digest every RetryInterval (crm_cib_version),
// so a member that lost the last diff catches up without waiting for the
// next change. CIBs and patches above CompressAbove travel gzipped.
//
// A change requested on any node (Request) is forwarded to the DC
// (crm_cib_request), validated and applied there, written, replicated, and
// only then acknowledged (crm_cib_reply, then CommitDone on the
// requester). Pending requests are resent on every new membership; the
// DC remembers the answers it gave (per requester and request id) and
// repeats them instead of applying a change twice. A new DC has no such
// memory, so across a DC failover a resent change may be applied again
// (patch operations are idempotent; a change already present is
// acknowledged as done). A request unanswered within RequestTimeout ends
// with ErrRequestTimeout: its outcome is unknown, never "done".
//
// Before the DC first schedules, it asks for every member's resources to
// be probed (ProbeNode); Schedule is emitted only when the CIB is settled
// and every member has been probed (ProbeDone), and again after each change.
//
// # Driving it from the daemon
//
// Driver carries out the actions (WriteCIB through cibstore.Save of
// Doc.ForDisk, stopping on failure; Send through the heartbeat layer's
// reliable delivery; Schedule, ProbeNode, CommitDone through Effects). With
// `crm on` the daemon, from its single event loop:
//   - at start: LoadCIB(state dir + "/crm", log), New(cfg, doc, now), NewDriver;
//     cfg.Nodes from ha.cf node lines, PingNodes from ping/ping_group,
//     StartupWait = initdead, JoinTimeout about deadtime/4, RetryInterval
//     about deadtime/2, Validator from the policy engine's CIB check;
//   - every membership.Event it gets: Driver.HeartbeatEvent;
//   - every received message with IsController(type): Driver.Deliver;
//   - every keepalive: Driver.Tick;
//   - Effects.Send: sendReliable (the message already has t and dest;
//     the daemon stamps src, seq, hg, ts, ttl as for any message);
//   - client CIB changes (cibadmin-like API): Driver.Request, answering the
//     client on Effects.Committed;
//   - Effects.Probe / Schedule: the transition engine with resourced
//     (probes record their results through Driver.Request on the DC, then
//     Driver.ProbeDone); no-quorum-policy is read from the Schedule's Doc;
//   - an ErrWriteFailed from any Driver call is fatal (failfast).
package controller
