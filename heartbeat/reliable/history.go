package reliable

import "time"

// history is the window of our sent messages with a sequence number,
// indexed by seq modulo its size (3.0.6 keeps the last 500).
type history struct {
	slots  []histSlot
	hiSeq  uint64 // newest seq recorded
	lowSeq uint64 // newest seq pushed out of the window (0: none yet)
	ackSeq uint64 // every live node acknowledged up to here
}

type histSlot struct {
	seq        uint64
	raw        []byte
	lastRexmit time.Time
}

func newHistory(size int) history { return history{slots: make([]histSlot, size)} }

func (h *history) add(seq uint64, raw []byte) {
	s := &h.slots[seq%uint64(len(h.slots))]
	if s.raw != nil && s.seq < seq && s.seq > h.lowSeq {
		h.lowSeq = s.seq
	}
	*s = histSlot{seq: seq, raw: raw}
	if seq > h.hiSeq {
		h.hiSeq = seq
	}
}

// get returns the slot holding seq, or nil when it left the window or was
// released after everybody acknowledged it.
func (h *history) get(seq uint64) *histSlot {
	s := &h.slots[seq%uint64(len(h.slots))]
	if s.raw == nil || s.seq != seq {
		return nil
	}
	return s
}

// release frees the bytes of every message acknowledged by all.
func (h *history) release(upTo uint64) {
	for i := range h.slots {
		if s := &h.slots[i]; s.raw != nil && s.seq <= upTo {
			if s.seq > h.lowSeq {
				h.lowSeq = s.seq
			}
			s.raw = nil
		}
	}
}

// len is the number of messages held.
func (h *history) len() int {
	n := 0
	for i := range h.slots {
		if h.slots[i].raw != nil {
			n++
		}
	}
	return n
}
