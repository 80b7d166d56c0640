package wire

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/authkeys"
	"hbgo/heartbeat/wire/wiretest"
	"hbgo/internal/testenv"
)

type vectorSet struct {
	dir   string
	ring  *authkeys.Keyring
	files map[string][]byte
}

func loadVectors(t testing.TB) []vectorSet {
	t.Helper()
	base := filepath.Join(testenv.SharedDir(t), "lab", "vectors")
	var sets []vectorSet
	for _, dir := range []string{"crc", "md5", "sha1"} {
		ring, err := wiretest.LoadKeyring(filepath.Join(base, dir, "authkeys"))
		if err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(base, dir, "*.bin"))
		if len(files) == 0 {
			t.Fatalf("no vectors in %s", dir)
		}
		vs := vectorSet{dir: dir, ring: ring, files: map[string][]byte{}}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			vs.files[filepath.Base(f)] = b
		}
		sets = append(sets, vs)
	}
	return sets
}

// TestVectorsVerifyAndReencode checks every packet captured from the real
// 3.0.6: both signatures verify, and decoding then encoding with the same
// key gives the very same bytes.
func TestVectorsVerifyAndReencode(t *testing.T) {
	n := 0
	for _, vs := range loadVectors(t) {
		for name, raw := range vs.files {
			m, err := Verify(raw, vs.ring)
			if err != nil {
				t.Errorf("%s/%s: %v", vs.dir, name, err)
				continue
			}
			if m.Type() == "" || !m.Has(FieldSrc) || !m.Has(FieldTimestamp) {
				t.Errorf("%s/%s: missing common fields: %s", vs.dir, name, m)
			}
			out, err := m.Clone().Encode(vs.ring)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, raw) {
				t.Errorf("%s/%s: re-encoded differs\n got %q\nwant %q", vs.dir, name, out, raw)
			}
			// Encoding a message without its auth field gives the same
			// bytes too: the signature is computed, not copied.
			c := m.Clone()
			c.Del(FieldAuth)
			if out2, _ := c.Encode(vs.ring); !bytes.Equal(out2, raw) {
				t.Errorf("%s/%s: fresh signature differs", vs.dir, name)
			}
			n++
		}
	}
	t.Logf("%d vectors", n)
}

func TestVectorFields(t *testing.T) {
	sets := loadVectors(t)
	get := func(dir, name string) (*Message, *authkeys.Keyring) {
		for _, vs := range sets {
			if vs.dir == dir {
				m, err := Verify(vs.files[name], vs.ring)
				if err != nil {
					t.Fatal(err)
				}
				return m, vs.ring
			}
		}
		t.Fatalf("no %s/%s", dir, name)
		return nil, nil
	}
	m, _ := get("sha1", "01-status-init.bin")
	want := []string{"t", "st", "dt", "protocol", "src", "srcuuid", "seq", "hg", "ts", "ld", "ttl", "auth"}
	var names []string
	for _, f := range m.Fields {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("field order %v, want %v", names, want)
	}
	if u, _ := m.Bytes(FieldSrcUUID); len(u) != 16 || m.Fields[5].Kind != KindBinary {
		t.Errorf("srcuuid = %x kind %d", u, m.Fields[5].Kind)
	}
	checkUint := func(name string, got uint64, err error, want uint64) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s = %d, %v; want %d", name, got, err, want)
		}
	}
	seq, err := m.Seq()
	checkUint("seq", seq, err, 1)
	dt, err := m.Deadtime()
	checkUint("dt", dt, err, 7000)
	hg, err := m.Generation()
	checkUint("hg", hg, err, 0x6b0260ae)
	ts, err := m.Timestamp()
	checkUint("ts", ts, err, 0x6b0260ad)
	if m.Value(FieldStatus) != "init" || m.Value(FieldLoad) != "1.14 0.59 0.23 2/96 13222" {
		t.Errorf("st/ld = %q/%q", m.Value(FieldStatus), m.Value(FieldLoad))
	}
	want1 := "t=status\nst=init\ndt=1b58\nprotocol=1\nsrc=n1\n(1)srcuuid=a62M3trtTr+/6oHUha1rvA==\nseq=1\nhg=6b0260ae\nts=6b0260ad\nld=1.14 0.59 0.23 2/96 13222\nttl=4\n"
	if got := string(m.SignedText()); got != want1 {
		t.Errorf("signed text\n got %q\nwant %q", got, want1)
	}

	r, _ := get("crc", "05-NS_rexmit.bin")
	fs, err := r.FirstSeq()
	checkUint("firstseq", fs, err, 38)
	ls, err := r.LastSeq()
	checkUint("lastseq", ls, err, 38)
	if _, err := r.Seq(); !errors.Is(err, ErrNoField) {
		t.Errorf("NS_rexmit seq: %v, want ErrNoField", err)
	}
	a, _ := get("crc", "04-NS_ackmsg.bin")
	as, err := a.AckSeq()
	checkUint("ackseq", as, err, 4)
	if a.Value(FieldDest) != "n1" {
		t.Errorf("dest = %q", a.Value(FieldDest))
	}
}

