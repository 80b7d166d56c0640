// Command crm_attribute queries, sets and deletes cluster options and node
// attributes in the CIB with Pacemaker's command line (-n NAME [-v VALUE |
// -G | -D] [-N NODE] [-t nodes|crm_config|status] [-l reboot|forever]).
package main
