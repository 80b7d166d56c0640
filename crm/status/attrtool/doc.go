// Package attrtool owns the command line shared by crm_attribute and
// crm_standby (crm_standby is crm_attribute fixed to the "standby" node
// attribute): option parsing, the query/update/delete flow, the messages
// and exit codes of Pacemaker 2.1.5's tools. The CIB is CIB_file when set,
// else the daemon of --run-dir (default /var/run/heartbeat).
package attrtool
