package ocf

import (
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"20s": 20 * time.Second, "20": 20 * time.Second, " 119s ": 119 * time.Second,
		"500ms": 500 * time.Millisecond, "2m": 2 * time.Minute, "2min": 2 * time.Minute,
		"1h": time.Hour, "1.5s": 1500 * time.Millisecond, "0": 0, "10S": 10 * time.Second,
	}
	for in, want := range good {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "s", "-1s", "10x", "1.2.3s", "abc", "1e400"} {
		if _, err := ParseDuration(in); !errors.Is(err, ErrBadDuration) {
			t.Errorf("ParseDuration(%q) err = %v, want ErrBadDuration", in, err)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"20s", "20", "500ms", "2min", "1h", "x", "1.5s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
		}
	})
}
