package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const cibText = `<cib admin_epoch="0" epoch="1" num_updates="1" have-quorum="true">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="n1" uname="node1"/><node id="n2" uname="node2"/></nodes>
    <resources><primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"/></resources>
    <constraints><rsc_location id="l" rsc="rsc1" node="node2" score="10"/></constraints>
  </configuration>
  <status>
    <node_state id="n1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="n2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>`

func writeCIB(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNormalized(t *testing.T) {
	var out, errb bytes.Buffer
	rc := run([]string{"--normalized", "-x", writeCIB(t, cibText)}, &out, &errb, time.Unix(0, 0))
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	want := "node node1 online\nnode node2 online\nrsc rsc1 node2 Started\nstart rsc1 node2\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestSummaryScoresAndGraph(t *testing.T) {
	graph := filepath.Join(t.TempDir(), "graph.xml")
	var out, errb bytes.Buffer
	rc := run([]string{"-S", "-s", "-x", writeCIB(t, cibText), "--save-graph", graph}, &out, &errb, time.Unix(0, 0))
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	for _, want := range []string{"rsc1 allocation score on node2: 10", "Start      rsc1", "Node node1: online"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	data, err := os.ReadFile(graph)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `operation="start" resource="rsc1" on_node="node2"`) {
		t.Errorf("graph: %s", data)
	}
}

func TestErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"--normalized"}, &out, &errb, time.Now()); rc != 64 {
		t.Errorf("missing -x: rc %d", rc)
	}
	if rc := run([]string{"-x", "/nonexistent/cib.xml"}, &out, &errb, time.Now()); rc != 2 {
		t.Errorf("missing file: rc %d", rc)
	}
	if rc := run([]string{"-x", writeCIB(t, "<cib>")}, &out, &errb, time.Now()); rc != 2 {
		t.Errorf("bad XML: rc %d", rc)
	}
	if rc := run([]string{"--bogus"}, &out, &errb, time.Now()); rc != 64 {
		t.Errorf("bad flag: rc %d", rc)
	}
}
