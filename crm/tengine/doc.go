// Package tengine owns the transition engine: it carries out a transition
// graph (package graph) and records what happened.
//
//   - Core is the pure scheduler: which actions may start given those that
//     completed, pseudo actions completing by themselves, and abort
//     semantics (after a failure or Abort nothing new starts, running
//     actions are awaited, then the outcome is Aborted).
//   - Driver runs the runnable actions in parallel (up to a batch limit)
//     through an Executor, each with its timeout on an injected clock, and
//     records every result.
//   - Status models the CIB status section (node_state, lrm_resource,
//     lrm_rsc_op with call-id, rc-code, op-status, transition-key and
//     -magic, timings and op-digest); it is filled from a parsed CIB,
//     updated by the Driver and by RecordRecurring, applied back to the CIB
//     or written as XML. Status is not safe for concurrent use: the
//     controller serialises the Driver and the recurring-monitor events.
//   - LRMExecutor runs operations through each node's resourced.Manager
//     (recurring monitors stay scheduled there until cancelled);
//     StonithFencer fences with the configured STONITH devices.
//
// A failed action aborts the transition; the caller applies the status and
// the fail counts (package attrd) to the CIB and schedules again.
package tengine
