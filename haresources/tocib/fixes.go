package tocib

// Where this converter differs from Heartbeat 2.x's haresources2cib.py,
// on purpose (each point has a test named after it in convert_test.go or
// tests/upgrade):
//
//  1. Stickiness follows auto_failback (TestStickinessFollowsAutoFailback,
//     tests/upgrade). The script always wrote default-resource-stickiness
//     0, so `auto_failback off` clusters started failing back after the
//     upgrade. Here on/legacy give StickinessFailback (below HomeScore)
//     and off gives StickinessStay (above it); both are non-negative — a
//     negative stickiness would push groups off the node they run on.
//  2. stonith-enabled is really set when ha.cf has stonith or
//     stonith_host (TestStonithHostDevices). The script wrote the devices
//     but misspelled the property (stonith_enabled vs stonith-enabled), so
//     fencing stayed off. Devices also get constraints keeping them off
//     the node they fence and on the node they are reachable from.
//  3. IPaddr/IPaddr2 arguments are split the way the 3.0.6 wrappers split
//     them, through resourced.MapLegacy (TestPrimitiveMapping): the form
//     IP/MASK/BROADCAST puts a third field starting with a digit in
//     broadcast, not in nic, as a plain positional split of
//     ip/bits/nic/broadcast (the script's) would have it; runs of '/'
//     are skipped, and a dotted netmask is written as CIDR bits.
//  4. Every line becomes a group, members in line order
//     (TestGroupsKeepLineOrder): a Pacemaker group is ordered and
//     colocated, so start is left to right and stop right to left as in
//     v1. The script made lone primitives for one-resource lines and
//     numbered groups group_1, group_11, group_21; its #rsc_order /
//     #rsc_colocation comment extensions are not honoured: order and
//     colocation come from the group alone, so they cannot contradict
//     the line. Ids come from the group
//     key and are unique and legal XML ids (TestIDsAreUniqueAndLegal).
//  5. no-quorum-policy is ignore for two-node clusters (TestClusterOptions):
//     the script wrote stop, so the survivor of a two-node cluster, having
//     no majority, stopped everything instead of taking over.
//  6. Other wrapper parameters follow the wrapper scripts (MapLegacy), not
//     a positional guess from the agent's meta-data; a wrapper with the
//     wrong argument count stays heartbeat-class so it fails as in v1
//     (TestPrimitiveMapping).
//  7. Scripts are looked up as v1 does, resource.d before init.d; a
//     script found nowhere is not written as class "UNKNOWN" (which
//     Pacemaker rejects) but as heartbeat class with a warning
//     (TestPrimitiveMapping). The heartbeat class itself is flagged once:
//     Pacemaker 2.x no longer has it (TestHeartbeatClassIsFlaggedOnce).
//  8. The nodes section is filled from the node lines, and options the
//     script put in crm_config but Pacemaker 2 no longer reads there
//     (default-resource-stickiness, default-action-timeout, ...) are
//     replaced by rsc_defaults and per-operation timeouts
//     (TestClusterOptions, TestPrimitiveMapping).
