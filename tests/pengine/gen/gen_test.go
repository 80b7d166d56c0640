package gen

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/crm/cib"
)

var (
	verifySeeds = flag.Int("gen.verify", 20, "number of seeds TestCrmVerify checks with the real crm_verify")
	dumpDir     = flag.String("gen.dump", "", "write the CIBs of seeds 1..gen.verify to this directory")
)

// TestDeterministic: a seed names a case, so the bytes must not vary.
func TestDeterministic(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		a := Generate(seed, SmallSize(seed), Mixed)
		b := Generate(seed, SmallSize(seed), Mixed)
		if !bytes.Equal(a, b) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
	}
	if bytes.Equal(Generate(1, SmallSize(1), Mixed), Generate(2, SmallSize(1), Mixed)) {
		t.Fatal("seeds 1 and 2 gave the same CIB")
	}
}

func TestSmallSizeBounds(t *testing.T) {
	for seed := int64(0); seed < 500; seed++ {
		s := SmallSize(seed)
		if s.Nodes < 3 || s.Nodes > 10 || s.Resources < 5 || s.Resources > 60 {
			t.Fatalf("seed %d: size %+v out of bounds", seed, s)
		}
	}
}

// TestWellFormed parses generated CIBs with our own CIB parser and checks
// the size and the feature mix over many seeds.
func TestWellFormed(t *testing.T) {
	features := map[string]string{
		"group":           "<group ",
		"clone":           "<clone ",
		"unique clone":    `name="globally-unique" value="true"`,
		"promotable":      `name="promotable" value="true"`,
		"clone-max":       `name="clone-max"`,
		"clone-node-max":  `name="clone-node-max"`,
		"interleave":      `name="interleave"`,
		"location rule":   "<rule ",
		"location node":   `<rsc_location id="loc1" rsc=`,
		"colocation":      "<rsc_colocation ",
		"order":           "<rsc_order ",
		"stickiness":      "resource-stickiness",
		"migration":       "migration-threshold",
		"asymmetric":      `name="symmetric-cluster" value="false"`,
		"no-quorum":       `have-quorum="0"`,
		"no-quorum-pol":   "no-quorum-policy",
		"stonith on":      `name="stonith-enabled" value="true"`,
		"stonith off":     `name="stonith-enabled" value="false"`,
		"unclean node":    `crmd="offline" join="member"`,
		"offline node":    `join="down"`,
		"standby":         `name="standby" value="on"`,
		"node maint":      `name="maintenance" value="true"`,
		"is-managed":      `name="is-managed" value="false"`,
		"target-role":     `name="target-role"`,
		"promoted":        `operation="promote"`,
		"failed op":       `_last_failure_0`,
		"fail-count":      `name="fail-count-`,
		"maintenance-cl":  `name="maintenance-mode"`,
		"on-fail":         `on-fail=`,
		"orphan":          `lrm_resource id="oldrsc"`,
		"multiple-active": "", // checked below
	}
	seen := map[string]int{}
	for seed := int64(1); seed <= 300; seed++ {
		size := SmallSize(seed)
		data := Generate(seed, size, Mixed)
		c, err := cib.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(c.Nodes) != size.Nodes {
			t.Fatalf("seed %d: %d nodes, want %d", seed, len(c.Nodes), size.Nodes)
		}
		if n := strings.Count(string(data), "<primitive "); n < size.Resources || n > size.Resources+1 {
			t.Fatalf("seed %d: %d primitives, want %d (+1 fencer)", seed, n, size.Resources)
		}
		if err := xml.Unmarshal(data, new(struct{})); err != nil {
			t.Fatalf("seed %d: not XML: %v", seed, err)
		}
		for name, needle := range features {
			if needle != "" && bytes.Contains(data, []byte(needle)) {
				seen[name]++
			}
		}
	}
	for name, needle := range features {
		if needle != "" && seen[name] == 0 {
			t.Errorf("feature %q never generated in 300 seeds", name)
		}
	}
}

// TestCrmVerify runs the real crm_verify on generated CIBs: Pacemaker must
// accept nearly all of them (the differential test skips the rare rejected
// seed, so the rate is what matters here).
func TestCrmVerify(t *testing.T) {
	verify, err := exec.LookPath("crm_verify")
	if err != nil {
		t.Skip("crm_verify not installed")
	}
	dir := *dumpDir
	if dir == "" {
		dir = t.TempDir()
	}
	rejected := 0
	for seed := int64(1); seed <= int64(*verifySeeds); seed++ {
		path := filepath.Join(dir, fmt.Sprintf("%d.xml", seed))
		if err := os.WriteFile(path, Generate(seed, SmallSize(seed), Mixed), 0o644); err != nil {
			t.Fatal(err)
		}
		ok, why, err := Verify(verify, path, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			rejected++
			t.Logf("seed %d rejected: %s", seed, why)
		}
	}
	if limit := *verifySeeds / 10; rejected > limit {
		t.Errorf("crm_verify rejected %d of %d generated CIBs (limit %d)", rejected, *verifySeeds, limit)
	}
}

// TestVerifyRejects makes sure Verify can say no: a CIB with a dangling
// constraint reference is invalid for Pacemaker.
func TestVerifyRejects(t *testing.T) {
	verify, err := exec.LookPath("crm_verify")
	if err != nil {
		t.Skip("crm_verify not installed")
	}
	bad := strings.Replace(string(Generate(1, Size{Nodes: 2, Resources: 3}, Steady)),
		"<constraints>", `<constraints><rsc_order id="bad" first="nosuch" then="nothere"/>`, 1)
	path := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, why, err := Verify(verify, path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Fatal("crm_verify accepted a CIB with a dangling order")
	}
	t.Logf("rejected as expected: %s", why)
}

var dumpCount = flag.Int("gen.dumpn", 0, "TestDump writes the CIBs of seeds 1..N to -gen.dump (no checks)")

// TestDump writes generated CIBs for inspection: go test ./tests/pengine/gen
// -run TestDump -args -gen.dump DIR -gen.dumpn N.
func TestDump(t *testing.T) {
	if *dumpDir == "" || *dumpCount == 0 {
		t.Skip("needs -gen.dump DIR and -gen.dumpn N")
	}
	for seed := int64(1); seed <= int64(*dumpCount); seed++ {
		path := filepath.Join(*dumpDir, fmt.Sprintf("%d.xml", seed))
		if err := os.WriteFile(path, Generate(seed, SmallSize(seed), Mixed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
