package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// monXML is the part of crm_mon's XML the comparison looks at.
type monXML struct {
	DC struct {
		Present    string `xml:"present,attr"`
		Name       string `xml:"name,attr"`
		WithQuorum string `xml:"with_quorum,attr"`
	} `xml:"summary>current_dc"`
	Configured struct {
		Number   string `xml:"number,attr"`
		Disabled string `xml:"disabled,attr"`
		Blocked  string `xml:"blocked,attr"`
	} `xml:"summary>resources_configured"`
	Nodes []struct {
		Name        string `xml:"name,attr"`
		Online      string `xml:"online,attr"`
		Standby     string `xml:"standby,attr"`
		Maintenance string `xml:"maintenance,attr"`
		Pending     string `xml:"pending,attr"`
		Unclean     string `xml:"unclean,attr"`
		IsDC        string `xml:"is_dc,attr"`
		Running     string `xml:"resources_running,attr"`
	} `xml:"nodes>node"`
	Resources xmlRsc `xml:"resources"`
	Failures  []struct {
		OpKey  string `xml:"op_key,attr"`
		ID     string `xml:"id,attr"`
		Node   string `xml:"node,attr"`
		Code   string `xml:"exitcode,attr"`
		Status string `xml:"status,attr"`
	} `xml:"failures>failure"`
}

type xmlRsc struct {
	XMLName  xml.Name
	ID       string `xml:"id,attr"`
	Role     string `xml:"role,attr"`
	Failed   string `xml:"failed,attr"`
	Blocked  string `xml:"blocked,attr"`
	Managed  string `xml:"managed,attr"`
	Orphaned string `xml:"orphaned,attr"`
	NodeEls  []struct {
		Name string `xml:"name,attr"`
	} `xml:"node"`
	Children []xmlRsc `xml:",any"`
}

// facts flattens a crm_mon XML document into sorted lines.
func facts(t *testing.T, data []byte) []string {
	t.Helper()
	var m monXML
	if err := xml.Unmarshal(data, &m); err != nil {
		t.Fatalf("parse crm_mon XML: %v\n%s", err, data)
	}
	var out []string
	out = append(out, fmt.Sprintf("dc %s %s quorum=%s", m.DC.Present, m.DC.Name, m.DC.WithQuorum))
	out = append(out, fmt.Sprintf("configured %s disabled=%s blocked=%s", m.Configured.Number, m.Configured.Disabled, m.Configured.Blocked))
	for _, n := range m.Nodes {
		out = append(out, fmt.Sprintf("node %s online=%s standby=%s maintenance=%s pending=%s unclean=%s dc=%s running=%s",
			n.Name, n.Online, n.Standby, n.Maintenance, n.Pending, n.Unclean, n.IsDC, n.Running))
	}
	var walk func(r xmlRsc, path string)
	walk = func(r xmlRsc, path string) {
		if r.XMLName.Local == "resource" {
			var ns []string
			for _, n := range r.NodeEls {
				ns = append(ns, n.Name)
			}
			sort.Strings(ns)
			out = append(out, fmt.Sprintf("rsc %s%s %s [%s] failed=%s blocked=%s managed=%s orphaned=%s",
				path, r.ID, r.Role, strings.Join(ns, " "), r.Failed, r.Blocked, r.Managed, r.Orphaned))
			return
		}
		p := path
		if r.XMLName.Local == "clone" || r.XMLName.Local == "group" {
			id := r.ID
			if i := strings.LastIndexByte(id, ':'); i >= 0 && r.XMLName.Local == "group" {
				id = id[:i] // anonymous cloned-group numbering is not a fact
			}
			p += id + "/"
		}
		for _, c := range r.Children {
			walk(c, p)
		}
	}
	walk(m.Resources, "")
	for _, f := range m.Failures {
		out = append(out, fmt.Sprintf("failure %s %s rc=%s status=%s", f.OpKey+f.ID, f.Node, f.Code, f.Status))
	}
	sort.Strings(out)
	return out
}

func diffLines(a, b []string) string {
	count := map[string]int{}
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		count[l]--
	}
	var d []string
	for l, n := range count {
		switch {
		case n > 0:
			d = append(d, "- "+l)
		case n < 0:
			d = append(d, "+ "+l)
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}

// TestCompareCorpus runs the real crm_mon and ours on the scheduler corpus
// and compares the facts both report. HBGO_CRMMON_ALL=1 runs every case.
func TestCompareCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison skipped in -short mode")
	}
	shared := testenv.SharedDir(t)
	real := testenv.RequireProgram(t, "/usr/sbin/crm_mon")
	cases, _ := filepath.Glob(filepath.Join(shared, "scheduler/cases/*/input.xml"))
	if len(cases) == 0 {
		t.Skip("no scheduler corpus")
	}
	step := 7
	if os.Getenv("HBGO_CRMMON_ALL") != "" {
		step = 1
	}
	known := knownDifferences(t)
	mismatches := 0
	for i := 0; i < len(cases); i += step {
		path := cases[i]
		name := filepath.Base(filepath.Dir(path))
		cmd := exec.Command(real, "--output-as=xml", "-r")
		cmd.Env = append(os.Environ(), "CIB_file="+path)
		want, err := cmd.Output()
		if err != nil {
			t.Logf("%s: real crm_mon failed (%v); skipped", name, err)
			continue
		}
		var got, errb bytes.Buffer
		rc := run([]string{"--output-as=xml", "-r"}, func(k string) string {
			if k == "CIB_file" {
				return path
			}
			return ""
		}, &got, &errb, time.Now())
		if rc != 0 {
			t.Errorf("%s: exit %d: %s", name, rc, errb.String())
			continue
		}
		d := diffLines(facts(t, want), facts(t, got.Bytes()))
		if d == "" && known[name] {
			t.Logf("%s: listed in testdata/known-differences.txt but matches now", name)
		}
		if d != "" {
			if known[name] {
				t.Logf("%s: known difference:\n%s", name, d)
				continue
			}
			mismatches++
			t.Errorf("%s: facts differ (- real, + ours):\n%s", name, d)
		}
	}
}

// knownDifferences lists cases whose differences are documented in
// testdata/known-differences.txt (one case name per line, # comments).
func knownDifferences(t *testing.T) map[string]bool {
	data, err := os.ReadFile("testdata/known-differences.txt")
	if err != nil {
		return nil
	}
	m := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m[strings.Fields(l)[0]] = true
	}
	return m
}
