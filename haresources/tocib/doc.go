// Package tocib owns the upgrade of a v1 cluster to `crm on`: it converts
// ha.cf and haresources into a Pacemaker CIB (configuration XML) whose
// placement behaviour matches the v1 resource manager — groups in line
// order, the home node preferred, auto_failback expressed as stickiness,
// STONITH devices from stonith / stonith_host.
//
// The package is pure: the host facts it needs (which scripts exist, the
// parameter names of a STONITH type, the content of a stonith config
// file) come through the Host interface. It replaces Heartbeat 2.x's
// haresources2cib.py and corrects its known mistakes; fixes.go lists them.
package tocib
