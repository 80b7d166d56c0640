// Command crm_verify checks a CIB (-x FILE, or -L: CIB_file when set, else
// the CIB of the daemon of --run-dir) and exits
// as Pacemaker's crm_verify does: 0 when the configuration is usable, 78
// when it is not well-formed XML, breaks the CIB's structure, or holds
// something the scheduler complains about (listed with -V): misused
// target-role, duplicate operations, no fencing devices with fencing on,
// deprecated options, active orphans and nodes that will be fenced. Only part of the scheduler's checks exist.
package main
