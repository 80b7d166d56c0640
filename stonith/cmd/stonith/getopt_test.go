package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestGetopt(t *testing.T) {
	opts, rest := getopt("p", optstring, []string{"-lS", "-tnull", "x=1", "-c", "3", "node", "-T", "off", "--", "-l"})
	want := []option{{Opt: 'l'}, {Opt: 'S'}, {Opt: 't', Arg: "null"}, {Opt: 'c', Arg: "3"}, {Opt: 'T', Arg: "off"}}
	if !reflect.DeepEqual(opts, want) || !reflect.DeepEqual(rest, []string{"x=1", "node", "-l"}) {
		t.Fatalf("opts %+v rest %q", opts, rest)
	}
	opts, _ = getopt("p", optstring, []string{"-xl", "-t"})
	if len(opts) != 3 || opts[0].Err != "p: invalid option -- 'x'" || opts[1].Opt != 'l' ||
		opts[2].Err != "p: option requires an argument -- 't'" {
		t.Fatalf("%+v", opts)
	}
	// An option argument may itself start with a dash.
	opts, rest = getopt("p", optstring, []string{"-p", "-l", "-", "a"})
	if len(opts) != 1 || opts[0].Arg != "-l" || !reflect.DeepEqual(rest, []string{"-", "a"}) {
		t.Fatalf("%+v %q", opts, rest)
	}
}

func TestAtoi(t *testing.T) {
	for in, want := range map[string]int{"3": 3, " 12x": 12, "x": 0, "-2": -2, "+4": 4, "": 0} {
		if got := atoi(in); got != want {
			t.Errorf("atoi(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzGetopt checks invariants of the permuting parser: every argument
// is accounted for, non-options keep their order, and arguments go only
// to options that take one.
func FuzzGetopt(f *testing.F) {
	f.Add("-t null hostlist=a -l -T reset n1")
	f.Add("-lSx -c -- -l")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		opts, rest := getopt("p", optstring, args)
		var nonopts []string
		for i, a := range args {
			if a == "--" {
				nonopts = append(nonopts, args[i+1:]...)
				break
			}
			if len(a) < 2 || a[0] != '-' {
				nonopts = append(nonopts, a)
			}
		}
		// Non-options consumed as option arguments are the only ones
		// missing from rest, and rest keeps the original order.
		j := 0
		for _, r := range rest {
			for j < len(nonopts) && nonopts[j] != r {
				j++
			}
			if j == len(nonopts) {
				t.Fatalf("%q: rest %q not a subsequence of %q", line, rest, nonopts)
			}
			j++
		}
		for _, o := range opts {
			if o.Opt == '?' {
				if o.Err == "" {
					t.Fatal("error without message")
				}
				continue
			}
			i := strings.IndexRune(optstring, o.Opt)
			takes := i >= 0 && i+1 < len(optstring) && optstring[i+1] == ':'
			if i < 0 || (!takes && o.Arg != "") {
				t.Fatalf("%q: bad option %+v", line, o)
			}
		}
	})
}

func TestEncodeEntities(t *testing.T) {
	if got := encodeEntities("a<b>&\"c\"\r é"); got != "a&lt;b&gt;&amp;\"c\"&#13; &#xE9;" {
		t.Fatal(got)
	}
}
