// Package admin holds what the administration commands (cl_status,
// hb_standby, hb_takeover) share: the --run-dir option, the argument
// rules of the 3.0.6 scripts, and what hb_standby / hb_takeover mean in
// crm mode (location constraints in the CIB).
package admin
