package admin

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"

	"hbgo/crm/status/cibdoc"
)

// twoGroups is what hb2cib writes for "n1 ... A" / "n2 ... B": group A
// homed on n1, group B on n2, plus a primitive without a home.
const twoGroups = `<cib epoch="3" num_updates="7" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes>
      <node id="n1" uname="n1"/>
      <node id="n2" uname="n2">
        <instance_attributes id="nodes-n2">
          <nvpair id="nodes-n2-standby" name="standby" value="on"/>
        </instance_attributes>
      </node>
    </nodes>
    <resources>
      <group id="A"><primitive id="a1" class="ocf" provider="heartbeat" type="Dummy"/></group>
      <group id="B"><primitive id="b1" class="ocf" provider="heartbeat" type="Dummy"/></group>
      <primitive id="free" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_location id="location-A-home" rsc="A" node="n1" score="100"/>
      <rsc_location id="location-B-home" rsc="B" node="n2" score="100"/>
      <rsc_location id="B-not-n1" rsc="B" node="n1" score="-50"/>
    </constraints>
  </configuration>
  <status/>
</cib>`

func parse(t *testing.T, s string) *cibdoc.Element {
	t.Helper()
	root, err := cibdoc.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// moves lists the cli- constraints as "id rsc node score", sorted; a
// rule "#uname ne N" shows as node "!N".
func moves(root *cibdoc.Element) []string {
	var out []string
	for _, c := range cibdoc.Section(root, "constraints").All("rsc_location") {
		if !strings.HasPrefix(c.Attr("id"), "cli-") {
			continue
		}
		node, score := c.Attr("node"), c.Attr("score")
		if r := c.Child("rule"); r != nil {
			x := r.Child("expression")
			if x == nil || x.Attr("attribute") != "#uname" || x.Attr("operation") != "ne" || len(r.Children) != 1 {
				out = append(out, c.Attr("id")+" unexpected rule "+r.String())
				continue
			}
			node, score = "!"+x.Attr("value"), r.Attr("score")
		}
		out = append(out, strings.Join([]string{c.Attr("id"), c.Attr("rsc"), node, score}, " "))
	}
	sort.Strings(out)
	return out
}

func standbyOf(root *cibdoc.Element, node string) string {
	v, _, err := cibdoc.GetAttr(root, cibdoc.AttrRef{Scope: cibdoc.ScopeNodes, Node: node, Name: "standby"})
	if err != nil {
		return "off"
	}
	return v
}

func TestCRMMove(t *testing.T) {
	for _, tc := range []struct {
		name      string
		node      string
		set       string
		standby   bool
		want      []string
		standbyN2 string
		err       error
	}{
		{name: "standby all on n1 bans every resource from n1", node: "n1", set: "all", standby: true,
			want: []string{"cli-prefer-A A !n1 100000", "cli-prefer-B B !n1 100000", "cli-prefer-free free !n1 100000"}, standbyN2: "on"},
		{name: "standby local is the groups homed here", node: "n1", set: "local", standby: true,
			want: []string{"cli-prefer-A A !n1 100000"}, standbyN2: "on"},
		{name: "standby foreign is the groups homed elsewhere", node: "n1", set: "foreign", standby: true,
			want: []string{"cli-prefer-B B !n1 100000"}, standbyN2: "on"},
		{name: "takeover all prefers n2 and ends its node standby", node: "n2", set: "all",
			want: []string{"cli-prefer-A A n2 100000", "cli-prefer-B B n2 100000", "cli-prefer-free free n2 100000"}, standbyN2: "off"},
		{name: "takeover failback is the groups homed here", node: "n2", set: "failback",
			want: []string{"cli-prefer-B B n2 100000"}, standbyN2: "off"},
		{name: "takeover foreign", node: "n1", set: "foreign",
			want: []string{"cli-prefer-B B n1 100000"}, standbyN2: "on"},
		{name: "a node the CIB does not know", node: "n9", set: "all", standby: true, err: cibdoc.ErrNoNode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := parse(t, twoGroups)
			done, err := CRMMove(root, tc.node, tc.set, tc.standby)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := moves(root); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("constraints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if got := standbyOf(root, "n2"); got != tc.standbyN2 {
				t.Fatalf("n2 standby %q, want %q", got, tc.standbyN2)
			}
			if len(done) < len(tc.want) {
				t.Fatalf("reported %q for %d changes", done, len(tc.want))
			}
			if _, err := cibdoc.Parse([]byte(root.String())); err != nil {
				t.Fatalf("result does not parse: %v", err)
			}
		})
	}
}

