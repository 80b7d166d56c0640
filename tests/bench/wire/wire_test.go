package wire

import (
	"os"
	"path/filepath"
	"testing"

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
