package upgrade

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"hbgo/hacf"
	"hbgo/haresources"
	"hbgo/haresources/tocib"
	"hbgo/heartbeat/failover"
	"hbgo/internal/testenv"
)

// The cluster under test: group A (three members) homed on n1, group B
// (one member) homed on n2. Pacemaker adds the stickiness of each active
// member but the group's location score once, so the sizes matter: one
// member is the tight case for auto_failback off, three for on.
const haresourcesText = `n1 198.51.100.10/24 Filesystem::/dev/vg0/a::/srv/a::ext4 MailTo::root@localhost::a
n2 IPaddr2::198.51.100.11/24
`

// allInstalled answers yes for every script and agent.
type allInstalled struct{}

func (allInstalled) Executable(string) bool                { return true }
func (allInstalled) StonithParams(string) ([]string, bool) { return nil, false }
func (allInstalled) ReadFile(string) ([]byte, error)       { return nil, os.ErrNotExist }

// converted is a cluster as hb2cib produces it, with the mapping from v1
// group keys to CIB groups and their primitives.
type converted struct {
	cib     *tocib.CIB
	groupOf map[string]string   // primitive id -> CIB group id
	members map[string][]string // CIB group id -> primitive ids
	byKey   map[string]string   // v1 key -> CIB group id
	v1      []failover.Group
}

func convert(t *testing.T, af hacf.AutoFailback, stonith bool) converted {
	t.Helper()
	groups, probs := haresources.Parse(strings.NewReader(haresourcesText), "haresources")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	cfg := &hacf.Config{Nodes: []hacf.Node{{Name: "n1"}, {Name: "n2"}}, AutoFailback: af, Params: map[string]hacf.Param{}}
	if stonith {
		// One device that can reset either node, usable from both.
		cfg.StonithHosts = []hacf.StonithHost{{From: "*", Type: "null", Params: "n1 n2", Line: 1}}
	}
	cib, _, err := tocib.Convert(cfg, groups, tocib.Options{Host: allInstalled{}})
	if err != nil {
		t.Fatal(err)
	}
	c := converted{cib: cib, groupOf: map[string]string{}, members: map[string][]string{}, byKey: map[string]string{}}
	if len(cib.Configuration.Resources.Groups) != len(groups) {
		t.Fatalf("%d CIB groups for %d haresources lines", len(cib.Configuration.Resources.Groups), len(groups))
	}
	for i, g := range cib.Configuration.Resources.Groups {
		for _, p := range g.Primitives {
			c.groupOf[p.ID] = g.ID
			c.members[g.ID] = append(c.members[g.ID], p.ID)
		}
		c.byKey[groups[i].Key()] = g.ID
		c.v1 = append(c.v1, failover.Group{Key: groups[i].Key(), Home: groups[i].Node})
	}
	return c
}

// status describes a situation for the scheduler: which nodes are up and
// where each group (v1 key) runs. A node that is down either left cleanly
// (no history) or, with crashed, was lost with its groups still recorded
// as running on it.
func (c converted) status(up map[string]bool, crashed bool, where map[string]string) []tocib.NodeState {
	var states []tocib.NodeState
	for _, n := range []string{"n1", "n2"} {
		s := tocib.NodeState{Name: n, Online: up[n], Lost: !up[n] && crashed}
		if up[n] || crashed {
			for _, g := range c.v1 {
				if where[g.Key] == n {
					s.Running = append(s.Running, c.members[c.byKey[g.Key]]...)
				}
			}
		}
		states = append(states, s)
	}
	return states
}

// schedule writes the CIB with the given status, runs the real
// crm_simulate through the scheduler oracle and returns where each v1 group
// ends up ("" = stopped), and the nodes it fences. A group split over two
// nodes fails the test.
func (c converted) schedule(t *testing.T, states []tocib.NodeState) (map[string]string, []string) {
	t.Helper()
	if _, err := exec.LookPath("crm_simulate"); err != nil {
		t.Skip("crm_simulate not installed (pacemaker-cli-utils)")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 (needed by the scheduler oracle) not installed")
	}
	oracle := filepath.Join(testenv.SharedDir(t), "scheduler", "oracle.sh")
	cp := *c.cib
	cp.SetStatus(states)
	file := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(file, cp.XML(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(oracle, file).Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, cp.XML())
	}
	nodesOf := map[string]map[string]bool{}
	var fenced []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "fence" {
			fenced = append(fenced, f[1])
		}
		if len(f) >= 4 && f[0] == "rsc" {
			g, ok := c.groupOf[f[1]]
			if !ok {
				continue // STONITH devices
			}
			if f[3] != "Started" || len(f) > 4 {
				t.Fatalf("unexpected resource state %q\n%s", sc.Text(), out)
			}
			if nodesOf[g] == nil {
				nodesOf[g] = map[string]bool{}
			}
			nodesOf[g][f[2]] = true
		}
	}
	res := map[string]string{}
	for _, g := range c.v1 {
		id := c.byKey[g.Key]
		var nodes []string
		for n := range nodesOf[id] {
			nodes = append(nodes, n)
		}
		sort.Strings(nodes)
		if len(nodes) > 1 {
			t.Fatalf("group %s split over %v\n%s", id, nodes, out)
		}
		res[g.Key] = strings.Join(nodes, "")
	}
	// Every member of a placed group must be running.
	counts := map[string]int{}
	sc = bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 4 && f[0] == "rsc" {
			counts[c.groupOf[f[1]]]++
		}
	}
	for _, g := range c.v1 {
		id := c.byKey[g.Key]
		if res[g.Key] != "" && counts[id] != len(c.members[id]) {
			t.Fatalf("group %s only partly running\n%s", id, out)
		}
	}
	return res, fenced
}

