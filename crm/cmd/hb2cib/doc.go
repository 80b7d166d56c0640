// Command hb2cib converts a v1 (haresources) Heartbeat configuration into
// a Pacemaker CIB for `crm on`: it reads ha.cf and haresources from the
// configuration directory and writes cib.xml, printing every warning as
// FILE:LINE: message. Exit status 0 on success, 1 on any error.
//
// Usage:
//
//	hb2cib [--config-dir DIR] [--node-name NAME] [-o FILE [--force]] [--dry-run] [--lenient]
//
// For the upgrade, write it where the daemon reads its CIB, on every node
// (the cluster stopped), then add `crm on` to ha.cf:
//
//	hb2cib -o /var/lib/heartbeat/crm/cib.xml
//
// A cib.xml.sig left there by an earlier crm run is removed with it. The
// whole procedure is in tests/upgrade/UPGRADING.md.
//
// The conversion itself lives in hbgo/haresources/tocib.
package main
