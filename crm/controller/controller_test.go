package controller

import (
	"errors"
	"slices"
	"testing"
	"time"

	"hbgo/crm/cibstore"
)

func startAll(s *sim) {
	for _, n := range s.names {
		s.start(n)
	}
}

func TestThreeNodesElectLowestName(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	took := s.waitStable(3*time.Second, nil)
	t.Logf("stable after %v", took)
	if s.dc(s.names) != "n1" {
		t.Fatalf("DC %q", s.dc(s.names))
	}
	m := s.nodes["n2"].m.Membership()
	if !m.Quorum || m.DC != "n1" || !slices.Equal(m.Members, s.names) {
		t.Fatalf("n2 view %+v", m)
	}
	// The DC scheduled only after probing every node.
	if len(s.nodes["n1"].scheds) == 0 || len(s.nodes["n2"].scheds) != 0 {
		t.Fatal("only the DC schedules")
	}
	if !s.nodes["n1"].m.probed["n3"] {
		t.Fatal("n3 not probed before scheduling")
	}
}

func TestPriorityOverridesName(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	s.cfg = func(n string) Config {
		c := TestConfig(n, s.names)
		c.Priority = map[string]int{"n1": 5, "n2": 5}
		return c
	}
	startAll(s)
	s.advance(2*time.Second, nil)
	if s.dc(s.names) != "n3" {
		t.Fatalf("DC %q, want n3 (lowest priority value)", s.dc(s.names))
	}
}

// TestDCDeathReelection: the DC dies; the next node is DC within deadtime
// plus a margin.
func TestDCDeathReelection(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.kill("n1")
	took := s.waitStable(3*time.Second, nil)
	bound := s.deadtime + s.keepalive + 100*time.Millisecond
	t.Logf("re-elected after %v (deadtime %v)", took, s.deadtime)
	if took > bound {
		t.Fatalf("re-election took %v, bound %v", took, bound)
	}
	if dc := s.dc([]string{"n2", "n3"}); dc != "n2" {
		t.Fatalf("DC %q", dc)
	}
	if !s.nodes["n2"].m.Membership().Quorum {
		t.Fatal("2 of 3 must have quorum")
	}
	// n1 comes back: it ranks first and takes the role back.
	s.start("n1")
	s.waitStable(3*time.Second, nil)
	if s.dc(s.names) != "n1" {
		t.Fatalf("DC %q", s.dc(s.names))
	}
}

func TestTwoNodeRule(t *testing.T) {
	s := newSim(t, "a", "b")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.partition([]string{"a"}, []string{"b"})
	s.waitStable(3*time.Second, nil)
	for _, n := range s.names {
		m := s.nodes[n].m.Membership()
		if !m.Quorum || m.DC != n {
			t.Fatalf("%s: %+v; each half of a 2-node cluster keeps quorum", n, m)
		}
	}
	s.heal()
	s.waitStable(3*time.Second, nil)
}

func TestFourNodeTieAndMinority(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3", "n4")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.partition([]string{"n1", "n2"}, []string{"n3", "n4"})
	s.waitStable(3*time.Second, nil)
	if q1, q3 := s.nodes["n2"].m.Membership().Quorum, s.nodes["n4"].m.Membership().Quorum; !q1 || q3 {
		t.Fatalf("tie: side of n1 quorum %v (want true), other side %v (want false)", q1, q3)
	}
	s.partition([]string{"n1"}, []string{"n2", "n3", "n4"})
	s.waitStable(3*time.Second, nil)
	if s.nodes["n1"].m.Membership().Quorum || !s.nodes["n3"].m.Membership().Quorum {
		t.Fatal("1 of 4 must lose quorum, 3 of 4 keep it")
	}
	if s.dc([]string{"n1"}) != "n1" || s.dc([]string{"n2", "n3", "n4"}) != "n2" {
		t.Fatal("one DC per partition")
	}
}

func TestHighestVersionWinsOnJoin(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	d := cibWith(t, cibstore.Empty(), "from-n3")
	s.nodes["n3"].disk = d.WithVersion(cibstore.Version{AdminEpoch: 0, Epoch: 7, NumUpdates: 1})
	startAll(s)
	s.waitStable(3*time.Second, nil)
	for _, n := range s.names {
		c := s.nodes[n].m.CIB()
		if c.Version() != (cibstore.Version{Epoch: 7, NumUpdates: 1}) || !hasPrimitive(c, "from-n3") {
			t.Fatalf("%s: cib %s", n, c.Version())
		}
	}
}

