// Package proc runs the programs behind fencing devices (external
// scripts, fence agents, ssh, reboot helpers): each in its own process
// group, with a deadline, and killed as a whole group when the deadline
// passes or the caller cancels, so a hung script cannot leave children
// behind. Runner is the seam devices depend on; Exec is the real one.
package proc
