package hacf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseHaCf: Parse and Validate never panic; every error Parse reports
// names a line of the input and a directive; Validate reports line 0 only
// for the whole-file problems (no media, no nodes, local node missing from
// an empty node list).
func FuzzParseHaCf(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "real", "*.cf"))
	for _, s := range seeds[:min(len(seeds), 40)] {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(base + "mcast eth0 239.0.0.1 694 1 0\nucast eth0\nstonith_host * null a\n")
	f.Fuzz(func(t *testing.T, text string) {
		env := labEnv(text)
		cfg, probs := Parse(strings.NewReader(text), Options{File: "ha.cf", NodeName: "alpha", Env: env})
		if cfg == nil {
			t.Fatal("nil config")
		}
		lines := strings.Count(text, "\n") + 1
		for _, p := range probs {
			if p.Line <= 0 || p.Line > lines {
				t.Fatalf("problem with line %d of %d: %v", p.Line, lines, p)
			}
			if p.Directive == "" || p.File != "ha.cf" {
				t.Fatalf("problem without directive/file: %v", p)
			}
		}
		for _, p := range Validate(cfg, "alpha").Errors() {
			if p.Line < 0 || p.Line > lines {
				t.Fatalf("validate line %d of %d: %v", p.Line, lines, p)
			}
			if p.Line == 0 && !strings.Contains(p.Msg, "No heartbeat media") && !strings.Contains(p.Msg, "no nodes") {
				t.Fatalf("line-less error: %v", p)
			}
		}
	})
}