func cibWith(t *testing.T, d *cibstore.Doc, prim string) *cibstore.Doc {
	t.Helper()
	p, _ := cibstore.ParsePath("/cib/configuration/resources/primitive[@id='" + prim + "']")
	nd, _, err := cibstore.Apply(d, []cibstore.Op{{Kind: cibstore.OpReplace, Path: p,
		Node: &cibstore.Node{Name: "primitive", Attrs: []cibstore.Attr{{Name: "id", Value: prim}}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return nd
}

// TestSplitBrainMergeHighestWins: both halves of a 2-node cluster change
// the CIB; on merge the copy with the highest version is everybody's.
func TestSplitBrainMergeHighestWins(t *testing.T) {
	s := newSim(t, "a", "b")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.partition([]string{"a"}, []string{"b"})
	s.waitStable(3*time.Second, nil)
	s.request("a", "r1", "pa")
	s.request("b", "r2", "pb1")
	s.request("b", "r3", "pb2")
	s.advance(100*time.Millisecond, nil)
	s.heal()
	s.waitStable(3*time.Second, nil)
	for _, n := range s.names {
		c := s.nodes[n].m.CIB()
		if !hasPrimitive(c, "pb2") || hasPrimitive(c, "pa") {
			t.Fatalf("%s: cib %s has pa=%v pb2=%v; b's copy (newer) must win", n, c.Version(), hasPrimitive(c, "pa"), hasPrimitive(c, "pb2"))
		}
	}
}

func TestRequestForwardedCommittedAcked(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	before := s.nodes["n1"].m.CIB().Version()
	s.request("n3", "req-1", "web")
	// Not done before the DC has answered.
	if _, ok := s.nodes["n3"].done["req-1"]; ok {
		t.Fatal("done before the DC answered")
	}
	s.advance(50*time.Millisecond, nil)
	c, ok := s.nodes["n3"].done["req-1"]
	if !ok || c.Err != nil {
		t.Fatalf("commit: %+v %v", c, ok)
	}
	if want := (cibstore.Version{Epoch: before.Epoch + 1}); c.Version != want {
		t.Fatalf("version %s, want %s", c.Version, want)
	}
	s.waitStable(time.Second, nil)
	for _, n := range s.names {
		if !hasPrimitive(s.nodes[n].disk, "web") {
			t.Fatalf("%s: change not replicated", n)
		}
	}
	// The DC's own request completes in the same call.
	s.request("n1", "req-2", "db")
	if c := s.nodes["n1"].done["req-2"]; c.Err != nil || c.Version.Epoch != before.Epoch+2 {
		t.Fatalf("local commit %+v", c)
	}
	// A duplicate id is refused.
	s.request("n2", "req-3", "x")
	s.request("n2", "req-3", "y")
	if c := s.nodes["n2"].done["req-3"]; !errors.Is(c.Err, ErrDuplicateRequest) {
		t.Fatalf("duplicate: %+v", c)
	}
}

func TestValidatorRefusalReachesRequester(t *testing.T) {
	s := newSim(t, "n1", "n2")
	refuse := errors.New("primitive id 'bad' is not allowed")
	s.cfg = func(n string) Config {
		c := TestConfig(n, s.names)
		c.Validator = func(d *cibstore.Doc) error {
			if hasPrimitive(d, "bad") {
				return refuse
			}
			return nil
		}
		return c
	}
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.request("n2", "r", "bad")
	s.advance(50*time.Millisecond, nil)
	c := s.nodes["n2"].done["r"]
	if !errors.Is(c.Err, ErrRefused) {
		t.Fatalf("commit %+v", c)
	}
	for _, n := range s.names {
		if hasPrimitive(s.nodes[n].m.CIB(), "bad") {
			t.Fatalf("%s holds the refused change", n)
		}
	}
}

// TestMissedDiffGetsFullCopy: a member misses a diff (cut off for less
// than deadtime, so membership does not change); the next diff does not
// apply to its version and it asks for, and gets, a full copy.
func TestMissedDiffGetsFullCopy(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	inst := s.nodes["n1"].m.Membership().Instance
	s.partition([]string{"n3"})
	s.request("n1", "r1", "p1")
	s.advance(50*time.Millisecond, nil)
	s.heal()
	s.request("n2", "r2", "p2")
	s.advance(100*time.Millisecond, nil)
	if s.nodes["n1"].m.Membership().Instance != inst {
		t.Fatal("membership changed; the test wants a short cut")
	}
	for _, n := range s.names {
		c := s.nodes[n].m.CIB()
		if !hasPrimitive(c, "p1") || !hasPrimitive(c, "p2") {
			t.Fatalf("%s: %s lacks a change", n, c.Version())
		}
	}
}

// TestPendingRequestFollowsNewDC: the DC dies with a request in flight;
// the request is resent to the new DC and completes there.
func TestPendingRequestFollowsNewDC(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.request("n3", "r", "p")
	s.kill("n1")
	s.advance(3*time.Second, nil)
	c, ok := s.nodes["n3"].done["r"]
	if !ok || c.Err != nil {
		t.Fatalf("commit %+v %v", c, ok)
	}
	if !hasPrimitive(s.nodes["n2"].disk, "p") {
		t.Fatal("not on the new DC's disk")
	}
}

func TestRequestTimesOutWhenDCUnreachable(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	s.cfg = func(n string) Config {
		c := TestConfig(n, s.names)
		c.RequestTimeout = 200 * time.Millisecond
		return c
	}
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.partition([]string{"n3"})
	s.request("n3", "r", "p")
	s.advance(300*time.Millisecond, nil)
	c, ok := s.nodes["n3"].done["r"]
	if !ok || !errors.Is(c.Err, ErrRequestTimeout) {
		t.Fatalf("commit %+v %v", c, ok)
	}
}

func TestStartupWaitsForPeers(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	s.start("n2")
	s.advance(time.Second, nil)
	if s.nodes["n2"].m.IsDC() {
		t.Fatal("a lone node must wait StartupWait before coordinating")
	}
	s.advance(1500*time.Millisecond, nil)
	if !s.nodes["n2"].m.IsDC() || s.nodes["n2"].m.Membership().Quorum {
		t.Fatalf("after StartupWait: %+v", s.nodes["n2"].m.Membership())
	}
	s.start("n1")
	s.start("n3")
	s.waitStable(2*time.Second, nil)
}

func TestRestartedCoordinatorCatchesUpInstance(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	for range 3 { // raise the instance number
		s.kill("n3")
		s.waitStable(3*time.Second, nil)
		s.start("n3")
		s.waitStable(3*time.Second, nil)
	}
	high := s.nodes["n2"].m.Membership().Instance
	s.kill("n1")
	s.advance(200*time.Millisecond, nil)
	s.start("n1") // restarts with instance 0 before the others noticed
	s.waitStable(3*time.Second, nil)
	if got := s.nodes["n1"].m.Membership().Instance; got <= high {
		t.Fatalf("instance %d not above %d", got, high)
	}
}

func TestPingQuorumTieBreak(t *testing.T) {
	s := newSim(t, "a", "b")
	s.cfg = func(n string) Config {
		c := TestConfig(n, s.names)
		c.PingNodes = []string{"gw"}
		return c
	}
	startAll(s)
	for _, n := range s.names {
		s.apply(s.nodes[n], s.nodes[n].m.PingUp(s.now, "gw"))
	}
	s.advance(time.Second, nil)
	s.partition([]string{"a"}, []string{"b"})
	s.apply(s.nodes["b"], s.nodes["b"].m.PingDown(s.now, "gw"))
	s.advance(2*time.Second, nil)
	if !s.nodes["a"].m.Membership().Quorum || s.nodes["b"].m.Membership().Quorum {
		t.Fatalf("a %+v b %+v: only the side reaching the ping node keeps quorum", s.nodes["a"].m.Membership(), s.nodes["b"].m.Membership())
	}
	// The ping node comes back for b: quorum is recomputed at once.
	s.apply(s.nodes["b"], s.nodes["b"].m.PingUp(s.now, "gw"))
	if !s.nodes["b"].m.Membership().Quorum {
		t.Fatal("quorum not recomputed on ping up")
	}
}

// TestResentRequestNotReapplied: the DC answers a request it already
// applied from memory, so a resend cannot undo a later change.
func TestResentRequestNotReapplied(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	p, _ := cibstore.ParsePath("/cib/configuration/crm_config/nvpair[@id='x']")
	set := func(v string) []cibstore.Op {
		return []cibstore.Op{{Kind: cibstore.OpReplace, Path: p, Node: &cibstore.Node{Name: "nvpair",
			Attrs: []cibstore.Attr{{Name: "id", Value: "x"}, {Name: "value", Value: v}}}}}
	}
	s.apply(s.nodes["n2"], s.nodes["n2"].m.Request(s.now, "r1", set("1")))
	s.advance(20*time.Millisecond, nil)
	s.apply(s.nodes["n3"], s.nodes["n3"].m.Request(s.now, "r2", set("2")))
	s.advance(20*time.Millisecond, nil)
	v := s.nodes["n1"].m.CIB().Version()
	// n2's request arrives again (e.g. resent after a new membership).
	acts := s.nodes["n1"].m.Receive(s.now, Msg{Type: MsgCIBRequest, From: "n2", ReqID: "r1", Patch: &cibstore.Patch{Ops: set("1")}})
	s.apply(s.nodes["n1"], acts)
	s.advance(20*time.Millisecond, nil)
	if got := s.nodes["n1"].m.CIB().Version(); got != v {
		t.Fatalf("resend applied again: %s -> %s", v, got)
	}
	cfg := s.nodes["n1"].m.CIB().Root().Child("configuration", "").Child("crm_config", "").Child("nvpair", "x")
	if val, _ := cfg.Attr("value"); val != "2" {
		t.Fatalf("value %q, want the later change 2", val)
	}
}

// TestSilentPeerBacksOff: a node heard by heartbeat but not running the
// controller is left out, retried with growing intervals, and never holds
// the membership back.
func TestSilentPeerBacksOff(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	s.start("n1")
	s.start("n2")
	s.start("n3")
	s.nodes["n3"].mute = true // heartbeat only: the controller never answers
	s.advance(10*time.Second, nil)
	dc := s.nodes["n1"].m
	if !dc.IsDC() || !slices.Equal(dc.Membership().Members, []string{"n1", "n2"}) {
		t.Fatalf("DC %+v", dc.Membership())
	}
	// Retries after 0.5, 1, 2, 4 s (+ JoinTimeout each): 4 or 5 in 10 s,
	// not the 12 a fixed interval would give.
	if c := dc.leftCount["n3"]; c < 3 || c > 6 {
		t.Fatalf("n3 left out %d times in 10 s", c)
	}
	// Writes still complete.
	s.request("n2", "r", "p")
	s.advance(3*time.Second, nil)
	if c, ok := s.nodes["n2"].done["r"]; !ok || c.Err != nil {
		t.Fatalf("commit %+v %v", c, ok)
	}
}

// TestRealHeartbeatLayer runs the controllers on heartbeat/membership
// views: DC death, then a fast restart of a member that heartbeat reports
// as NodeRestarted (its resources are probed again).
func TestRealHeartbeatLayer(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	s.realHB = true
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.kill("n1")
	took := s.waitStable(3*time.Second, nil)
	t.Logf("re-elected after %v (deadtime %v)", took, s.deadtime)
	if took > s.deadtime+2*s.keepalive || s.dc([]string{"n2", "n3"}) != "n2" {
		t.Fatalf("took %v, DC %q", took, s.dc([]string{"n2", "n3"}))
	}
	before := s.nodes["n2"].probeReqs["n3"]
	s.kill("n3")
	s.start("n3")
	s.waitStable(3*time.Second, nil)
	if s.nodes["n2"].probeReqs["n3"] != before+1 || s.nodes["n2"].probeReqs["n2"] != 1 {
		t.Fatal("restarted node not probed again")
	}
}

// TestMissedLastDiffRepairedByAnnouncement: a member misses the last diff
// and no other follows; the DC's periodic version announcement shows the
// difference and the member fetches a full copy.
func TestMissedLastDiffRepairedByAnnouncement(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.partition([]string{"n3"})
	s.request("n1", "r1", "p1")
	s.advance(50*time.Millisecond, nil)
	s.heal()
	if hasPrimitive(s.nodes["n3"].m.CIB(), "p1") {
		t.Fatal("n3 got the diff; the test wants it lost")
	}
	s.advance(TestConfig("n1", s.names).RetryInterval+50*time.Millisecond, nil)
	if !hasPrimitive(s.nodes["n3"].m.CIB(), "p1") || !hasPrimitive(s.nodes["n3"].disk, "p1") {
		t.Fatal("n3 still behind after an announcement period")
	}
}

// TestOneWayCutNoSecondDC: n3 stops hearing the DC while the DC still
// hears n3 (a one-way cut heartbeat cannot see as a partition). n3 loses
// its DC and asks n2 to coordinate, n2 still ranks n1 first and declines:
// n3 waits without a DC, and no second DC appears.
func TestOneWayCutNoSecondDC(t *testing.T) {
	s := newSim(t, "n1", "n2", "n3")
	startAll(s)
	s.waitStable(3*time.Second, nil)
	s.block = map[[2]string]bool{{"n1", "n3"}: true}
	s.advance(10*time.Second, func() {
		dcs := 0
		for _, n := range s.names {
			if s.nodes[n].m.IsDC() {
				dcs++
			}
		}
		if dcs != 1 {
			s.fail("%d DCs", dcs)
		}
	})
	if s.dc(s.names) != "n1" || s.nodes["n3"].m.Membership().DC != "" {
		t.Fatalf("DC %q, n3 sees %+v", s.dc(s.names), s.nodes["n3"].m.Membership())
	}
	s.block = nil
	s.waitStable(3*time.Second, nil)
}
