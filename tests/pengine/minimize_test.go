package pengine_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/internal/testenv"
	"hbgo/tests/pengine/gen"
)

var (
	minimizeSeed = flag.Int("pediff.minimize", 0, "TestMinimize shrinks this seed's CIB while hbgo and Pacemaker still disagree")
	minimizeOut  = flag.String("pediff.minout", "", "where TestMinimize writes the shrunk CIB (default min-SEED.xml in the temp dir)")
)

// elem is a minimal XML tree: enough to delete elements and write the
// document back.
type elem struct {
	name  string
	attrs []xml.Attr
	kids  []*elem
}

func (e *elem) attr(n string) string {
	for _, a := range e.attrs {
		if a.Name.Local == n {
			return a.Value
		}
	}
	return ""
}

func parseTree(data []byte) (*elem, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*elem
	var root *elem
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &elem{name: t.Name.Local, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func (e *elem) write(b *bytes.Buffer, depth int) {
	b.WriteString(strings.Repeat("  ", depth) + "<" + e.name)
	for _, a := range e.attrs {
		b.WriteString(" " + a.Name.Local + `="`)
		xml.EscapeText(b, []byte(a.Value))
		b.WriteString(`"`)
	}
	if len(e.kids) == 0 {
		b.WriteString("/>\n")
		return
	}
	b.WriteString(">\n")
	for _, k := range e.kids {
		k.write(b, depth+1)
	}
	b.WriteString(strings.Repeat("  ", depth) + "</" + e.name + ">\n")
}

func (e *elem) bytes() []byte {
	var b bytes.Buffer
	e.write(&b, 0)
	return b.Bytes()
}

// without returns a copy of the tree minus every element drop selects.
func (e *elem) without(drop func(*elem) bool) *elem {
	c := &elem{name: e.name, attrs: e.attrs}
	for _, k := range e.kids {
		if !drop(k) {
			c.kids = append(c.kids, k.without(drop))
		}
	}
	return c
}

func (e *elem) walk(f func(*elem)) {
	f(e)
	for _, k := range e.kids {
		k.walk(f)
	}
}

// candidate is one simplification of a CIB.
type candidate struct {
	what string
	drop func(*elem) bool
}

// candidates lists simplifications, biggest first: whole resources (with
// their constraints, history and fail counts), nodes, constraints, options.
func candidates(root *elem) []candidate {
	var out []candidate
	var resources, nodes, cons, nvs []*elem
	root.walk(func(e *elem) {
		switch e.name {
		case "resources":
			resources = append(resources, e.kids...)
		case "nodes":
			nodes = append(nodes, e.kids...)
		case "constraints":
			cons = append(cons, e.kids...)
		case "cluster_property_set", "meta_attributes":
			nvs = append(nvs, e.kids...)
		}
	})
	for _, r := range resources {
		ids := map[string]bool{r.attr("id"): true}
		r.walk(func(e *elem) {
			if e.name == "primitive" {
				ids[e.attr("id")] = true
			}
		})
		out = append(out, candidate{"resource " + r.attr("id"), func(e *elem) bool {
			switch e.name {
			case "group", "clone", "primitive":
				return ids[e.attr("id")]
			case "rsc_location", "rsc_colocation", "rsc_order":
				return ids[e.attr("rsc")] || ids[e.attr("with-rsc")] || ids[e.attr("first")] || ids[e.attr("then")]
			case "lrm_resource":
				return ids[strings.SplitN(e.attr("id"), ":", 2)[0]]
			case "nvpair":
				n := e.attr("name")
				for id := range ids {
					if strings.HasPrefix(n, "fail-count-"+id) || strings.HasPrefix(n, "last-failure-"+id) {
						return true
					}
				}
			}
			return false
		}})
	}
	for _, n := range nodes {
		id, uname := n.attr("id"), n.attr("uname")
		out = append(out, candidate{"node " + uname, func(e *elem) bool {
			return (e.name == "node" || e.name == "node_state") && e.attr("id") == id ||
				e.name == "rsc_location" && e.attr("node") == uname
		}})
	}
	for _, c := range cons {
		id := c.attr("id")
		out = append(out, candidate{"constraint " + id, func(e *elem) bool { return e.attr("id") == id && e.name == c.name }})
	}
	for _, nv := range nvs {
		id := nv.attr("id")
		out = append(out, candidate{"option " + nv.attr("name"), func(e *elem) bool { return e.name == "nvpair" && e.attr("id") == id }})
	}
	return out
}

// TestMinimize shrinks a disagreeing generated CIB to one where every
// remaining resource, node, constraint and option is needed for hbgo and
// Pacemaker to disagree. It runs crm_verify and oracle.sh for every try.
func TestMinimize(t *testing.T) {
	if *minimizeSeed == 0 {
		t.Skip("needs -pediff.minimize SEED")
	}
	verify, err := exec.LookPath("crm_verify")
	if err != nil {
		t.Skip("crm_verify not installed")
	}
	script := filepath.Join(testenv.SharedDir(t), "scheduler", "oracle.sh")
	dir := t.TempDir()
	disagree := func(data []byte) bool {
		path := filepath.Join(dir, "try.xml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if ok, _, err := gen.Verify(verify, path, dir); err != nil || !ok {
			return false
		}
		out, err := exec.Command(script, path).Output()
		if err != nil {
			return false
		}
		got, err := ours(data)
		if err != nil {
			return true
		}
		m, x := diff(canon(string(out)), got)
		return len(m)+len(x) > 0
	}
	seed := int64(*minimizeSeed)
	root, err := parseTree(gen.Generate(seed, gen.SmallSize(seed), gen.Mixed))
	if err != nil {
		t.Fatal(err)
	}
	if !disagree(root.bytes()) {
		t.Skipf("seed %d: no disagreement to minimise", seed)
	}
	for changed := true; changed; {
		changed = false
		for _, c := range candidates(root) {
			next := root.without(c.drop)
			if disagree(next.bytes()) {
				root, changed = next, true
				t.Logf("dropped %s", c.what)
			}
		}
	}
	out := *minimizeOut
	if out == "" {
		out = filepath.Join(dir, fmt.Sprintf("min-%d.xml", seed))
	}
	if err := os.WriteFile(out, root.bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script, out)
	want, _ := cmd.Output()
	got, _ := ours(root.bytes())
	m, x := diff(canon(string(want)), got)
	t.Logf("minimal CIB in %s\nexpected only: %q\ngot only:      %q", out, m, x)
}

// TestTreeRoundTrip: the minimiser's XML tree must write back a CIB that
// parses to the same scheduling result.
func TestTreeRoundTrip(t *testing.T) {
	data := gen.Generate(7, gen.SmallSize(7), gen.Mixed)
	root, err := parseTree(data)
	if err != nil {
		t.Fatal(err)
	}
	a, err1 := ours(data)
	b, err2 := ours(root.bytes())
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if m, x := diff(a, b); len(m)+len(x) > 0 {
		t.Fatalf("round trip changed the result: %q %q", m, x)
	}
	if len(candidates(root)) < 10 {
		t.Fatal("too few simplifications found")
	}
}

// FuzzParseTree: the minimiser's tree must never panic on input and must be
// stable under write-then-parse.
func FuzzParseTree(f *testing.F) {
	f.Add(gen.Generate(3, gen.Size{Nodes: 2, Resources: 4}, gen.Mixed))
	f.Add([]byte(`<cib><configuration a="&amp;&lt;"/></cib>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := parseTree(data)
		if err != nil || root == nil {
			return
		}
		once := root.bytes()
		again, err := parseTree(once)
		if err != nil {
			t.Fatalf("written tree does not parse: %v\n%s", err, once)
		}
		if !bytes.Equal(again.bytes(), once) {
			t.Fatalf("tree not stable:\n%s\n%s", once, again.bytes())
		}
	})
}
