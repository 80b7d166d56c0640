// Package meatware implements cluster-glue's "human STONITH" handshake:
// the device creates the FIFO <dir>/meatware.<host> (mode 600) and blocks
// until an operator, after power-cycling the host by hand, runs meatclient
// which writes one 256-byte record "meatware reply <host>" into it. The
// byte layout matches cluster-glue's, so its meatclient can answer our
// device and ours can answer its plugin.
package meatware
