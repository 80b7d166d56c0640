// Command crm_standby puts a node in standby or takes it out (-N NODE
// -v on|off), and queries (-G) or deletes (-D) the setting, with
// Pacemaker's command line.
package main
