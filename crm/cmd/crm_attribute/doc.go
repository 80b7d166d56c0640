// Command crm_attribute queries, sets and deletes cluster options and node
// attributes in the CIB with Pacemaker's command line (-n NAME [-v VALUE |
// -G | -D] [-N NODE] [-t nodes|crm_config|status] [-l reboot|forever]),
// and the promotion score a promotable agent sets for its node
// (-p/--promotion[=RESOURCE], the resource defaulting to
// $OCF_RESOURCE_INSTANCE). Run by an agent it reaches the daemon of
// $HBGO_RUN_DIR and, without -N, names the node of
// $OCF_RESKEY_CRM_meta_on_node.
package main
