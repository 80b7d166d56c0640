package media

import (
	"errors"
	"net"
	"time"
)

// Medium is one heartbeat link: a way to send a packet to all peers and a
// stream of packets received from them.
type Medium interface {
	// Name is the medium's link name as shown in link status: the
	// interface for bcast, mcast and ucast ("eth0"), as Heartbeat does.
	Name() string
	// Send transmits one packet (one datagram) to every peer on this
	// medium. It does not block on slow receivers.
	Send(data []byte) error
	// Packets returns the channel received packets are delivered on. It
	// is closed after Close, or when the medium fails for good.
	Packets() <-chan Packet
	// Close stops the medium and releases its resources. It is safe to
	// call more than once.
	Close() error
}

// Packet is one received datagram.
type Packet struct {
	// Data is the datagram payload; the receiver owns it.
	Data []byte
	// From names the sender: "ip:port" for UDP media, the node name for
	// memnet.
	From string
	// Addr is the sender's network address, nil when there is none
	// (memnet).
	Addr net.Addr
	// Medium is the Name of the medium the packet arrived on.
	Medium string
	// At is when the packet was received.
	At time.Time
}

// ErrClosed is returned by Send on a medium that has been closed.
var ErrClosed = errors.New("media: medium closed")

// ErrLinkDown is returned by Send when the medium is known to be down
// (memnet's FailEndpoint, a missing interface).
var ErrLinkDown = errors.New("media: link down")

// RecvBuffer is the capacity of a medium's Packets channel. Packets that
// arrive while it is full are dropped and counted, as a kernel socket
// buffer would drop them; heartbeat traffic is a few packets per second.
const RecvBuffer = 256
