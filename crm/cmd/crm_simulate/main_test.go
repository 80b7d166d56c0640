package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/crm/graph"
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
	rc := run([]string{"--normalized", "-x", writeCIB(t, cibText)}, &out, &errb, time.Unix(0, 0), noenv)
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	want := "node node1 online\nnode node2 online\nrsc rsc1 node2 Started\nstart rsc1 node2\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestSummaryScoresAndGraph(t *testing.T) {
	graphFile := filepath.Join(t.TempDir(), "graph.xml")
	var out, errb bytes.Buffer
	rc := run([]string{"-S", "-s", "-x", writeCIB(t, cibText), "--save-graph", graphFile}, &out, &errb, time.Unix(0, 0), noenv)
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	for _, want := range []string{"pcmk__primitive_assign: rsc1 allocation score on node2: 10\n",
		"\nStart      rsc1    ( node2 )\n", "\n[ node1 node2 ]\n", "Resource action: rsc1            start on node2\n",
		"rsc1\t(ocf:heartbeat:Dummy):\t Started node2\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	data, err := os.ReadFile(graphFile)
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("saved graph does not decode: %v", err)
	}
	var keys []string
	for _, a := range g.Actions {
		keys = append(keys, a.String())
	}
	want := []string{"rsc1_monitor_0 on node1", "rsc1_monitor_0 on node2", "rsc1_start_0 on node2"}
	for _, w := range want {
		found := false
		for _, k := range keys {
			found = found || k == w
		}
		if !found {
			t.Errorf("graph lacks %s: %v", w, keys)
		}
	}
}

func TestErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"--normalized"}, &out, &errb, time.Now(), noenv); rc != 64 {
		t.Errorf("missing -x: rc %d", rc)
	}
	if rc := run([]string{"-x", "/nonexistent/cib.xml"}, &out, &errb, time.Now(), noenv); rc != 2 {
		t.Errorf("missing file: rc %d", rc)
	}
	if rc := run([]string{"-x", writeCIB(t, "<cib>")}, &out, &errb, time.Now(), noenv); rc != 2 {
		t.Errorf("bad XML: rc %d", rc)
	}
	if rc := run([]string{"--bogus"}, &out, &errb, time.Now(), noenv); rc != 64 {
		t.Errorf("bad flag: rc %d", rc)
	}
}

func noenv(string) string { return "" }

func TestDotFile(t *testing.T) {
	dotFile := filepath.Join(t.TempDir(), "g.dot")
	var out, errb bytes.Buffer
	if rc := run([]string{"-S", "-x", writeCIB(t, cibText), "-D", dotFile}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	data, err := os.ReadFile(dotFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{" digraph \"g\" {\n", "\"rsc1_start_0 node2\" [ style=bold color=\"green\" fontcolor=\"black\"]\n",
		"\"rsc1_monitor_0 node1\" -> \"rsc1_start_0 node2\" [ style = bold]\n", "}\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("missing %q in:\n%s", want, data)
		}
	}
}

func TestWhyFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"--why", "rsc1", "-x", writeCIB(t, cibText)}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	for _, want := range []string{"* node2: score 10", "10           location l", "Decision: rsc1 runs on node2"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	if rc := run([]string{"--why", "nope", "-x", writeCIB(t, cibText)}, &out, &errb, time.Unix(0, 0), noenv); rc != exitError {
		t.Errorf("unknown resource: rc %d", rc)
	}
}

// TestExecutionDate: a CIB with execution-date is simulated at that time
// and the tool says so first and again before the revised status.
func TestExecutionDate(t *testing.T) {
	text := strings.Replace(cibText, `<cib admin_epoch="0"`, `<cib execution-date="1767225600" admin_epoch="0"`, 1)
	var out, errb bytes.Buffer
	if rc := run([]string{"-S", "-x", writeCIB(t, text)}, &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	const line = "Using the original execution date of: 2026-01-01 00:00:00Z\n"
	if !strings.HasPrefix(out.String(), line+"Current cluster status:\n") {
		t.Errorf("no leading date line:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "on node2\n"+line+"\nRevised Cluster Status:\n") {
		t.Errorf("no date line before the revised status:\n%s", out.String())
	}
}

// TestLive: -L reads the CIB named by CIB_file, and fails without one.
func TestLive(t *testing.T) {
	path := writeCIB(t, cibText)
	env := func(k string) string {
		if k == "CIB_file" {
			return path
		}
		return ""
	}
	var out, errb bytes.Buffer
	if rc := run([]string{"-L", "--normalized"}, &out, &errb, time.Unix(0, 0), env); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "start rsc1 node2\n") {
		t.Errorf("output:\n%s", out.String())
	}
	if rc := run([]string{"-L"}, &out, &errb, time.Unix(0, 0), noenv); rc != exitInvalid {
		t.Errorf("no CIB_file: rc %d", rc)
	}
}

// TestBanner: maintenance mode and disabled resources are announced
// before the status, in both layouts.
func TestBanner(t *testing.T) {
	text := strings.Replace(cibText, `<nvpair id="o1" name="stonith-enabled" value="false"/>`,
		`<nvpair id="o1" name="stonith-enabled" value="false"/><nvpair id="o2" name="maintenance-mode" value="true"/>`, 1)
	text = strings.Replace(text, `type="Dummy"/>`, `type="Dummy"><meta_attributes id="m"><nvpair id="m1" name="target-role" value="Stopped"/></meta_attributes></primitive>`, 1)
	want := "\n              *** Resource management is DISABLED ***\n  The cluster will not attempt to start, stop or recover services\n\n" +
		"1 of 1 resource instances DISABLED and 0 BLOCKED from further action due to failure\n\n"
	for _, args := range [][]string{{"-S"}, {"-s"}} {
		var out, errb bytes.Buffer
		if rc := run(append(args, "-x", writeCIB(t, text)), &out, &errb, time.Unix(0, 0), noenv); rc != 0 {
			t.Fatalf("rc %d: %s", rc, errb.String())
		}
		if !strings.HasPrefix(out.String(), want) {
			t.Errorf("%v: output starts\n%q\nwant\n%q", args, out.String()[:min(len(out.String()), len(want))], want)
		}
	}
}
