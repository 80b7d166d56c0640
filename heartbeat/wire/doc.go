// Package wire owns the Heartbeat 3.0.6 message and its byte forms: the
// ordered field list (Message), the netstring framing 3.0.6 sends
// ("###\n" fields "%%%\n" trailer), the classic ">>>\n name=value <<<\n" text
// framing accepted on receive, and both signatures every 3.0.6 packet
// carries: the in-body "auth=" field (a digest of the classic rendering of
// the fields before it) and the trailer (a digest of the raw bytes up to and
// including "%%%\n"). Keys and digests come from hbgo/authkeys.
//
// The codec is pure: no sockets, no clocks. Unknown fields and field types
// are kept as they came so that a decoded 3.0.6 packet re-encodes to the
// same bytes.
package wire
