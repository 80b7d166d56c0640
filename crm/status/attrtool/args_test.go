package attrtool

import (
	"reflect"
	"strings"
	"testing"
)

func TestJoinOptionalArg(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"--promotion", "-v", "5"}, []string{"--promotion", "-v", "5"}},
		{[]string{"-p", "drbd", "-G"}, []string{"--promotion=drbd", "-G"}},
		{[]string{"--promotion", "drbd", "-G"}, []string{"--promotion=drbd", "-G"}},
		{[]string{"--promotion=drbd", "-D"}, []string{"--promotion=drbd", "-D"}},
		{[]string{"-G", "-p"}, []string{"-G", "-p"}},
		{[]string{"-n", "x", "--", "-p", "y"}, []string{"-n", "x", "--", "-p", "y"}},
	} {
		if got := joinOptionalArg(c.in, "-p", "--promotion"); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzJoinOptionalArg: joining never loses, adds or reorders words, and
// only ever glues an option to the word after it.
func FuzzJoinOptionalArg(f *testing.F) {
	f.Add("--promotion\x00-v\x005")
	f.Add("-p\x00drbd\x00-G\x00-q")
	f.Add("-n\x00x\x00--\x00-p\x00y")
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		got := joinOptionalArg(args, "-p", "--promotion")
		i, j := 0, 0
		for i < len(args) && j < len(got) {
			switch {
			case (args[i] == "-p" || args[i] == "--promotion") && i+1 < len(args) &&
				!strings.HasPrefix(args[i+1], "-") && got[j] == "--promotion="+args[i+1]:
				i, j = i+2, j+1
			case got[j] == args[i]:
				i, j = i+1, j+1
			default:
				t.Fatalf("%q -> %q: word %d changed", args, got, i)
			}
		}
		if i != len(args) || j != len(got) {
			t.Fatalf("%q -> %q: words lost or added", args, got)
		}
	})
}