func aliveMap(v1 *v1Cluster) map[string]bool {
	up := map[string]bool{}
	for n, node := range v1.nodes {
		up[n] = node.alive
	}
	return up
}

// TestConvertedClusterBehavesLikeV1 is the upgrade's promise: for each
// auto_failback mode, in each situation, Pacemaker places every group
// where the v1 resource manager leaves it. The scheduler input for a step
// is the situation just after the event (which nodes are up, where the
// groups ran before it, minus those on a dead node); the expectation is
// the v1 placement once the v1 cluster has settled after the same event.
func TestConvertedClusterBehavesLikeV1(t *testing.T) {
	type modeCase struct {
		name    string
		af      hacf.AutoFailback
		mode    failover.Mode
		crashed bool // dead nodes keep their history (else: cleanly down)
		stonith bool
	}
	var modes []modeCase
	for _, m := range []modeCase{
		{name: "auto_failback_on", af: hacf.FailbackOn, mode: failover.AutoFailbackOn},
		{name: "auto_failback_off", af: hacf.FailbackOff, mode: failover.AutoFailbackOff},
		{name: "auto_failback_legacy", af: hacf.FailbackLegacy, mode: failover.Legacy},
	} {
		modes = append(modes, m)
		modes = append(modes, modeCase{m.name + "/crash", m.af, m.mode, true, false})
		modes = append(modes, modeCase{m.name + "/crash_stonith", m.af, m.mode, true, true})
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := convert(t, m.af, m.stonith)
			v1 := newV1Cluster(t, m.mode, c.v1, "n1", "n2")
			v1.stonith = m.stonith
			keyA, keyB := c.v1[0].Key, c.v1[1].Key

			type step struct {
				name   string
				event  func()
				settle time.Duration
			}
			steps := []step{
				{"cold start, nothing running", func() { v1.start("n1"); v1.start("n2") }, 15 * time.Second},
				{"both up running their home groups", func() {}, 5 * time.Second},
				{"home node of group A dead", func() { v1.crash("n1") }, 5 * time.Second},
				{"home of A back while A runs on n2", func() { v1.start("n1") }, 20 * time.Second},
				{"home node of group B dead", func() { v1.crash("n2") }, 5 * time.Second},
				{"home of B back while B runs on n1", func() { v1.start("n2") }, 20 * time.Second},
			}
			for _, s := range steps {
				before := v1.placement()
				s.event()
				up := aliveMap(v1)
				if !m.crashed {
					for k, n := range before {
						if n != "" && !up[n] {
							before[k] = "" // the node left cleanly: nothing recorded
						}
					}
				}
				v1.run(s.settle)
				want := v1.placement()
				got, fenced := c.schedule(t, c.status(up, m.crashed, before))
				var lost []string
				if m.crashed && m.stonith {
					for _, n := range []string{"n1", "n2"} {
						if !up[n] {
							lost = append(lost, n)
						}
					}
				}
				if strings.Join(fenced, " ") != strings.Join(lost, " ") {
					t.Errorf("%s: Pacemaker fences %v, want %v (v1 resets a dead peer only with STONITH)", s.name, fenced, lost)
				}
				for _, k := range []string{keyA, keyB} {
					if got[k] != want[k] {
						t.Errorf("%s: group %s: Pacemaker places it on %q, v1 on %q (input: up %v, running %v)",
							s.name, c.byKey[k], got[k], want[k], up, before)
					}
				}
				t.Logf("%s: v1 %v, pacemaker %v", s.name, want, got)
			}
			// The scenario must exercise both behaviours: after the failback
			// step the placement differs between on and off.
			final := v1.placement()
			wantFinal := map[failover.Mode]string{
				failover.AutoFailbackOn:  "n1 n2",
				failover.Legacy:          "n1 n2",
				failover.AutoFailbackOff: "n1 n1",
			}[m.mode]
			if got := final[keyA] + " " + final[keyB]; got != wantFinal {
				t.Errorf("v1 final placement %q, want %q", got, wantFinal)
			}
		})
	}
}
