package wire

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestEnvelopeRebuildsVectors strips the sender-added fields from each
// captured message, stamps them back from their values and signs: the
// bytes must be the captured ones, so our field order is 3.0.6's.
func TestEnvelopeRebuildsVectors(t *testing.T) {
	envFields := []string{FieldDestUUID, FieldSrc, FieldSrcUUID, FieldSeq, FieldGeneration,
		FieldTimestamp, FieldLoad, FieldTTL, FieldAuth}
	n := 0
	for _, vs := range loadVectors(t) {
		for name, raw := range vs.files {
			if strings.Contains(name, "ping") {
				continue // built by the ping plugin, not the daemon
			}
			m, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			uuid, _ := m.Bytes(FieldSrcUUID)
			dest, _ := m.Bytes(FieldDestUUID)
			hg, _ := m.Generation()
			ts, _ := m.Timestamp()
			seq, err := m.Seq()
			if err != nil {
				seq = 0
			}
			env := Envelope{Src: m.Value(FieldSrc), SrcUUID: uuid, Generation: hg, Load: m.Value(FieldLoad)}
			body := &Message{}
			for _, f := range m.Fields {
				if !slices.Contains(envFields, f.Name) {
					body.Fields = append(body.Fields, f)
				}
			}
			env.Stamp(body, seq, dest, time.Unix(int64(ts), 0))
			out, err := body.Encode(vs.ring)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, raw) {
				t.Errorf("%s/%s: rebuilt\n %q\nwant\n %q", vs.dir, name, out, raw)
			}
			n++
		}
	}
	if n < 30 {
		t.Errorf("only %d vectors rebuilt", n)
	}
}
