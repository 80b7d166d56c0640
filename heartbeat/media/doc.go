// Package media owns the transport of heartbeat packets between nodes: the
// Medium interface that every link (bcast, mcast, ucast, mcast6, ucast6, or
// the in-memory memnet) implements, the Packet it delivers, and the typed
// Spec a medium is built from.
//
// Media move opaque byte slices: framing, signing and decoding belong to
// heartbeat/wire. Each medium runs on its own; one failing (Send errors,
// its socket closed) never stops the others, so the daemon keeps one
// goroutine per medium and treats their errors separately.
package media
