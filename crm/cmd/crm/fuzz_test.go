package main

import (
	"slices"
	"testing"
)

// FuzzSplitWords checks that words split from a line, joined back with
// quoting, split into the same words.
func FuzzSplitWords(f *testing.F) {
	for _, s := range []string{`primitive ip IPaddr2 params ip="10.0.0.1"`, `node standby 'beta'`, `a "b c" d`, `x="unterminated`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		w, err := splitWords(line)
		if err != nil {
			return
		}
		again, err := splitWords(joinWords(w))
		if err != nil {
			t.Fatalf("joined words do not split: %v", err)
		}
		if !slices.Equal(w, again) {
			t.Fatalf("%q -> %q -> %q", line, w, again)
		}
	})
}
