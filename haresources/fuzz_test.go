package haresources

import (
	"strings"
	"testing"
)

// FuzzParseHaresources checks that Parse and CheckNodes never panic, that
// every problem has a line and a hint, and that the groups are well formed:
// nodes lower-case without blanks (space, tab) or '#', lines increasing and inside the
// file, resources without blanks or '#', keys canonical. Seeds:
// testdata/fuzz/FuzzParseHaresources.
func FuzzParseHaresources(f *testing.F) {
	f.Add([]byte("alpha 10.0.0.1/24/eth0 Filesystem::/dev/sda1::/data::ext3 \\\n  apache2 # web\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := string(data)
		groups, probs := Parse(strings.NewReader(in), "haresources")
		probs = append(probs, CheckNodes(groups, []string{"alpha", "beta"}, "haresources")...)
		lines := strings.Count(in, "\n") + 1
		for _, p := range probs {
			if p.File != "haresources" || p.Msg == "" || p.Hint == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem outside the file (%d lines): %v", lines, p)
			}
		}
		prev := 0
		for _, g := range groups {
			if g.Line <= prev || g.Line > lines {
				t.Fatalf("group line %d after %d (file has %d lines)", g.Line, prev, lines)
			}
			prev = g.Line
			if g.Node == "" || g.Node != asciiLower(g.Node) || strings.ContainsAny(g.Node, " \t\n#") {
				t.Fatalf("bad node %q", g.Node)
			}
			if g.CheckedName != "" && strings.ContainsAny(g.CheckedName, " \t\r\n\f") {
				t.Fatalf("bad checked name %q", g.CheckedName)
			}
			for _, r := range g.Resources {
				if r.Raw == "" || strings.ContainsAny(r.Raw, " \t\n#") || r.Line < g.Line || r.Line > lines {
					t.Fatalf("bad resource %+v in group at line %d", r, g.Line)
				}
				if again := ParseResource(r.Raw); again.Raw != r.Raw || again.Name != r.Name {
					t.Fatalf("resource %+v is not canonical: %+v", r, again)
				}
				if r.Name == "IPaddr" && len(r.Args) == 1 {
					if a, err := ParseIPaddrArg(r.Args[0]); err == nil {
						if b, err := ParseIPaddrArg(a.String()); err != nil || b.IP != a.IP || b.CIDR != a.CIDR ||
							b.Iface != a.Iface || b.Label != a.Label || b.Broadcast != a.Broadcast {
							t.Fatalf("IPaddr %q -> %q does not round-trip: %v", r.Args[0], a.String(), err)
						}
					}
				}
			}
		}
	})
}
