// Command hb2cib converts a v1 (haresources) Heartbeat configuration into
// a Pacemaker CIB for `crm on`: it reads ha.cf and haresources from the
// configuration directory and writes cib.xml, printing every warning as
// FILE:LINE: message. Exit status 0 on success, 1 on any error.
//
// Usage:
//
//	hb2cib [--config-dir DIR] [--node-name NAME] [-o FILE [--force]] [--dry-run] [--lenient]
//
// The conversion itself lives in hbgo/haresources/tocib.
package main