// The last command wins: every step leaves exactly one cli-prefer- for
// the group. Takeover lifts crm_resource's ban of this node, standby
// leaves bans alone.
func TestCRMMoveReplacesEarlierMoves(t *testing.T) {
	root := parse(t, strings.Replace(twoGroups, "</constraints>",
		`<rsc_location id="cli-ban-A-on-n1" rsc="A" node="n1" score="-INFINITY"/>
		<rsc_location id="cli-ban-A-on-n2" rsc="A" node="n2" score="-INFINITY"/></constraints>`, 1))
	bans := []string{"cli-ban-A-on-n1 A n1 -INFINITY", "cli-ban-A-on-n2 A n2 -INFINITY"}
	steps := []struct {
		node    string
		set     string
		standby bool
		want    []string
	}{
		{"n1", "local", true, append([]string{}, bans[0], bans[1], "cli-prefer-A A !n1 100000")},
		{"n1", "local", false, []string{bans[1], "cli-prefer-A A n1 100000"}},
		{"n2", "foreign", true, []string{bans[1], "cli-prefer-A A !n2 100000"}},
		{"n1", "local", true, []string{bans[1], "cli-prefer-A A !n1 100000"}},
		{"n2", "foreign", false, []string{"cli-prefer-A A n2 100000"}},
	}
	for i, s := range steps {
		if _, err := CRMMove(root, s.node, s.set, s.standby); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range moves(root) {
			if strings.Contains(m, " A ") {
				got = append(got, m)
			}
		}
		if strings.Join(got, "\n") != strings.Join(s.want, "\n") {
			t.Fatalf("step %d: %q, want %q", i, got, s.want)
		}
	}
}

func TestCRMMoveRefusesForeignIDsAndEmptySets(t *testing.T) {
	root := parse(t, strings.Replace(twoGroups, "<crm_config/>",
		`<crm_config><cluster_property_set id="cli-prefer-A"/></crm_config>`, 1))
	if _, err := CRMMove(root, "n1", "all", false); !errors.Is(err, ErrIDTaken) {
		t.Fatalf("err %v, want ErrIDTaken", err)
	}
	root = parse(t, strings.Replace(twoGroups, `<rsc_location id="location-B-home" rsc="B" node="n2" score="100"/>`, "", 1))
	root.FindID("location-A-home").Set("node", "n2")
	if _, err := CRMMove(root, "n1", "local", true); !errors.Is(err, ErrNoResources) {
		t.Fatalf("err %v, want ErrNoResources", err)
	}
}

// memSource is an in-memory CIB for RequestMain.
type memSource struct{ xml string }

func (m *memSource) Load() (*cibdoc.Element, error) { return cibdoc.Parse([]byte(m.xml)) }
func (m *memSource) Store(root *cibdoc.Element) error {
	m.xml = root.String()
	return nil
}

func TestRequestMainInCRMMode(t *testing.T) {
	src := &memSource{xml: twoGroups}
	var sent []string
	b := Backend{
		Send:     func(_, cmd, set string) error { sent = append(sent, cmd+" "+set); return nil },
		CRMMode:  func(string) (bool, error) { return true, nil },
		CIB:      func(string) cibdoc.Source { return src },
		Hostname: func() (string, error) { return "N1", nil },
	}
	var out, errb bytes.Buffer
	if rc := RequestMain("hb_standby", "standby", []string{"--run-dir", "/r"}, &out, &errb, b); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	if len(sent) != 0 {
		t.Fatalf("v1 request sent in crm mode: %q", sent)
	}
	root := parse(t, src.xml)
	if root.Attr("epoch") != "4" || root.Attr("num_updates") != "0" {
		t.Fatalf("version %s.%s, want the epoch bumped", root.Attr("epoch"), root.Attr("num_updates"))
	}
	if got := moves(root); len(got) != 3 || !strings.Contains(out.String(), "A prefers any node but n1") {
		t.Fatalf("constraints %q, output %q", got, out.String())
	}
	if !strings.Contains(errb.String(), "Going standby [all].") {
		t.Fatalf("stderr %q", errb.String())
	}
	out.Reset()
	if rc := RequestMain("hb_takeover", "takeover", []string{"--node-name=n2", "local"}, &out, &errb, b); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	root = parse(t, src.xml)
	if standbyOf(root, "n2") != "off" || !strings.Contains(out.String(), "B prefers n2") {
		t.Fatalf("n2 standby %s, output %q", standbyOf(root, "n2"), out.String())
	}
	errb.Reset()
	if rc := RequestMain("hb_takeover", "takeover", []string{"--node-name", "n7"}, &out, &errb, b); rc != 1 || !strings.Contains(errb.String(), "n7") {
		t.Fatalf("unknown node: rc %d, %q", rc, errb.String())
	}
}

func TestRequestMainV1ModeAndNoDaemon(t *testing.T) {
	for _, mode := range []func(string) (bool, error){
		func(string) (bool, error) { return false, nil },
		func(string) (bool, error) { return false, errors.New("no socket") },
	} {
		var sent []string
		b := Backend{Send: func(_, cmd, set string) error { sent = append(sent, cmd+" "+set); return nil }, CRMMode: mode,
			CIB: func(string) cibdoc.Source { t.Fatal("CIB used outside crm mode"); return nil }}
		var out, errb bytes.Buffer
		if rc := RequestMain("hb_takeover", "takeover", []string{"foreign"}, &out, &errb, b); rc != 0 || len(sent) != 1 || sent[0] != "takeover foreign" {
			t.Fatalf("rc %d sent %q", rc, sent)
		}
	}
}
