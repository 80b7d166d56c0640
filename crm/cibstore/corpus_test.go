package cibstore

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"hbgo/internal/testenv"
)

// TestSchedulerCorpusCIBs reads every input CIB of the Pacemaker scheduler
// corpus: each parses, keeps its version, survives the canonical round
// trip, and Diff from an empty CIB rebuilds it.
func TestSchedulerCorpusCIBs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testenv.SharedDir(t), "scheduler", "cases", "*", "input.xml"))
	if len(files) == 0 {
		t.Skip("no scheduler corpus")
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		d2, err := Parse(d.Bytes())
		if err != nil || !bytes.Equal(d2.Bytes(), d.Bytes()) || d2.Version() != d.Version() {
			t.Errorf("%s: canonical round trip: %v", f, err)
			continue
		}
		e := Empty().WithVersion(d.Version())
		got, err := ApplyPatch(e.WithVersion(Version{}), Patch{From: Version{}, To: d.Version(), Ops: Diff(e, d)})
		if d.Version() == (Version{}) {
			continue // a patch must move forward
		}
		if err != nil || !got.Equal(d) {
			t.Errorf("%s: diff from empty does not rebuild it: %v", f, err)
			continue
		}
		n++
	}
	t.Logf("%d of %d corpus CIBs checked", n, len(files))
	if n < len(files)/2 {
		t.Errorf("only %d of %d checked", n, len(files))
	}
}
