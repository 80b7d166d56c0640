package wire

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecodeMessage: Decode never panics; whatever decodes re-encodes to a
// packet that verifies and decodes to the same fields (plus the new auth).
// The seed corpus in testdata/fuzz/FuzzDecodeMessage holds the lab vectors.
func FuzzDecodeMessage(f *testing.F) {
	f.Add([]byte("###\n6:(0)t=x,%%%\n"))
	f.Add([]byte(">>>\nt=x\n(1)u=AAE=\n<<<\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			_, verr := Verify(b, testRing)
			if verr == nil {
				t.Fatal("Verify accepted what Decode rejected")
			}
			return
		}
		_, _ = Verify(b, testRing) // must not panic
		want := m.Clone()
		want.Del(FieldAuth)
		out, err := m.Encode(testRing)
		if err != nil {
			// Only field kinds beyond one digit cannot be written back,
			// and Decode never produces those.
			t.Fatalf("Encode of decoded message: %v", err)
		}
		back, err := Verify(out, testRing)
		if err != nil {
			t.Fatalf("Verify(Encode(Decode(b))): %v\n%q", err, out)
		}
		got := back.Clone()
		got.Del(FieldAuth)
		if !got.Equal(want) {
			t.Fatalf("round trip changed fields:\n got %v\nwant %v", got.Fields, want.Fields)
		}
		again, err := back.Clone().Encode(testRing)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("encode not stable: %v", err)
		}
	})
}
