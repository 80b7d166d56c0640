package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
)

const doc = `<cib epoch="1" num_updates="0" admin_epoch="0" dc-uuid="1" have-quorum="0" cib-last-written="Thu Jan  1 00:00:00 2026" update-client="cibadmin" update-origin="a">
<configuration><crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/><nvpair id="o2" name="dc-version" value="2.1.5"/></cluster_property_set></crm_config>
<nodes><node id="1" uname="a"/><node id="2" uname="b"><instance_attributes id="n2"><nvpair id="n2s" name="standby" value="on"/></instance_attributes></node><node id="3" uname="c"/></nodes>
<resources>
 <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/>
 <group id="g"><primitive id="g1" class="lsb" type="x"/><primitive id="g2" class="lsb" type="y"/></group>
 <clone id="c"><primitive id="d" class="ocf" provider="pacemaker" type="Dummy"/></clone>
</resources><constraints/></configuration>
<status>
 <node_state id="1" uname="a" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>
  <lrm_resource id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
   <lrm_rsc_op id="ip_last_0" operation_key="ip_start_0" operation="start" transition-key="1:1:0:u" call-id="2" rc-code="0" op-status="0" interval="0"/>
   <lrm_rsc_op id="ip_last_failure_0" operation_key="ip_monitor_10000" operation="monitor" transition-key="1:1:0:u" call-id="3" rc-code="7" op-status="0" interval="10000" last-rc-change="1700000000" exec-time="40"/>
  </lrm_resource>
  <lrm_resource id="g1" class="lsb" type="x"><lrm_rsc_op id="g1_last_0" operation="start" transition-key="1:1:0:u" call-id="4" rc-code="0" op-status="0" interval="0"/></lrm_resource>
  <lrm_resource id="d" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="d_last_0" operation="start" transition-key="1:1:0:u" call-id="5" rc-code="0" op-status="0" interval="0"/></lrm_resource>
 </lrm_resources></lrm></node_state>
 <node_state id="2" uname="b" in_ccm="true" crmd="online" join="member" expected="member"/>
</status></cib>`

func cluster(t *testing.T) *status.Cluster {
	c, err := cib.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	root, err := cibdoc.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return status.Compute(c, root)
}

func TestTextLayout(t *testing.T) {
	var b bytes.Buffer
	Text(&b, cluster(t), Options{Inactive: true, Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)})
	want := `Cluster Summary:
  * Stack: unknown
  * Current DC: a (version 2.1.5) - partition WITHOUT quorum
  * Last updated: Fri Jan  2 03:04:05 2026
  * Last change:  Thu Jan  1 00:00:00 2026 via cibadmin on a
  * 3 nodes configured
  * 6 resource instances configured

Node List:
  * Node b: standby
  * Online: [ a ]
  * OFFLINE: [ c ]

Full List of Resources:
  * ip	(ocf:heartbeat:IPaddr2):	 FAILED a
  * Resource Group: g:
    * g1	(lsb:x):	 Started a
    * g2	(lsb:y):	 Stopped
  * Clone Set: c [d]:
    * Started: [ a ]
    * Stopped: [ b c ]

Failed Resource Actions:
  * ip 10s-interval monitor on a returned 'not running' at ` + time.Unix(1700000000, 0).Format(ctime) + ` after 40ms
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	Text(&b, cluster(t), Options{})
	if !strings.Contains(b.String(), "  * Resource Group: g (1 member inactive):\n    * g1\t(lsb:x):\t Started a\n  * Clone Set") {
		t.Errorf("active-only layout:\n%s", b.String())
	}
}

func TestXMLIsWellFormed(t *testing.T) {
	var b bytes.Buffer
	XML(&b, cluster(t), Options{Request: "crm_mon --output-as=xml <&>"})
	root, err := cibdoc.Parse(b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if root.Name != "pacemaker-result" || root.Attr("request") != "crm_mon --output-as=xml <&>" {
		t.Fatalf("root: %s %v", root.Name, root.Attrs)
	}
	f := root.Child("failures").Child("failure")
	if f.Attr("op_key") != "ip_monitor_10000" || f.Attr("exitcode") != "7" || f.Attr("exec") != "40" {
		t.Errorf("failure: %v", f.Attrs)
	}
}

func TestReadableMS(t *testing.T) {
	for ms, want := range map[int]string{40: "40ms", 2000: "2s", 30160: "30.160s", 179014: "2m59.014s", 3600000: "1h"} {
		if got := readableMS(ms); got != want {
			t.Errorf("%d: %q want %q", ms, got, want)
		}
	}
}
