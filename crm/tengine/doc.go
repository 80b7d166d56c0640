// Package tengine owns the transition engine: it carries out a transition
// graph. Core is the pure scheduler (which actions may start given the ones
// completed, failure and abort handling); Driver runs the runnable actions
// in parallel through an Executor with per-operation timeouts on an injected
// clock and records every result as an lrm_rsc_op entry in a Status model of
// the CIB status section (node_state/lrm/lrm_resources/lrm_resource), which
// can be applied to a parsed CIB or written as XML. A failed action aborts
// the transition; the caller reschedules.
package tengine
