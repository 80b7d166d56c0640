package haresources

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hbgo/internal/problem"
	"hbgo/internal/testenv"
)

// g is a compact expected group: node, start line, checked name, and the
// resources' canonical tokens with their lines ("TOKEN@LINE").
type g struct {
	node    string
	line    int
	checked string
	res     []string
}

func summarize(groups []Group) []g {
	var out []g
	for _, gr := range groups {
		s := g{node: gr.Node, line: gr.Line, checked: gr.CheckedName}
		for _, r := range gr.Resources {
			s.res = append(s.res, r.Raw+"@"+itoa(r.Line))
		}
		out = append(out, s)
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestParseGroups(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []g
	}{
		{"empty", "", nil},
		{"blank and comment lines", "\n  \t\n# alpha a\n   # x\n", nil},
		{"one group, node lower-cased", "Alpha apache2 mysql\n", []g{{"alpha", 1, "Alpha", []string{"apache2@1", "mysql@1"}}}},
		{"bare IP shorthand", "alpha 10.0.0.1/24/eth0 IPaddr::10.0.0.2\n", []g{{"alpha", 1, "alpha",
			[]string{"IPaddr::10.0.0.1/24/eth0@1", "IPaddr::10.0.0.2@1"}}}},
		{"comment anywhere", "alpha a b# c d\n", []g{{"alpha", 1, "alpha", []string{"a@1", "b@1"}}}},
		{"tabs and runs of blanks", "\t alpha\t\ta  \t b\n", []g{{"alpha", 1, "alpha", []string{"a@1", "b@1"}}}},
		{"continuation", "alpha a \\\n  b \\\n c\nbeta d\n", []g{
			{"alpha", 1, "alpha", []string{"a@1", "b@2", "c@3"}}, {"beta", 4, "beta", []string{"d@4"}}}},
		{"continuation into a blank line ends it", "alpha a \\\n\nbeta b\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"beta", 3, "beta", []string{"b@3"}}}},
		{"blank after backslash: no continuation", "alpha a \\ \nbeta b\n", []g{
			{"alpha", 1, "alpha", []string{"a@1", `\@1`}}, {"beta", 2, "beta", []string{"b@2"}}}},
		{"continuation glues words", "alpha a\\\nb c\n", []g{{"alpha", 1, "alpha", []string{"ab@1", "c@2"}}}},
		{"node only", "alpha\n", []g{{"alpha", 1, "alpha", nil}}},
		{"several groups per node", "alpha a\nalpha b\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"alpha", 2, "alpha", []string{"b@2"}}}},
		// Divergences from ResourceManager, each announced by a warning.
		{"CRLF dropped", "alpha a\r\nbeta b\r\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"beta", 2, "beta", []string{"b@2"}}}},
		{"backslash before CR does not continue", "alpha a \\\r\ngamma x\r\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"gamma", 2, "gamma", []string{"x@2"}}}},
		{"comment on continuation line", "alpha a \\\n# gamma\nbeta b\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"beta", 3, "beta", []string{"b@3"}}}},
		{"commented backslash continues a continuation", "alpha a \\\n  b # c \\\nd\n", []g{
			{"alpha", 1, "alpha", []string{"a@1", "b@2", "d@3"}}}},
		{"continuation at EOF", "alpha a \\", []g{{"alpha", 1, "alpha", []string{"a@1"}}}},
		// What 3.0.6's start-up check sees differs from the groups.
		{"backslash in comment hides next line from the check", "alpha a # c \\\ngamma x\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"gamma", 2, "", []string{"x@2"}}}},
		{"glued # in node name", "alpha#c a\n", []g{{"alpha", 1, "alpha#c", nil}}},
		{"glued backslash in node name", "alpha\\\n a\n", []g{{"alpha", 1, `alpha\`, []string{"a@2"}}}},
		{"lone backslash", "\\\ngamma x\n", []g{{"gamma", 1, `\`, []string{"x@2"}}}},
		// Blanks: the check splits on CR and FF too, ResourceManager does not.
		{"form feed", "alpha\fa b\n", []g{{"alpha\fa", 1, "alpha", []string{"b@1"}}}},
		{"vertical tab", "alpha\va\n", []g{{"alpha\va", 1, "alpha\va", nil}}},
		{"mid-line CR", "alpha\ra b\n", []g{{"alpha\ra", 1, "alpha", []string{"b@1"}}}},
		// A NUL ends the line for the check; the rest is ignored.
		{"NUL", "alpha a\x00b c\nbeta\x00\\\ngamma b\n", []g{
			{"alpha", 1, "alpha", []string{"a@1"}}, {"beta", 2, "beta", nil}, {"gamma", 3, "gamma", []string{"b@3"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			groups, probs := Parse(strings.NewReader(tc.in), "haresources")
			if err := probs.Err(); err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := summarize(groups); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v\nproblems: %v", got, tc.want, probs)
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	type want struct {
		sev  problem.Severity
		line int
		msg  string
	}
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"clean", "alpha 10.0.0.1 Filesystem::/dev/sda1::/data::ext3\n", nil},
		{"CRLF warned once", "alpha a\r\nbeta b\r\n", []want{{problem.Warning, 1, "DOS line end"}}},
		{"backslash CR", "alpha a \\\r\nbeta b\n", []want{
			{problem.Warning, 1, "DOS line end"}, {problem.Warning, 1, "before a CR line end does not continue"}}},
		{"comment on continuation", "alpha a \\\n b # c\n", []want{{problem.Warning, 2, "'#' on a continuation line"}}},
		{"commented backslash", "alpha a # c \\\nbeta b\n", []want{{problem.Warning, 1, "inside a comment"}}},
		{"comment line with backslash is fine", "# c \\\nbeta b\n", nil},
		{"glue", "alpha a\\\nb\n", []want{{problem.Warning, 2, `joins "a" and "b" into one word "ab"`}}},
		{"EOF continuation", "alpha a \\\n", []want{{problem.Warning, 1, "ends with a continuation"}}},
		{"node without resources", "alpha # nothing\n", []want{{problem.Warning, 1, "node alpha has no resources"}}},
		{"duplicate key", "alpha 10.0.0.1\nbeta IPaddr::10.0.0.1 x\n", []want{
			{problem.Warning, 2, "group key IPaddr::10.0.0.1 already used by the group on line 1"}}},
		{"IPaddr argument count", "alpha IPaddr::10.0.0.1::eth0\n", []want{{problem.Warning, 1, "IPaddr takes exactly one argument"}}},
		{"bare IP with :: is IPaddr with two args", "alpha 10.0.0.1::x\n", []want{{problem.Warning, 1, "has 2"}}},
		{"bad IP", "alpha IPaddr2::10.0.0.300/24\n", []want{{problem.Warning, 1, "not an IPv4 address"}}},
		{"bad mask", "alpha 10.0.0.1/33\n", []want{{problem.Warning, 1, "bad netmask"}}},
		{"empty argument", "alpha Filesystem::/dev/x::::ext3\n", []want{{problem.Warning, 1, "empty argument"}}},
		{"slash in script name", "alpha /etc/init.d/apache2\n", []want{{problem.Warning, 1, "contains '/'"}}},
		{"no script name", "alpha ::x\n", []want{{problem.Warning, 1, "no script name"}}},
		{"control character", "alpha a\fb\n", []want{{problem.Warning, 1, `word "a\fb" contains a control character`}}},
		{"NUL warned once", "alpha a\x00b\nbeta\x00\n", []want{
			{problem.Warning, 1, "NUL byte"}, {problem.Warning, 2, "node beta has no resources"}}},
		{"stray backslash continuing into nothing", "\\\n\n", []want{{problem.Error, 1, `Bad nodename in haresources [\]`}}},
		{"over-long line", "alpha " + strings.Repeat("x", 5112) + "yz\n", []want{{problem.Error, 1, "Bad nodename in haresources [yz]"}}},
		{"long comment line", "# " + strings.Repeat("c", 5116) + "  #x\nalpha a\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := Parse(strings.NewReader(tc.in), "haresources")
			if len(probs) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tc.want), probs)
			}
			for i, w := range tc.want {
				p := probs[i]
				if p.Severity != w.sev || p.Line != w.line || !strings.Contains(p.Msg, w.msg) || p.Hint == "" {
					t.Errorf("problem %d = %v (%v line %d), want %v line %d %q", i, p, p.Severity, p.Line, w.sev, w.line, w.msg)
				}
			}
		})
	}
}

func TestIsBareIP(t *testing.T) {
	yes := []string{"1.2.3.4", "192.168.1.10/24", "10.0.0.1/24/eth0/10.0.0.255", "1.2.3.4.5", "1x.2y.3z.4", "10.0.0.1::x", "1..2.3.4"}
	no := []string{"", "a1.2.3.4", "1.2.3", "1.2.3.", "1.2.3.x", "IPaddr::1.2.3.4", "1.a.2.3", "apache2", ".1.2.3.4"}
	for _, s := range yes {
		if !IsBareIP(s) {
			t.Errorf("IsBareIP(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsBareIP(s) {
			t.Errorf("IsBareIP(%q) = true", s)
		}
	}
}

func TestParseResource(t *testing.T) {
	tests := []struct {
		in   string
		want Resource
	}{
		{"apache2", Resource{Name: "apache2", Raw: "apache2"}},
		{"drbddisk::r0", Resource{Name: "drbddisk", Args: []string{"r0"}, Raw: "drbddisk::r0"}},
		{"Filesystem::/dev/drbd0::/data::ext3::rw,noatime", Resource{Name: "Filesystem",
			Args: []string{"/dev/drbd0", "/data", "ext3", "rw,noatime"}, Raw: "Filesystem::/dev/drbd0::/data::ext3::rw,noatime"}},
		{"MailTo::a@b.c::Sub_j", Resource{Name: "MailTo", Args: []string{"a@b.c", "Sub_j"}, Raw: "MailTo::a@b.c::Sub_j"}},
		{"10.0.0.5/24", Resource{Name: "IPaddr", Args: []string{"10.0.0.5/24"}, Raw: "IPaddr::10.0.0.5/24"}},
		{"IPaddr2::10.0.0.5/24/eth0:1", Resource{Name: "IPaddr2", Args: []string{"10.0.0.5/24/eth0:1"}, Raw: "IPaddr2::10.0.0.5/24/eth0:1"}},
		{"x::a::::b::", Resource{Name: "x", Args: []string{"a", "b"}, Raw: "x::a::::b::"}},
		{"x:::b", Resource{Name: "x", Args: []string{":b"}, Raw: "x:::b"}},
	}
	for _, tc := range tests {
		if got := ParseResource(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseResource(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if k := (Group{Resources: []Resource{ParseResource("10.0.0.1"), ParseResource("x")}}).Key(); k != "IPaddr::10.0.0.1" {
		t.Errorf("Key = %q", k)
	}
	if k := (Group{}).Key(); k != "" {
		t.Errorf("empty Key = %q", k)
	}
}

func TestCheckNodes(t *testing.T) {
	in := "ALPHA a\nbeta b\ngamma c\nalpha#x d\nalpha e # f \\\ndelta g\nbeta\fx h\n"
	groups, _ := Parse(strings.NewReader(in), "haresources")
	probs := CheckNodes(groups, []string{"alpha", "Beta"}, "haresources")
	var got []string
	for _, p := range probs {
		got = append(got, p.Severity.String()+":"+itoa(p.Line)+":"+p.Msg)
	}
	want := []string{
		"error:3:Bad nodename in haresources [gamma]",
		"error:4:Bad nodename in haresources [alpha#x]",
		"warning:6:node \"delta\" is not declared in ha.cf, so no node runs this group; 3.0.6's start-up check does not see it (the line follows a '\\' ending a comment, or is blank to it)",
		"warning:7:node \"beta\\fx\" is not declared in ha.cf, so no node runs this group; 3.0.6 does not notice because its check reads the name as \"beta\"",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if !strings.Contains(probs[0].Hint, "alpha, Beta") {
		t.Errorf("hint %q should list the nodes", probs[0].Hint)
	}
	if p := CheckNodes(groups[:1], nil, "h"); len(p) != 1 || !strings.Contains(p[0].Hint, "node NAME") {
		t.Errorf("no nodes declared: %v", p)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "haresources")
	if err := os.WriteFile(p, []byte("alpha 10.0.0.1 apache2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	groups, probs := Load(p)
	if probs.Err() != nil || len(groups) != 1 || groups[0].Key() != "IPaddr::10.0.0.1" {
		t.Fatalf("Load: %+v %v", groups, probs)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	if groups, probs := Load(empty); groups != nil || len(probs) != 0 {
		t.Fatalf("empty file must be valid: %v %v", groups, probs)
	}
	groups, probs = Load(filepath.Join(dir, "missing"))
	if groups != nil || len(probs) != 1 || probs[0].Line != 0 || probs[0].Severity != problem.Error ||
		!strings.Contains(probs[0].Msg, "Cannot open resources file") || probs[0].Hint == "" {
		t.Fatalf("missing: %v", probs)
	}
	if _, probs := Load(dir); probs.Err() == nil {
		t.Fatal("a directory must be refused")
	}
}

func TestLocate(t *testing.T) {
	cfg := t.TempDir()
	initd := t.TempDir()
	other := t.TempDir()
	rd := filepath.Join(cfg, "resource.d")
	os.Mkdir(rd, 0o755)
	mk := func(dir, name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	both := mk(rd, "both", 0o755)
	mk(initd, "both", 0o755)
	onlyInit := mk(initd, "onlyinit", 0o700)
	mk(rd, "noexec", 0o644)
	initNoexec := mk(initd, "noexec", 0o755)
	os.Mkdir(filepath.Join(rd, "adir"), 0o755)
	last := mk(other, "last", 0o711)
	os.Symlink(onlyInit, filepath.Join(rd, "link"))

	tests := []struct {
		name string
		want string
	}{
		{"both", both},                      // resource.d first
		{"onlyinit", onlyInit},              // then the init directory
		{"noexec", initNoexec},              // not executable: skipped
		{"last", last},                      // init directories in order
		{"link", filepath.Join(rd, "link")}, // symbolic links followed
		{"adir", ""},                        // directories are not scripts
		{"absent", ""},
		{"../resource.d/both", ""}, // no paths
		{"", ""},
	}
	for _, tc := range tests {
		got, err := Locate(tc.name, cfg, initd, other)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("Locate(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "Cannot locate resource script") {
			t.Errorf("error %v does not wrap ErrScriptNotFound text", err)
		}
	}
	if _, err := Locate("absent", cfg); err == nil || !strings.Contains(err.Error(), DefaultInitDir) {
		t.Errorf("default init dir not searched: %v", err)
	}
}

// TestPublicCorpus parses every haresources file of the public corpus (all
// parse) and checks the node names against the sibling ha.cf: exactly the
// three setups the real daemon refused with "Bad nodename" fail.
func TestPublicCorpus(t *testing.T) {
	shared := testenv.SharedDir(t)
	dir := filepath.Join(shared, "corpus", "public")
	files, _ := filepath.Glob(filepath.Join(dir, "*.haresources"))
	if len(files) != 14 {
		t.Fatalf("found %d haresources files, want 14", len(files))
	}
	cfs, _ := filepath.Glob(filepath.Join(dir, "*.ha.cf"))
	nodesOf := map[string][]string{}
	for _, cf := range cfs {
		b, err := os.ReadFile(cf)
		if err != nil {
			t.Fatal(err)
		}
		var nodes []string
		for _, l := range strings.Split(string(b), "\n") {
			l, _, _ = strings.Cut(l, "#")
			if f := strings.Fields(l); len(f) > 1 && f[0] == "node" {
				nodes = append(nodes, f[1:]...)
			}
		}
		nodesOf[setup(cf)] = nodes
	}
	badNode := map[string]bool{}
	for _, f := range files {
		groups, probs := Load(f)
		if probs.Err() != nil {
			t.Errorf("%s: %v", filepath.Base(f), probs.Err())
		}
		nodes, ok := nodesOf[setup(f)]
		if !ok {
			t.Errorf("%s: no sibling ha.cf", filepath.Base(f))
		}
		if CheckNodes(groups, nodes, f).Err() != nil {
			badNode[setup(f)] = true
		}
	}
	want := map[string]bool{"heartbeat-vagrant": true, "vagrant-linux-ha": true, "linux-apache-ha": true}
	if !reflect.DeepEqual(badNode, want) {
		t.Errorf("setups refused for their node names: %v, real daemon: %v", badNode, want)
	}
}

// setup is the repository part of a corpus file name: 009-heartbeat-vagrant.haresources -> heartbeat-vagrant.
func setup(path string) string {
	b := filepath.Base(path)
	b = strings.TrimSuffix(strings.TrimSuffix(b, ".haresources"), ".ha.cf")
	_, name, _ := strings.Cut(b, "-")
	return name
}
