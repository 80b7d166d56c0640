package score

import "testing"

func TestAdd(t *testing.T) {
	cases := []struct{ a, b, want Score }{
		{1, 2, 3},
		{Infinity, NegInfinity, NegInfinity},
		{NegInfinity, Infinity, NegInfinity},
		{Infinity, -5, Infinity},
		{999999, 5, Infinity},
		{-999999, -5, NegInfinity},
		{0, 0, 0},
	}
	for _, c := range cases {
		if got := Add(c.a, c.b); got != c.want {
			t.Errorf("Add(%v,%v)=%v want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Score
		ok   bool
	}{
		{"INFINITY", Infinity, true},
		{"+INFINITY", Infinity, true},
		{"-INFINITY", NegInfinity, true},
		{"-inf", 0, false},
		{"100", 100, true},
		{"-20", -20, true},
		{"5000000", Infinity, true},
		{"-99999999999999999999999", NegInfinity, true},
		{"12abc", 12, true},
		{"", 0, false},
		{"abc", 0, false},
	}
	for _, c := range cases {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q)=%v,%v want %v,%v", c.in, got, ok, c.want, c.ok)
		}
	}
	if Infinity.String() != "INFINITY" || NegInfinity.String() != "-INFINITY" || Score(7).String() != "7" {
		t.Error("String")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"INFINITY", "-INFINITY", "10", "-7x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, _ := Parse(s)
		if v > Infinity || v < NegInfinity {
			t.Fatalf("out of range: %d", v)
		}
	})
}
