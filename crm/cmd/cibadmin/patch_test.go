package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"hbgo/crm/status/cibdoc"
	"hbgo/internal/testenv"
)

// TestPatchMatchesPacemaker makes patches with crm_diff between a corpus
// CIB and edited copies, applies each with Pacemaker's cibadmin and ours,
// and compares the results (twice: the second application is refused as
// older data).
func TestPatchMatchesPacemaker(t *testing.T) {
	shared := testenv.SharedDir(t)
	real := testenv.RequireProgram(t, "/usr/sbin/cibadmin")
	crmDiff := testenv.RequireProgram(t, "/usr/sbin/crm_diff")
	input := filepath.Join(shared, "scheduler/cases/on-fail-ignore/input.xml")
	edits := map[string][][]string{
		"config": {
			{"-C", "-o", "resources", "-X", `<primitive id="d1" class="ocf" provider="heartbeat" type="Dummy"/>`},
			{"-D", "-X", `<nvpair id="cib-bootstrap-options-have-watchdog"/>`},
			{"-M", "-X", `<node id="1" uname="407888-db1" description="x"/>`},
			{"-C", "-o", "constraints", "-X", `<rsc_location id="l1" rsc="d1" node="407888-db1" score="100"/>`},
		},
		"status": {
			{"-M", "-o", "status", "-X", `<node_state id="2" expected="down"/>`},
			{"-D", "-o", "status", "-X", `<lrm_resource id="fence_db2"/>`},
		},
	}
	for name, steps := range edits {
		dir := t.TempDir()
		orig, edited := filepath.Join(dir, "orig.xml"), filepath.Join(dir, "edited.xml")
		copyFile(t, input, orig)
		copyFile(t, input, edited)
		for _, args := range steps {
			cmd := exec.Command(real, args...)
			cmd.Env = append(os.Environ(), "CIB_file="+edited)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: prepare %q: %v %s", name, args, err, out)
			}
		}
		patchFile := filepath.Join(dir, "patch.xml")
		out, _ := exec.Command(crmDiff, "-o", orig, "-n", edited).Output() // exits 1 when they differ
		if len(out) == 0 {
			t.Fatalf("%s: crm_diff produced no patch", name)
		}
		if err := os.WriteFile(patchFile, out, 0o600); err != nil {
			t.Fatal(err)
		}
		realCIB, ourCIB := filepath.Join(dir, "real.xml"), filepath.Join(dir, "ours.xml")
		copyFile(t, orig, realCIB)
		copyFile(t, orig, ourCIB)
		for round := 0; round < 2; round++ {
			cmd := exec.Command(real, "-P", "-x", patchFile)
			cmd.Env = append(os.Environ(), "CIB_file="+realCIB)
			var rerr bytes.Buffer
			cmd.Stderr = &rerr
			rrc := 0
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					t.Fatal(err)
				}
				rrc = ee.ExitCode()
			}
			var o, e bytes.Buffer
			rc := run([]string{"-P", "-x", patchFile}, func(k string) string {
				if k == "CIB_file" {
					return ourCIB
				}
				return ""
			}, &o, &e)
			if rc != rrc || e.String() != rerr.String() {
				t.Errorf("%s round %d: real rc=%d err=%q; ours rc=%d err=%q", name, round, rrc, rerr.String(), rc, e.String())
			}
			if want, got := normalized(t, realCIB), normalized(t, ourCIB); want != got {
				t.Fatalf("%s round %d: documents differ\nreal:\n%s\nours:\n%s", name, round, want, got)
			}
		}
	}
}

func TestSplitPath(t *testing.T) {
	steps, err := splitPath(`/cib/configuration/resources/primitive[@id='a/b']/operations/op[@id="m"]`)
	if err != nil {
		t.Fatal(err)
	}
	want := []pathStep{{"cib", "", false}, {"configuration", "", false}, {"resources", "", false},
		{"primitive", "a/b", true}, {"operations", "", false}, {"op", "m", true}}
	if len(steps) != len(want) {
		t.Fatalf("%+v", steps)
	}
	for i := range want {
		if steps[i] != want[i] {
			t.Errorf("step %d: %+v want %+v", i, steps[i], want[i])
		}
	}
	for _, bad := range []string{"cib", "/cib/x[@id='a", "/cib/[@id='a']", "/cib/x[@id=a]"} {
		if _, err := splitPath(bad); !errors.Is(err, errMalformed) {
			t.Errorf("%q: err=%v", bad, err)
		}
	}
}

func FuzzSplitPath(f *testing.F) {
	f.Add(`/cib/configuration/nodes/node[@id='1']`)
	f.Add(`/cib/status/node_state[@id="x"]/lrm`)
	f.Fuzz(func(t *testing.T, p string) {
		steps, err := splitPath(p)
		if err != nil {
			return
		}
		for _, s := range steps {
			if s.name == "" {
				t.Fatalf("%q: empty step name", p)
			}
		}
	})
}

func FuzzPatch(f *testing.F) {
	f.Add([]byte(`<diff format="2"><change operation="create" path="/cib/configuration/resources" position="0"><primitive id="x"/></change><change operation="modify" path="/cib"><change-list><change-attr name="epoch" operation="set" value="9"/></change-list></change></diff>`))
	f.Add([]byte(`<diff format="2"><change operation="move" path="/cib/configuration/nodes" position="5"/><change operation="delete" path="/cib/status"/></diff>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _ := cibdoc.Parse([]byte(`<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><nodes/><resources/></configuration><status/></cib>`))
		diff, err := cibdoc.Parse(data)
		if err != nil {
			return
		}
		if _, err := Patch(root, diff); err == nil {
			if _, err := cibdoc.Parse([]byte(root.String())); err != nil {
				t.Fatalf("patched document does not parse: %v", err)
			}
		}
	})
}
