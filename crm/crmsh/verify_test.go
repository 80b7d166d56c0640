package crmsh

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/internal/testenv"
)

// TestClassicConfigsPassPacemaker has Pacemaker's own crm_verify check the
// XML the classic guide statements make, under the old (pacemaker-1.2) and
// the current (pacemaker-3.0) schema. Fencing is turned off so that only
// the configuration is judged, not two nodes never seen.
func TestClassicConfigsPassPacemaker(t *testing.T) {
	prog := testenv.RequireProgram(t, "/usr/sbin/crm_verify")
	for _, name := range []string{"webserver", "drbd", "stonith", "sets"} {
		for _, schema := range []string{"pacemaker-1.2", "pacemaker-3.0"} {
			root := build(t, name)
			root.Set("validate-with", schema)
			objs, err := Parse("property stonith-enabled=false")
			if err != nil {
				t.Fatal(err)
			}
			if err := Add(root, objs); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "cib.xml")
			if err := os.WriteFile(path, []byte(root.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(prog, "-VVV", "-x", path).CombinedOutput()
			if err == nil {
				continue
			}
			// only warnings about what Pacemaker 2 deprecates (score in
			// rsc_order, as crm 1.x writes it) and about not fencing may
			// remain
			for _, l := range strings.Split(string(out), "\n") {
				if (strings.Contains(l, "error") || strings.Contains(l, "warning")) &&
					!strings.Contains(l, "deprecated") && !strings.Contains(l, "Blind faith") {
					t.Errorf("%s under %s: crm_verify: %s", name, schema, l)
				}
			}
		}
	}
}
