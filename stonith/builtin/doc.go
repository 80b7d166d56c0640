// Package builtin reimplements cluster-glue's compiled test plugins,
// which Go cannot load: null (does nothing, accepts any host), ssh (reboot
// through ssh and at, then watch ping), meatware (an operator confirms
// with meatclient) and suicide (the local node reboots itself). Their
// parameter names, info strings, log lines and result codes follow
// cluster-glue 1.0.12.
package builtin
