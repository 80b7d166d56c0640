package wire

import (
	"strconv"
	"time"
)

// DefaultTTL is the relay hop budget 3.0.6 puts in every message.
const DefaultTTL = 4

// Envelope holds the fields a sending node appends to each message after
// the message's own fields, in the order 3.0.6 writes them: destuuid (when
// addressed), src, srcuuid, seq and ld (reliable messages only), hg, ts, ttl.
// The signature is added by Encode.
type Envelope struct {
	Src        string // our node name
	SrcUUID    []byte // our 16-byte node UUID; omitted when empty
	Generation uint64 // our hg
	Load       string // /proc/loadavg line for ld; omitted when empty
	TTL        int    // 0 means DefaultTTL
}

// Stamp appends the envelope to m. seq is the message's sequence number,
// 0 for the messages that carry none (types starting with "NS_"); destUUID
// is the addressee's UUID when m has a dest and the UUID is known; now
// gives ts (Unix seconds).
func (e Envelope) Stamp(m *Message, seq uint64, destUUID []byte, now time.Time) {
	if len(destUUID) > 0 {
		m.AddBinary(FieldDestUUID, destUUID)
	}
	m.Add(FieldSrc, e.Src)
	if len(e.SrcUUID) > 0 {
		m.AddBinary(FieldSrcUUID, e.SrcUUID)
	}
	if seq > 0 {
		m.Fields = append(m.Fields, Field{Name: FieldSeq, Value: strconv.AppendUint(nil, seq, 16)})
	}
	m.Fields = append(m.Fields, Field{Name: FieldGeneration, Value: strconv.AppendUint(nil, e.Generation, 16)})
	m.Fields = append(m.Fields, Field{Name: FieldTimestamp, Value: strconv.AppendInt(nil, now.Unix(), 16)})
	if seq > 0 && e.Load != "" {
		m.Add(FieldLoad, e.Load)
	}
	ttl := e.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	m.Fields = append(m.Fields, Field{Name: FieldTTL, Value: strconv.AppendInt(nil, int64(ttl), 10)})
}
