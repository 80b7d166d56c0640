// Package resourced is the local resource manager: it runs OCF, LSB, legacy
// heartbeat resource.d and systemd agents with timeouts and exact exit-code
// meaning, and schedules their operations.
//
// The pieces:
//
//   - Op, Result, Status and the Runner interface: one API for every class
//     ("ocf:heartbeat:IPaddr2", "lsb:dbus", "heartbeat:IPaddr::...",
//     "systemd:foo").
//   - Executor, the real Runner: builds the environment and arguments of
//     each class, runs the action through package proc (own process
//     group, TERM then KILL on timeout, capped output) and maps the
//     outcome to an ocf.ExitCode. It also maps the legacy resource.d
//     wrapper names of heartbeat 3.0.6 (IPaddr, Filesystem, ...) onto the
//     OCF agents when no script of that name is installed.
//   - AgentEnv: the daemon's part of every agent's environment
//     (HA_SBIN_DIR, HA_VARRUN, HBGO_RUN_DIR, the node name as
//     OCF_RESKEY_CRM_meta_on_node), so that tools an agent runs, such as
//     Stateful's crm_attribute, are ours and reach the agent's own daemon.
//   - Manager: serialises operations per resource, runs different
//     resources concurrently with a bounded worker count, applies the probe
//     rules, runs validate-all before start when the agent offers it, and
//     drives recurring monitors from an injected Clock.
//
// Sub-packages: ocf (exit codes, meta-data), proc (process handling),
// systemd (units over D-Bus, and a fake systemd for tests).
package resourced
