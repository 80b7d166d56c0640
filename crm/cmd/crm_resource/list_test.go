package main

import (
	"path/filepath"
	"strings"
	"testing"

	"hbgo/internal/testenv"
)

// TestListCorpus compares --list with Pacemaker's on a sample of corpus
// CIBs. Cases whose resource states differ (see crm_mon's
// testdata/known-differences.txt) also differ here, so the test guards
// the identical share (measured: 91% of every sixth case).
func TestListCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison skipped in -short mode")
	}
	shared := testenv.SharedDir(t)
	prog := testenv.RequireProgram(t, "/usr/sbin/crm_resource")
	cases, _ := filepath.Glob(filepath.Join(shared, "scheduler/cases/*/input.xml"))
	same, total := 0, 0
	var differ []string
	for i := 0; i < len(cases); i += 6 {
		rrc, rout, _ := real(t, prog, cases[i], "-L")
		rc, out, _ := ours(cases[i], nil, "-L")
		total++
		if rrc == rc && rout == out {
			same++
		} else {
			differ = append(differ, filepath.Base(filepath.Dir(cases[i])))
		}
	}
	if total == 0 {
		t.Skip("no corpus cases")
	}
	share := float64(same) / float64(total)
	t.Logf("%d of %d identical; differing: %s", same, total, strings.Join(differ, " "))
	if share < 0.75 {
		t.Errorf("only %.0f%% identical, want at least 75%%", 100*share)
	}
}
