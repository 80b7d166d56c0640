// Package attrd owns node attributes: transient ones (lifetime "reboot",
// kept in the status section's transient_attributes and lost when the node
// leaves) and permanent ones (lifetime "forever", in the nodes section),
// the attrd_updater value syntax ("name++", "name+=N"), and fail counts:
// fail-count-RSC#OP_INTERVAL and last-failure-RSC#OP_INTERVAL, raised by
// failed operations. The store is pure: every update returns the CIB
// changes it implies, which Apply writes into a parsed CIB. The policy
// engine reads the fail counts and compares them with migration-threshold.
package attrd
