package wire

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"hbgo/authkeys"
	hbwire "hbgo/heartbeat/wire"
	"hbgo/heartbeat/wire/wiretest"
	"hbgo/internal/testenv"
)

// methods maps each auth method to a lab vector folder; the status message
// (the one sent every keepalive) is benchmarked.
var methods = []struct{ name, dir, file string }{
	{"crc", "crc", "03-status-active.bin"},
	{"md5", "md5", "03-status-active.bin"},
	{"sha1", "sha1", "03-status-active.bin"},
}

func load(b *testing.B, dir, file string) ([]byte, *authkeys.Keyring) {
	b.Helper()
	base := filepath.Join(testenv.SharedDir(b), "lab", "vectors", dir)
	ring, err := wiretest.LoadKeyring(filepath.Join(base, "authkeys"))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(base, file))
	if err != nil {
		b.Fatal(err)
	}
	return raw, ring
}

func BenchmarkEncodeSign(b *testing.B) {
	for _, m := range methods {
		b.Run(m.name, func(b *testing.B) {
			raw, ring := load(b, m.dir, m.file)
			msg, err := hbwire.Decode(raw)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := msg.Encode(ring); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerifyDecode(b *testing.B) {
	for _, m := range methods {
		b.Run(m.name, func(b *testing.B) {
			raw, ring := load(b, m.dir, m.file)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := hbwire.Verify(raw, ring); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	raw, _ := load(b, "sha1", "03-status-active.bin")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := hbwire.Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchInputsVerify keeps the benchmark inputs honest in plain test runs.
func TestBenchInputsVerify(t *testing.T) {
	for _, m := range methods {
		base := filepath.Join(testenv.SharedDir(t), "lab", "vectors", m.dir)
		ring, err := wiretest.LoadKeyring(filepath.Join(base, "authkeys"))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(base, m.file))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hbwire.Verify(raw, ring); err != nil {
			t.Errorf("%s: %v", m.name, err)
		}
	}
}

// BenchmarkBuildStampSign is the whole send path of a status message:
// build, append the sender fields, sign with sha1.
func BenchmarkBuildStampSign(b *testing.B) {
	_, ring := load(b, "sha1", "03-status-active.bin")
	env := hbwire.Envelope{Src: "n1", SrcUUID: make([]byte, 16), Generation: 0x6b0260ae, Load: "1.14 0.59 0.23 2/96 13222"}
	now := time.Unix(0x6b0260ad, 0)
	b.ReportAllocs()
	seq := uint64(0)
	for b.Loop() {
		seq++
		m := hbwire.New(hbwire.TypeStatus)
		m.Set(hbwire.FieldStatus, "active")
		m.Set(hbwire.FieldDeadtime, "3e8")
		m.Set(hbwire.FieldProtocol, "1")
		env.Stamp(m, seq, nil, now)
		if _, err := m.Encode(ring); err != nil {
			b.Fatal(err)
		}
	}
}
