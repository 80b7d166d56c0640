package authkeys

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"hbgo/internal/testenv"
)

// TestTrailerDigestMatchesCapturedVectors recomputes the trailer signature of
// every real packet captured from Heartbeat 3.0.6 (it covers the raw bytes
// up to and including "%%%\n").
func TestTrailerDigestMatchesCapturedVectors(t *testing.T) {
	shared := testenv.SharedDir(t)
	keys := map[string]Key{
		"crc":  {Index: 1, Method: CRC},
		"md5":  {Index: 1, Method: MD5},
		"sha1": {Index: 1, Method: SHA1},
	}
	secretRE := regexp.MustCompile(`(?m)^\s*1\s+(md5|sha1)\s+(\S+)`)
	trailerRE := regexp.MustCompile(`^\d+:(\d+) ([0-9a-f]+),$`)
	n := 0
	for dir, k := range keys {
		base := filepath.Join(shared, "lab", "vectors", dir)
		if k.Method.NeedsKey() {
			ak, err := os.ReadFile(filepath.Join(base, "authkeys"))
			if err != nil {
				t.Fatal(err)
			}
			m := secretRE.FindSubmatch(ak)
			if m == nil {
				t.Fatalf("%s/authkeys: no key 1", dir)
			}
			k.Secret = string(m[2])
		}
		ring := &Keyring{Active: 1, Keys: map[int]Key{1: k}}
		files, _ := filepath.Glob(filepath.Join(base, "*.bin"))
		for _, f := range files {
			pkt, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			i := bytes.Index(pkt, []byte("%%%\n"))
			if i < 0 {
				t.Fatalf("%s: no trailer", f)
			}
			body, trailer := pkt[:i+4], pkt[i+4:]
			m := trailerRE.FindSubmatch(trailer)
			if m == nil {
				t.Fatalf("%s: bad trailer %q", f, trailer)
			}
			if err := ring.Verify(1, body, string(m[2])); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			if idx, d := ring.Sign(body); idx != 1 || d != string(m[2]) {
				t.Errorf("%s: Sign = %d %s, want 1 %s", f, idx, d, m[2])
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no vectors found")
	}
}

func TestVerifyRejectsWrongKeyAndUnknownIndex(t *testing.T) {
	ring := &Keyring{Active: 1, Keys: map[int]Key{1: {Index: 1, Method: SHA1, Secret: "a"}, 2: {Index: 2, Method: CRC}}}
	_, d := ring.Sign([]byte("hello"))
	if err := ring.Verify(1, []byte("hello"), d); err != nil {
		t.Fatal(err)
	}
	other := &Keyring{Active: 1, Keys: map[int]Key{1: {Index: 1, Method: SHA1, Secret: "b"}}}
	if err := other.Verify(1, []byte("hello"), d); err == nil {
		t.Fatal("wrong secret accepted")
	}
	if err := ring.Verify(7, []byte("hello"), d); err == nil {
		t.Fatal("unknown key index accepted")
	}
	crc := Key{Method: CRC}
	if got := crc.Digest([]byte("123456789")); got != "765e7680" {
		// CRC-32/POSIX check value without the length suffix.
		t.Fatalf("crc check value = %s", got)
	}
}
