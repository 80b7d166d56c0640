package tocib

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"hbgo/hacf"
	"hbgo/haresources"
	"hbgo/internal/testenv"
)

// TestPublicCorpusPassesCrmVerify converts every public setup whose ha.cf
// and haresources parse (ha.cf read with LenientEnv: the files were
// written for other machines) and checks the result with the real
// crm_verify.
func TestPublicCorpusPassesCrmVerify(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "corpus", "public")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\d+-(.+)\.(ha\.cf|haresources)$`)
	hacfs, hrs := map[string]string{}, map[string]string{}
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if m[2] == "ha.cf" {
			hacfs[m[1]] = filepath.Join(dir, e.Name())
		} else {
			hrs[m[1]] = filepath.Join(dir, e.Name())
		}
	}
	converted := 0
	for name, cfPath := range hacfs {
		hrPath, ok := hrs[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			env := &LenientEnv{}
			cfg, probs := hacf.ParseFile(cfPath, hacf.Options{File: filepath.Base(cfPath), Env: env})
			if err := probs.Err(); err != nil {
				t.Skipf("ha.cf does not parse: %v", err)
			}
			groups, hp := haresources.Load(hrPath)
			if err := hp.Err(); err != nil {
				t.Skipf("haresources does not parse: %v", err)
			}
			var views []*hacf.Config
			for _, n := range cfg.Nodes {
				v, _ := hacf.ParseFile(cfPath, hacf.Options{File: filepath.Base(cfPath), Env: env, NodeName: n.Name})
				views = append(views, v)
			}
			cfg.StonithHosts = MergeStonithHosts(views...)
			cib, warns, err := Convert(cfg, groups, Options{Host: &OSHost{}, HaresourcesFile: filepath.Base(hrPath)})
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			for _, w := range warns {
				t.Logf("warning: %s", w)
			}
			if n := countPrims(cib); n != countResources(groups) {
				t.Errorf("%d primitives for %d resources", n, countResources(groups))
			}
			converted++
			crmVerify(t, cib)
		})
	}
	if converted < 10 {
		t.Errorf("only %d public setups converted and verified; expected at least 10", converted)
	}
}

func countResources(groups []haresources.Group) int {
	n := 0
	for _, g := range groups {
		n += len(g.Resources)
	}
	return n
}

func countPrims(c *CIB) int {
	n := 0
	for _, g := range c.Configuration.Resources.Groups {
		n += len(g.Primitives)
	}
	return n
}