// TestClassicFramingSharesTheInBodySignature renders a captured message in
// the classic framing: its auth= digest is the same, since it signs the
// classic text.
func TestClassicFramingSharesTheInBodySignature(t *testing.T) {
	for _, vs := range loadVectors(t) {
		for name, raw := range vs.files {
			m, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			auth := m.Value(FieldAuth)
			classic := ">>>\n" + string(m.SignedText()) + "auth=" + auth + "\n<<<\n"
			c, err := Verify([]byte(classic), vs.ring)
			if err != nil {
				t.Errorf("%s/%s classic: %v", vs.dir, name, err)
				continue
			}
			if !c.Equal(m) {
				t.Errorf("%s/%s: classic decode %s != %s", vs.dir, name, c, m)
			}
		}
	}
}

func TestVerifyFailures(t *testing.T) {
	var vs vectorSet
	for _, s := range loadVectors(t) {
		if s.dir == "sha1" {
			vs = s
		}
	}
	raw := vs.files["01-status-init.bin"]
	mutate := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), raw...)) }
	body := bytes.Index(raw, []byte("%%%\n")) + 4
	tests := []struct {
		name string
		pkt  []byte
		ring *authkeys.Keyring
		sig  Signature
		kind error
		is   error
	}{
		{"altered value", mutate(func(b []byte) []byte {
			i := bytes.Index(b, []byte("st=init"))
			b[i+3] = 'I'
			return b
		}), vs.ring, SigAuthField, ErrBadAuth, authkeys.ErrBadDigest},
		{"altered trailer", mutate(func(b []byte) []byte {
			b[len(b)-2] ^= 1
			return b
		}), vs.ring, SigTrailer, ErrBadAuth, authkeys.ErrBadDigest},
		{"no trailer", raw[:body], vs.ring, SigTrailer, ErrUnsigned, nil},
		{"wrong secret", raw, &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{1: {Index: 1, Method: authkeys.SHA1, Secret: "other"}}},
			SigAuthField, ErrBadAuth, authkeys.ErrBadDigest},
		{"unknown key index", raw, &authkeys.Keyring{Active: 2, Keys: map[int]authkeys.Key{2: {Index: 2, Method: authkeys.CRC}}},
			SigAuthField, ErrBadAuth, authkeys.ErrUnknownKey},
		{"no auth field", []byte("###\n11:(0)t=status,9:(0)src=n1,%%%\n"), vs.ring, SigAuthField, ErrUnsigned, nil},
		{"auth not last, bad digest", []byte("###\n11:(0)t=status,18:(0)auth=1 5881e2e2,9:(0)src=n1,%%%\n"), vs.ring, SigAuthField, ErrBadAuth, authkeys.ErrBadDigest},
		{"unreadable auth", []byte("###\n11:(0)t=status,14:(0)auth=abcdef,%%%\n"), vs.ring, SigAuthField, ErrBadAuth, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(tc.pkt, tc.ring)
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *AuthError", err)
			}
			if ae.Sig != tc.sig || !errors.Is(err, tc.kind) {
				t.Errorf("err = %v, want %s / %v", err, tc.sig, tc.kind)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tc.is)
			}
		})
	}
	// The sender's name is in the error for the "Bad authentication" log.
	_, err := Verify(tests[0].pkt, vs.ring)
	if !strings.Contains(err.Error(), `"n1"`) {
		t.Errorf("error %q does not name the sender", err)
	}
}
