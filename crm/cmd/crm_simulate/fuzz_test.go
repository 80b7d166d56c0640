package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzReport feeds arbitrary CIB documents through every output of the
// tool: whatever parses must be reported without a panic, and the -S
// output must carry its four headings.
func FuzzReport(f *testing.F) {
	f.Add([]byte(cibText))
	inputs, _ := filepath.Glob("testdata/golden/*/input.xml")
	for _, p := range inputs {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "cib.xml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		if rc := run([]string{"-S", "-x", path}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
			return
		}
		for _, h := range []string{"Current cluster status:", "Transition Summary:", "Executing Cluster Transition:", "Revised Cluster Status:"} {
			if !strings.Contains(out.String(), h+"\n") {
				t.Fatalf("missing %q in:\n%s", h, out.String())
			}
		}
		out.Reset()
		run([]string{"-s", "-x", path}, &out, &errb, time.Unix(0, 0), noenv)
		out.Reset()
		run([]string{"--why", "rsc1", "-x", path}, &out, &errb, time.Unix(0, 0), noenv)
	})
}
