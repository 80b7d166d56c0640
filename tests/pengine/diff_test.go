package pengine_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/internal/testenv"
	"hbgo/tests/pengine/gen"
)

var (
	seedCount = flag.Int("pediff.seeds", envInt("PEDIFF_SEEDS", 400), "number of seeds the differential test runs (env PEDIFF_SEEDS)")
	firstSeed = flag.Int("pediff.first", envInt("PEDIFF_FIRST", 1), "first seed (env PEDIFF_FIRST)")
	// By default the test runs the 400 seeds whose oracle results are
	// cached (seconds, no crm_simulate needed) against the target
	// of 90%; today all comparable seeds agree (see DISAGREEMENTS.md).
	minRate    = flag.Float64("pediff.min", 0.90, "agreement rate below which the test fails")
	cachedOnly = flag.Bool("pediff.cached", false, "use only cached oracle results; never run crm_simulate")
	report     = flag.String("pediff.report", "", "write every disagreement (seed, sizes, diff) to this file")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// cacheHeader starts every cached oracle result; a result made by another
// generator version is stale and recomputed.
func cacheHeader(seed int64, size gen.Size) string {
	return fmt.Sprintf("# gen v%d seed %d nodes %d resources %d", gen.Version, seed, size.Nodes, size.Resources)
}

const rejectedMark = "# rejected: "

// oracle returns Pacemaker's normalized result for a generated CIB, from
// testdata/oracle/<seed>.txt when present and current, else by running
// crm_verify and oracle.sh (and then caching). rejected is set when
// crm_verify does not accept the CIB; ok is false when there is no cached
// result and the oracle cannot be run here.
func oracle(t *testing.T, seed int64, size gen.Size, data []byte) (lines []string, rejected, ok bool) {
	t.Helper()
	path := filepath.Join("testdata", "oracle", fmt.Sprintf("%d.txt", seed))
	header := cacheHeader(seed, size)
	if b, err := os.ReadFile(path); err == nil && strings.HasPrefix(string(b), header+"\n") {
		body := strings.TrimPrefix(string(b), header+"\n")
		if strings.HasPrefix(body, rejectedMark) {
			return nil, true, true
		}
		return canon(body), false, true
	}
	if *cachedOnly {
		return nil, false, false
	}
	verify, err1 := exec.LookPath("crm_verify")
	_, err2 := exec.LookPath("crm_simulate")
	shared := os.Getenv("HBGO_SHARED")
	if shared == "" {
		shared = filepath.Join(testenv.RepoRoot(), "..", "shared")
	}
	script := filepath.Join(shared, "scheduler", "oracle.sh")
	if _, err := os.Stat(script); err1 != nil || err2 != nil || err != nil {
		return nil, false, false
	}
	dir := t.TempDir()
	cibPath := filepath.Join(dir, "cib.xml")
	if err := os.WriteFile(cibPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	accepted, why, err := gen.Verify(verify, cibPath, dir)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	if !accepted {
		body = rejectedMark + why + "\n"
	} else {
		var out, errb bytes.Buffer
		cmd := exec.Command(script, cibPath)
		cmd.Stdout, cmd.Stderr = &out, &errb
		switch err := cmd.Run(); {
		case err == nil:
			body = out.String()
		case cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 3:
			// crm_simulate could not carry out its own transition
			// ("Transition failed"): no expected result exists.
			accepted = false
			body = rejectedMark + "crm_simulate failed (oracle.sh exit 3)" + firstError(errb.String()) + "\n"
		default:
			t.Fatalf("seed %d: oracle.sh: %v\n%s", seed, err, errb.String())
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(header+"\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	if !accepted {
		return nil, true, true
	}
	return canon(body), false, true
}

// firstError picks crm_simulate's first error message out of oracle.sh's
// stderr (which starts with its own line naming the temporary file).
func firstError(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "error:") {
			return ": " + strings.Join(strings.Fields(l), " ")
		}
	}
	return ""
}

// canon drops blank and comment lines, squeezes blanks and sorts, as the
// corpus's compare.sh does.
func canon(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// ours runs hbgo's policy engine the way `crm_simulate --normalized -x`
// does, at the CIB's execution-date.
func ours(data []byte) ([]string, error) {
	c, err := cib.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	res, err := pengine.Schedule(c, time.Unix(gen.ExecutionDate, 0))
	if err != nil {
		return nil, err
	}
	return canon(strings.Join(res.Normalized(), "\n")), nil
}

// diff lists the lines only one side has (multiset difference).
func diff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, l := range got {
		count[l]++
	}
	for _, l := range want {
		if count[l] > 0 {
			count[l]--
		} else {
			missing = append(missing, l)
		}
	}
	for _, l := range got {
		if count[l] > 0 {
			count[l]--
			extra = append(extra, l)
		}
	}
	return missing, extra
}

// TestDifferential compares hbgo's scheduler with Pacemaker's on random
// CIBs and fails when they agree on fewer than -pediff.min of them.
func TestDifferential(t *testing.T) {
	var agree, compared, rejected, noOracle int
	var rep strings.Builder
	for seed := int64(*firstSeed); seed < int64(*firstSeed+*seedCount); seed++ {
		size := gen.SmallSize(seed)
		data := gen.Generate(seed, size, gen.Mixed)
		want, rej, ok := oracle(t, seed, size, data)
		switch {
		case !ok:
			noOracle++
			continue
		case rej:
			rejected++
			continue
		}
		compared++
		got, err := ours(data)
		if err != nil {
			fmt.Fprintf(&rep, "seed %d (%d nodes x %d resources): error: %v\n\n", seed, size.Nodes, size.Resources, err)
			t.Logf("seed %d: error: %v", seed, err)
			continue
		}
		missing, extra := diff(want, got)
		if len(missing) == 0 && len(extra) == 0 {
			agree++
			continue
		}
		fmt.Fprintf(&rep, "seed %d (%d nodes x %d resources):\n", seed, size.Nodes, size.Resources)
		for _, l := range missing {
			fmt.Fprintf(&rep, "  expected: %s\n", l)
		}
		for _, l := range extra {
			fmt.Fprintf(&rep, "  got:      %s\n", l)
		}
		rep.WriteString("\n")
		if testing.Verbose() {
			t.Logf("seed %d differs: %d missing, %d extra", seed, len(missing), len(extra))
		}
	}
	if *report != "" {
		if err := os.WriteFile(*report, []byte(rep.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if compared == 0 {
		t.Skipf("no oracle result for any of %d seeds (crm_simulate absent and nothing cached); %d rejected", *seedCount, rejected)
	}
	rate := float64(agree) / float64(compared)
	t.Logf("agreement %d/%d = %.1f%% (seeds %d..%d; %d rejected by crm_verify or crm_simulate, %d without oracle)",
		agree, compared, 100*rate, *firstSeed, *firstSeed+*seedCount-1, rejected, noOracle)
	if rate < *minRate {
		t.Errorf("agreement %.1f%% below %.0f%%; rerun with -pediff.report FILE for the differences", 100*rate, 100**minRate)
	}
}

// TestDiffHelpers pins the comparison itself, so a broken comparison
// cannot make every seed agree.
func TestDiffHelpers(t *testing.T) {
	want := canon("# c\nrsc a n1 Started\n\nrsc a n1 Started\nstart a  n1\n")
	got := canon("start a n1\nrsc a n1 Started\nstop b n2\n")
	missing, extra := diff(want, got)
	if strings.Join(missing, "|") != "rsc a n1 Started" || strings.Join(extra, "|") != "stop b n2" {
		t.Fatalf("missing %q extra %q", missing, extra)
	}
	if m, e := diff(want, want); len(m)+len(e) != 0 {
		t.Fatalf("self diff: %q %q", m, e)
	}
}
