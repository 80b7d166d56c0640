package stonith

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestCodeOf(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{nil, OK},
		{ErrBadConfig, BadConfig},
		{fmt.Errorf("ctx: %w", ErrBadHost), BadHost},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", ErrResetFail)), ResetFail},
		{ErrUnexpected, Unexpected},
		{&StatusError{Status: 7, Op: "x status"}, Code(7)},
		{fmt.Errorf("wrapped: %w", &StatusError{Status: 1}), Code(1)},
		{errors.New("plain"), Oops},
	}
	for _, c := range cases {
		if got := CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if Unexpected.ExitStatus() != 255 || ResetFail.ExitStatus() != 5 {
		t.Fatal("exit status mapping")
	}
	if BadHost.String() != "S_BADHOST" || Code(42).String() != "code(42)" {
		t.Fatal("names")
	}
}

func TestParseAction(t *testing.T) {
	for _, a := range []Action{Reset, On, Off} {
		got, err := ParseAction(a.String())
		if err != nil || got != a {
			t.Fatalf("%v: %v %v", a, got, err)
		}
	}
	for _, bad := range []string{"", "Reset", "reboot", "poweroff"} {
		if _, err := ParseAction(bad); CodeOf(err) != Inval {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestParsePositional(t *testing.T) {
	cases := []struct {
		names []string
		in    string
		want  Params
		err   bool
	}{
		{[]string{"hostlist"}, "a b", Params{"hostlist": "a b"}, false},
		{[]string{"hostlist"}, "  a b  ", Params{"hostlist": "a b  "}, false},
		{[]string{"hostlist", "extra"}, "n1 x", Params{"hostlist": "n1", "extra": "x"}, false},
		{[]string{"ip", "login", "pw"}, "10.0.0.3\tme  se cret", Params{"ip": "10.0.0.3", "login": "me", "pw": "se cret"}, false},
		{[]string{"hostlist"}, "", nil, true},
		{[]string{"hostlist"}, " \t", nil, true},
		{[]string{"a", "b"}, "one", nil, true},
		{[]string{}, "anything", Params{}, false},
	}
	for _, c := range cases {
		got, err := ParsePositional(c.names, c.in)
		if (err != nil) != c.err {
			t.Fatalf("%q: err %v", c.in, err)
		}
		if err == nil && !reflect.DeepEqual(got, c.want) {
			t.Fatalf("%q: got %v want %v", c.in, got, c.want)
		}
		if err != nil && !errors.Is(err, ErrTooFewValues) {
			t.Fatalf("%q: err %v not ErrTooFewValues", c.in, err)
		}
	}
}

func TestConfigLine(t *testing.T) {
	cases := []struct {
		in   string
		want string
		err  error
	}{
		{"# comment\n\na b  c\nsecond\n", "a b  c", nil},
		{"last without newline", "last without newline", nil},
		{"#only\n\n", "", ErrNoConfigLine},
		{"", "", ErrNoConfigLine},
		{" indented # not a comment\n", " indented # not a comment", nil},
		{strings.Repeat("x", 1500) + "\n", strings.Repeat("x", 1023), nil},
	}
	for _, c := range cases {
		got, err := ConfigLine(strings.NewReader(c.in))
		if !errors.Is(err, c.err) || got != c.want {
			t.Fatalf("%.30q: got %.30q, %v", c.in, got, err)
		}
	}
	p, err := ParseConfigFile([]string{"hostlist"}, strings.NewReader("#x\nA b\n"))
	if err != nil || p["hostlist"] != "A b" {
		t.Fatal(p, err)
	}
}

func TestFromEnvAndNameValue(t *testing.T) {
	env := map[string]string{"hostlist": "a b", "other": "x"}
	p := FromEnv([]string{"hostlist", "missing"}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if !reflect.DeepEqual(p, Params{"hostlist": "a b"}) {
		t.Fatal(p)
	}
	n, v, ok := ParseNameValue("hostlist=a=b")
	if !ok || n != "hostlist" || v != "a=b" {
		t.Fatal(n, v, ok)
	}
	if _, _, ok := ParseNameValue("node"); ok {
		t.Fatal("no = accepted")
	}
}

func TestSplitHostList(t *testing.T) {
	got := SplitHostList(" A,b\tC ,, d\n")
	if !reflect.DeepEqual(got, []string{"a", "b", "c", "d"}) {
		t.Fatal(got)
	}
	if len(SplitHostList(" , ")) != 0 {
		t.Fatal("empty list")
	}
	if Lower("ÄB") != "Äb" {
		t.Fatal("Lower must only touch ASCII")
	}
}

// FuzzParsePositional checks the -p rules against a naive model: every
// value but the last is a white-space free word, the last is the rest,
// and re-joining the values reproduces the input minus separators.
func FuzzParsePositional(f *testing.F) {
	f.Add(2, "a b c")
	f.Add(1, "  x  y ")
	f.Add(3, "\t1\n2\r3 4")
	f.Fuzz(func(t *testing.T, n int, s string) {
		if n < 0 || n > 8 {
			return
		}
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("p%d", i)
		}
		p, err := ParsePositional(names, s)
		words := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(paramDelims, r) })
		if err != nil {
			if len(words) >= n {
				t.Fatalf("%q: %d words but error %v", s, len(words), err)
			}
			return
		}
		if len(words) < n {
			t.Fatalf("%q: only %d words but parsed", s, len(words))
		}
		for i := 0; i < n-1; i++ {
			if p[names[i]] != words[i] {
				t.Fatalf("%q: %s=%q want %q", s, names[i], p[names[i]], words[i])
			}
		}
		if n > 0 {
			last := p[names[n-1]]
			if !strings.HasPrefix(last, words[n-1]) || !strings.HasSuffix(s, last) {
				t.Fatalf("%q: last %q", s, last)
			}
		}
	})
}

func FuzzConfigLine(f *testing.F) {
	f.Add("# c\n\na b\n")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		line, err := ConfigLine(strings.NewReader(s))
		if err != nil {
			return
		}
		if line == "" || line[0] == '#' || strings.Contains(line, "\n") || len(line) > 1023 {
			t.Fatalf("%q -> %q", s, line)
		}
		if !strings.Contains(s, line) {
			t.Fatalf("%q not in input", line)
		}
	})
}

func FuzzSplitHostList(f *testing.F) {
	f.Add("A,b  c\t,D")
	f.Fuzz(func(t *testing.T, s string) {
		for _, h := range SplitHostList(s) {
			if h == "" || strings.ContainsAny(h, hostDelims) || h != Lower(h) {
				t.Fatalf("%q -> bad host %q", s, h)
			}
		}
	})
}
