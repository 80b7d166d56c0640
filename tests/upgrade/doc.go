// Package upgrade holds the end-to-end tests of the v1 -> `crm on`
// upgrade: a two-node haresources cluster converted by haresources/tocib
// must be placed by the real Pacemaker scheduler (crm_simulate) where the
// v1 resource manager (heartbeat/failover) leaves its groups, in takeover
// and failback, for each auto_failback mode. The same upgrade with real
// daemons is tests/crm's TestUpgradedClusterBehavesLikeV1; UPGRADING.md
// is the admin's procedure.
package upgrade
