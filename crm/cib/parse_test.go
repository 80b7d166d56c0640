package cib

import (
	"errors"
	"strings"
	"testing"

	"hbgo/crm/score"
)

func TestParseSmall(t *testing.T) {
	c, err := ParseFile("testdata/small.xml")
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminEpoch != 1 || c.Epoch != 12 || c.NumUpdates != 3 || !c.HaveQuorum || c.DCUUID != "n1" {
		t.Errorf("versions/quorum: %+v", c)
	}
	if len(c.CRMConfig) != 1 || len(c.CRMConfig[0].Pairs) != 2 || c.CRMConfig[0].Pairs[1].Value != "ignore" {
		t.Errorf("crm_config: %+v", c.CRMConfig)
	}
	if len(c.Nodes) != 2 || c.Nodes[1].ID != "n2" || c.Nodes[1].Uname != "node2" || c.Nodes[0].Attrs[0].Pairs[0].Name != "rack" {
		t.Errorf("nodes: %+v", c.Nodes)
	}
	if len(c.Resources) != 3 {
		t.Fatalf("resources: %d", len(c.Resources))
	}
	ip, web, clone := c.Resources[0], c.Resources[1], c.Resources[2]
	if ip.Kind != Primitive || ip.Class != "ocf" || ip.Provider != "heartbeat" || ip.Type != "IPaddr2" {
		t.Errorf("ip: %+v", ip)
	}
	if len(ip.Ops) != 1 || ip.Ops[0].Interval != "10s" || ip.Ops[0].OnFail != "restart" {
		t.Errorf("ip ops: %+v", ip.Ops)
	}
	if web.Kind != Group || len(web.Children) != 2 || web.Children[1].Class != "lsb" {
		t.Errorf("web: %+v", web)
	}
	if clone.Kind != Clone || len(clone.Children) != 1 || clone.Children[0].ID != "dlm" {
		t.Errorf("clone: %+v", clone)
	}
	if len(c.Locations) != 2 || c.Locations[0].Score != 100 || !c.Locations[0].HasScore || c.Locations[0].Node != "node1" {
		t.Errorf("locations: %+v", c.Locations)
	}
	r := c.Locations[1].Rules[0]
	if r.Score != score.NegInfinity || r.Op != Or || len(r.Exprs) != 2 {
		t.Errorf("rule: %+v", r)
	}
	if co := c.Colocations[0]; co.Rsc != "web" || co.WithRsc != "ip" || co.Score != score.Infinity {
		t.Errorf("colocation: %+v", co)
	}
	if o := c.Orders[0]; o.First != "ip" || o.Then != "web" || o.Kind != "Mandatory" {
		t.Errorf("order: %+v", o)
	}
	// Heartbeat 2.x spelling: from=web to=dlm-clone type=after means the
	// clone comes first.
	if o := c.Orders[1]; o.First != "dlm-clone" || o.Then != "web" {
		t.Errorf("old-style order: %+v", o)
	}
	if len(c.RscDefaults) != 1 || c.RscDefaults[0].Pairs[0].Name != "migration-threshold" {
		t.Errorf("rsc_defaults: %+v", c.RscDefaults)
	}
	if len(c.Status) != 1 {
		t.Fatalf("status: %+v", c.Status)
	}
	st := c.Status[0]
	if st.InCCM != "true" || !st.HasInCCM || st.Crmd != "online" || st.Join != "member" || st.Expected != "member" {
		t.Errorf("node_state: %+v", st)
	}
	if len(st.Transient) != 1 || st.Transient[0].Pairs[0].Value != "1" {
		t.Errorf("transient: %+v", st.Transient)
	}
	ops := st.Resources[0].Ops
	if len(ops) != 2 || ops[1].IntervalMS != 10000 || ops[1].RC != 7 || ops[1].CallID != 5 || ops[1].LastRCChange != 1000 {
		t.Errorf("ops: %+v", ops)
	}
}

func TestParseErrors(t *testing.T) {
	wrap := func(conf string) string {
		return `<cib><configuration>` + conf + `</configuration></cib>`
	}
	cases := []struct {
		name, doc string
		want      error
	}{
		{"not xml", "<cib><configuration>", ErrMalformedXML},
		{"empty", "", ErrMalformedXML},
		{"two roots", "<cib/><cib/>", ErrMalformedXML},
		{"wrong root", "<config/>", ErrNotCIB},
		{"no configuration", "<cib/>", ErrMissing},
		{"resource without id", wrap(`<resources><primitive class="ocf" type="Dummy"/></resources>`), ErrMissing},
		{"primitive without type", wrap(`<resources><primitive id="a" class="ocf"/></resources>`), ErrMissing},
		{"duplicate id", wrap(`<resources><primitive id="a" class="ocf" type="D"/><primitive id="a" class="ocf" type="D"/></resources>`), ErrDuplicateID},
		{"empty group", wrap(`<resources><group id="g"/></resources>`), ErrMissing},
		{"clone of two", wrap(`<resources><clone id="c"><primitive id="a" class="ocf" type="D"/><primitive id="b" class="ocf" type="D"/></clone></resources>`), ErrBadValue},
		{"group in group", wrap(`<resources><group id="g"><group id="h"><primitive id="a" class="ocf" type="D"/></group></group></resources>`), ErrBadValue},
		{"bad boolean-op", wrap(`<constraints><rsc_location id="l" rsc="a"><rule id="r" boolean-op="xor"/></rsc_location></constraints>`), ErrBadValue},
		{"location without id", wrap(`<constraints><rsc_location rsc="a" node="n" score="1"/></constraints>`), ErrMissing},
		{"order without then", wrap(`<constraints><rsc_order id="o" first="a"/></constraints>`), ErrMissing},
		{"colocation without with-rsc", wrap(`<constraints><rsc_colocation id="c" rsc="a" score="1"/></constraints>`), ErrMissing},
		{"nvpair without name", wrap(`<crm_config><cluster_property_set id="s"><nvpair id="p" value="1"/></cluster_property_set></crm_config>`), ErrMissing},
		{"bad epoch", `<cib epoch="x"><configuration/></cib>`, ErrBadValue},
		{"op without operation", `<cib><configuration/><status><node_state id="n"><lrm><lrm_resources><lrm_resource id="a"><lrm_rsc_op id="x" call-id="1"/></lrm_resource></lrm_resources></lrm></node_state></status></cib>`, ErrMissing},
		{"rule reference loop", wrap(`<constraints><rsc_location id="l" rsc="a"><rule id="r" score="1"><rule id-ref="r"/><rule id-ref="r"/></rule></rsc_location></constraints>`), ErrBadValue},
		{"bad call-id", `<cib><configuration/><status><node_state id="n"><lrm><lrm_resources><lrm_resource id="a"><lrm_rsc_op id="x" operation="start" call-id="q"/></lrm_resource></lrm_resources></lrm></node_state></status></cib>`, ErrBadValue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.doc))
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestIDRef(t *testing.T) {
	doc := `<cib><configuration><resources>
	  <primitive id="a" class="ocf" type="D"><meta_attributes id="shared"><nvpair id="s1" name="priority" value="5"/></meta_attributes></primitive>
	  <primitive id="b" class="ocf" type="D"><meta_attributes id-ref="shared"/></primitive>
	</resources></configuration></cib>`
	c, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Resources[1].Meta[0].Pairs; len(got) != 1 || got[0].Value != "5" {
		t.Fatalf("id-ref not resolved: %+v", got)
	}
}
