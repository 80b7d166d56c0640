// Package udp implements the real Heartbeat media over UDP: bcast, mcast,
// ucast, mcast6 and ucast6, each built from a media.Spec.
//
// Like Heartbeat 3.0.6 every medium has two sockets: a write socket with
// an ephemeral source port, and a read socket on the configured port
// (694 by default). Both are bound to the medium's interface with
// SO_BINDTODEVICE so that a medium only ever carries traffic of its own
// link, and each medium has its own reader goroutine: one failing (a
// missing interface, a send error) never stops the others.
//
//   - bcast sends to the interface's IPv4 broadcast address with
//     SO_BROADCAST; the kernel loops our broadcasts back to us, as on the
//     real thing.
//   - mcast / mcast6 join the group on the interface (golang.org/x/net
//     ipv4/ipv6) and set TTL (hop limit) and loopback as configured.
//   - ucast / ucast6 send to every peer, skipping peers that are one of
//     our own addresses, so one ha.cf can list all nodes.
package udp
