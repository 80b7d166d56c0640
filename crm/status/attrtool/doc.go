// Package attrtool owns the command line shared by crm_attribute and
// crm_standby (crm_standby is crm_attribute fixed to the "standby" node
// attribute): option parsing, the query/update/delete flow, the messages
// and exit codes of Pacemaker 2.1.5's tools. The CIB is CIB_file when set,
// else the daemon of --run-dir (default $HBGO_RUN_DIR, else
// /var/run/heartbeat). crm_attribute's --promotion is the promotion score
// (master-<resource>) that promotable agents such as ocf:pacemaker:Stateful
// set for their node; without --node the node is the one the daemon names
// to the agent (OCF_RESKEY_CRM_meta_on_node), else $HBGO_NODE_NAME, else
// the host name.
package attrtool
