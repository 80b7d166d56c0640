package authkeys

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"hbgo/internal/problem"
)

// wholeFile lists the messages that may come without a line number: they
// are about the file as a whole.
var wholeFile = []string{"Missing auth directive", "cannot read keyfile"}

// FuzzParseAuthkeys checks that Parse never panics, that every problem is
// placed (a line number unless it is about the whole file) and explained,
// and that an accepted keyring is consistent and survives being written
// back out and parsed again. Seeds: testdata/fuzz/FuzzParseAuthkeys.
func FuzzParseAuthkeys(f *testing.F) {
	f.Add([]byte("auth 1\n1 sha1 secret\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ring, probs := Parse(strings.NewReader(string(data)), "authkeys")
		for _, p := range probs {
			if p.File != "authkeys" || p.Msg == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			if p.Line == 0 && !hasAnyPrefix(p.Msg, wholeFile) {
				t.Fatalf("problem without a line: %v", p)
			}
			if p.Line < 0 || p.Line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("line %d out of the file: %v", p.Line, p)
			}
			if p.Severity == problem.Error && p.Hint == "" {
				t.Fatalf("error without a hint: %v", p)
			}
		}
		if (ring == nil) != (probs.Err() != nil) {
			t.Fatalf("keyring nil=%v, err=%v", ring == nil, probs.Err())
		}
		if ring == nil {
			return
		}
		if _, ok := ring.Keys[ring.Active]; !ok {
			t.Fatalf("active key %d missing from %+v", ring.Active, ring.Keys)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "auth %d\n", ring.Active)
		idx := make([]int, 0, len(ring.Keys))
		for i, k := range ring.Keys {
			if i != k.Index || i < 0 || i >= MaxKeys || !k.Method.Valid() || k.Method.NeedsKey() != (k.Secret != "") ||
				strings.ContainsAny(k.Secret, " \t\r\n\v\f\x00") {
				t.Fatalf("bad key %d: %+v", i, k)
			}
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			k := ring.Keys[i]
			fmt.Fprintf(&b, "%d %s %s\n", k.Index, k.Method, k.Secret)
		}
		again, probs2 := Parse(strings.NewReader(b.String()), "authkeys")
		if again == nil || again.Active != ring.Active || len(again.Keys) != len(ring.Keys) {
			t.Fatalf("rewritten file %q does not parse back: %v", b.String(), probs2)
		}
		for i, k := range ring.Keys {
			if g := again.Keys[i]; g.Method != k.Method || g.Secret != k.Secret {
				t.Fatalf("key %d: %+v became %+v", i, k, g)
			}
		}
	})
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
