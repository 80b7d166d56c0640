package reliable

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFormatGeneration(t *testing.T) {
	// The example from the wire sheet (a file 3.0.6 wrote in the lab).
	if got := string(FormatGeneration(1795318548)); got != "     1795318548\n" {
		t.Errorf("format = %q", got)
	}
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"     1795318548\n", 1795318548, true},
		{"1\n", 1, true},
		{"42", 42, true},
		{"", 0, false},
		{"   \n", 0, false},
		{"-1\n", 0, false},
		{"12ab\n", 0, false},
		{"99999999999999999999999\n", 0, false},
	} {
		got, err := ParseGeneration([]byte(tc.in))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %d, %v", tc.in, got, err)
		}
		if !tc.ok && !errors.Is(err, ErrBadGeneration) {
			t.Errorf("Parse(%q) error %v is not ErrBadGeneration", tc.in, err)
		}
	}
}

func TestNextGeneration(t *testing.T) {
	now := time.Unix(0x6b0260ae, 0)
	s := &MemStore{}
	g, first, err := NextGeneration(s, now)
	if err != nil || !first || g != 0x6b0260ae || s.Gen != g {
		t.Fatalf("first start: %x %v %v (stored %x)", g, first, err, s.Gen)
	}
	for want := uint64(0x6b0260af); want < 0x6b0260b2; want++ {
		g, first, err = NextGeneration(s, now.Add(time.Hour)) // the clock no longer matters
		if err != nil || first || g != want {
			t.Fatalf("restart: %x %v %v, want %x", g, first, err, want)
		}
	}
	boom := errors.New("disk gone")
	if _, _, err := NextGeneration(&MemStore{Err: boom}, now); !errors.Is(err, boom) {
		t.Errorf("store error lost: %v", err)
	}
}

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	fs := FileStore{Path: filepath.Join(dir, "hb_generation")}
	if _, ok, err := fs.Load(); ok || err != nil {
		t.Fatalf("missing file: ok=%v err=%v", ok, err)
	}
	now := time.Unix(1795318548, 0)
	g1, first, err := NextGeneration(fs, now)
	if err != nil || !first || g1 != 1795318548 {
		t.Fatalf("first: %d %v %v", g1, first, err)
	}
	b, _ := os.ReadFile(fs.Path)
	if string(b) != "     1795318548\n" {
		t.Errorf("file = %q", b)
	}
	g2, first, err := NextGeneration(fs, now)
	if err != nil || first || g2 != g1+1 {
		t.Fatalf("second: %d %v %v", g2, first, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	os.WriteFile(fs.Path, []byte("garbage\n"), 0o644)
	if _, _, err := NextGeneration(fs, now); !errors.Is(err, ErrBadGeneration) {
		t.Errorf("garbage file: %v", err)
	}
	bad := FileStore{Path: filepath.Join(dir, "no", "such", "dir", "hb_generation")}
	if err := bad.Save(1); err == nil {
		t.Error("save into a missing directory succeeded")
	}
}

func FuzzParseGeneration(f *testing.F) {
	f.Add([]byte("     1795318548\n"))
	f.Add([]byte("0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseGeneration(b)
		if err != nil {
			return
		}
		back, err := ParseGeneration(FormatGeneration(n))
		if err != nil || back != n {
			t.Fatalf("%d does not round-trip: %d %v", n, back, err)
		}
	})
}
