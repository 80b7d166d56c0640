// Package lrmproxy owns remote execution of transition actions in `crm on`
// mode: the DC asks the target node's daemon to run a resource operation
// over the heartbeat layer's reliable messaging and gets the result back.
//
//   - Msg, Encode and Decode: the crm_lrm_exec, crm_lrm_cancel (DC -> node),
//     crm_lrm_result and crm_lrm_event (node -> DC) messages.
//   - Proxy (DC side) implements tengine.Executor: operations on the DC's own
//     node run locally, the others are sent to their node; RunOp completes
//     when the answer arrives, at the operation's timeout plus a margin (a
//     timed-out result), or when the node dies (an error result, so the
//     transition aborts and the DC schedules again).
//   - Node (every node) runs the requests it receives through its
//     resourced.Manager, answers the requester, remembers recent answers so
//     a repeated request is answered again without running twice, and sends
//     the changed results of its recurring monitors to the current DC.
//
// Both sides are driven by the daemon: received messages with IsLRM(type)
// go to Proxy.Deliver or Node.Deliver, membership events to
// Proxy.HeartbeatEvent, the DC's name to Node.SetDC; Send functions hand
// messages to the reliable sender, which stamps the envelope.
package lrmproxy
