package pengine

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/internal/testenv"
)

// mutations derive new CIBs from corpus inputs, so the engine is checked
// against the real scheduler on cases it was not tuned on.
var mutations = []struct {
	name  string
	apply func(string) (string, bool)
}{
	{"quorum", func(s string) (string, bool) {
		root := regexp.MustCompile(`<cib [^>]*>`).FindString(s)
		if root == "" {
			return "", false
		}
		var changed string
		switch {
		case strings.Contains(root, `have-quorum="false"`) || strings.Contains(root, `have-quorum="0"`):
			changed = regexp.MustCompile(`have-quorum="[^"]*"`).ReplaceAllString(root, `have-quorum="true"`)
		case strings.Contains(root, `have-quorum=`):
			changed = regexp.MustCompile(`have-quorum="[^"]*"`).ReplaceAllString(root, `have-quorum="false"`)
		default:
			changed = strings.Replace(root, "<cib ", `<cib have-quorum="false" `, 1)
		}
		return strings.Replace(s, root, changed, 1), true
	}},
	{"sticky", func(s string) (string, bool) {
		if strings.Contains(s, "<rsc_defaults") || !strings.Contains(s, "</configuration>") {
			return "", false
		}
		return strings.Replace(s, "</configuration>", `<rsc_defaults><meta_attributes id="mut-rd"><nvpair id="mut-rd-s" name="resource-stickiness" value="INFINITY"/></meta_attributes></rsc_defaults></configuration>`, 1), true
	}},
	{"drop-location", func(s string) (string, bool) {
		loc := regexp.MustCompile(`<rsc_location [^>]*/>`).FindString(s)
		if loc == "" {
			return "", false
		}
		return strings.Replace(s, loc, "", 1), true
	}},
}

// TestOracleMutants compares the engine with the installed crm_simulate
// (through the corpus's oracle.sh) on mutated corpus inputs. It needs
// crm_simulate and python3 and is skipped in -short mode. Pacemaker's
// simulation has a few quirks the engine does not copy, so the test asks
// for an agreement rate rather than for every case.
func TestOracleMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real scheduler; skipped in -short mode")
	}
	testenv.RequireProgram(t, "crm_simulate")
	testenv.RequireProgram(t, "python3")
	shared := testenv.SharedDir(t)
	oracle := filepath.Join(shared, "scheduler", "oracle.sh")
	cases := filepath.Join(shared, "scheduler", "cases")
	entries, err := os.ReadDir(cases)
	if err != nil {
		t.Skipf("corpus not readable: %v", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	tmp := t.TempDir()
	total, agree := 0, 0
	for i := 0; i < len(names); i += 7 {
		data, err := os.ReadFile(filepath.Join(cases, names[i], "input.xml"))
		if err != nil {
			continue
		}
		m := mutations[i%len(mutations)]
		mutated, ok := m.apply(string(data))
		if !ok {
			continue
		}
		path := filepath.Join(tmp, names[i]+"-"+m.name+".xml")
		if err := os.WriteFile(path, []byte(mutated), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("bash", oracle, path).Output()
		if err != nil {
			continue // the real scheduler rejects this variant
		}
		want := canonical(strings.Split(string(out), "\n"))
		doc, err := cib.ParseFile(path)
		if err != nil {
			t.Errorf("%s-%s: parse: %v", names[i], m.name, err)
			continue
		}
		res, err := Schedule(doc, time.Now())
		if err != nil {
			t.Errorf("%s-%s: schedule: %v", names[i], m.name, err)
			continue
		}
		got := canonical(res.Normalized())
		total++
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			agree++
		} else {
			t.Logf("%s-%s differs:\n%s", names[i], m.name, diffLines(want, got))
		}
	}
	t.Logf("agreement with crm_simulate on mutated inputs: %d of %d", agree, total)
	if total == 0 {
		t.Skip("no mutated case could be checked")
	}
	if agree*100 < total*90 {
		t.Errorf("agreement %d/%d is below 90%%", agree, total)
	}
}
