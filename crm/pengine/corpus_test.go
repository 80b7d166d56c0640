package pengine

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/internal/testenv"
)

// knownFailuresFile lists corpus cases the engine does not yet get right,
// one per line: "NAME reason...". The corpus test fails when a listed case
// passes or an unlisted case fails, so the list stays honest.
const knownFailuresFile = "testdata/known-failures.txt"

func readKnownFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(knownFailuresFile)
	if err != nil {
		t.Fatalf("open %s: %v", knownFailuresFile, err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, reason, _ := strings.Cut(text, " ")
		if strings.TrimSpace(reason) == "" {
			t.Errorf("%s:%d: case %s has no reason", knownFailuresFile, line, name)
		}
		if _, dup := known[name]; dup {
			t.Errorf("%s:%d: case %s listed twice", knownFailuresFile, line, name)
		}
		known[name] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}

var spaces = regexp.MustCompile(`\s+`)

// canonical mirrors compare.sh: drop blank and comment lines, squeeze
// blanks, sort.
func canonical(lines []string) []string {
	var out []string
	for _, l := range lines {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// runCase schedules one corpus input and returns the canonical output.
func runCase(path string) ([]string, error) {
	c, err := cib.ParseFile(path)
	if err != nil {
		return nil, err
	}
	res, err := Schedule(c, time.Unix(0, 0).UTC())
	if err != nil {
		return nil, err
	}
	return canonical(res.Normalized()), nil
}

func diffLines(want, got []string) string {
	w := map[string]int{}
	for _, l := range want {
		w[l]++
	}
	g := map[string]int{}
	for _, l := range got {
		g[l]++
	}
	var b strings.Builder
	for _, l := range want {
		if g[l] > 0 {
			g[l]--
			continue
		}
		b.WriteString("  expected: " + l + "\n")
	}
	for _, l := range got {
		if w[l] > 0 {
			w[l]--
			continue
		}
		b.WriteString("  got:      " + l + "\n")
	}
	return b.String()
}

// TestCorpus runs every Pacemaker scheduler regression input of the shared
// corpus and compares the normalized result with Pacemaker's. With -short
// only the small inputs run.
func TestCorpus(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "scheduler", "cases")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("scheduler corpus not readable: %v", err)
	}
	known := readKnownFailures(t)
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	passed, failed, ran := 0, 0, 0
	var failing []string
	seen := map[string]bool{}
	for _, name := range names {
		input := filepath.Join(dir, name, "input.xml")
		expectedPath := filepath.Join(dir, name, "expected.txt")
		fi, err := os.Stat(input)
		if err != nil {
			continue
		}
		if _, err := os.Stat(expectedPath); err != nil {
			continue
		}
		seen[name] = true
		if testing.Short() && fi.Size() > 8000 {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(expectedPath)
			if err != nil {
				t.Fatal(err)
			}
			want := canonical(strings.Split(string(data), "\n"))
			got, err := runCase(input)
			ok := err == nil && strings.Join(got, "\n") == strings.Join(want, "\n")
			reason, listed := known[name]
			switch {
			case ok && listed:
				passed++
				t.Errorf("passes but is listed in %s (%s): remove it", knownFailuresFile, reason)
			case ok:
				passed++
			case listed:
				failed++
				failing = append(failing, name)
				t.Logf("known failure: %s", reason)
			default:
				failed++
				failing = append(failing, name)
				if err != nil {
					t.Errorf("schedule: %v", err)
				} else {
					t.Errorf("output differs:\n%s", diffLines(want, got))
				}
			}
		})
	}
	for name := range known {
		if !seen[name] {
			t.Errorf("%s lists %s, which is not in the corpus", knownFailuresFile, name)
		}
	}
	t.Logf("corpus: %d of %d cases pass, %d fail", passed, ran, failed)
	if len(failing) > 0 {
		t.Logf("failing: %s", strings.Join(failing, " "))
	}
}
