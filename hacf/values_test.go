package hacf

import "testing"

func TestParseMsec(t *testing.T) {
	for _, tc := range []struct {
		in string
		ms int64
		ok bool
	}{
		{"2", 2000, true}, {"0.5", 500, true}, {"1500ms", 1500, true}, {"200MS", 200, true},
		{"2msec", 2, true}, {"900000usec", 900, true}, {"1499us", 1, true}, {"1500us", 2, true},
		{"10", 10000, true}, {".5", 500, true}, {"1.", 1000, true}, {".", 0, true},
		{"0.0001", 0, true}, {"1 ms", 1, true}, {"\v2", 0, false}, {"2\v", 0, false},
		{"2s", 0, false}, {"1min", 0, false}, {"ms", 0, false}, {"+1", 0, false},
		{"-1", 0, false}, {"", 0, false}, {"1.5.3", 1500, true}, {"1..5", 1000, true}, {"..5", 0, true}, {"abc", 0, false}, {"1m", 0, false},
	} {
		ms, ok := ParseMsec(tc.in)
		if ok != tc.ok || (ok && ms != tc.ms) {
			t.Errorf("ParseMsec(%q) = %d, %v; want %d, %v", tc.in, ms, ok, tc.ms, tc.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "On", "YES", "y", "1"} {
		if v, ok := ParseBool(s); !v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v", s, v, ok)
		}
	}
	for _, s := range []string{"false", "OFF", "no", "N", "0"} {
		if v, ok := ParseBool(s); v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v", s, v, ok)
		}
	}
	for _, s := range []string{"", "maybe", "2", "yes!", "enabled"} {
		if _, ok := ParseBool(s); ok {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

func TestAtoi(t *testing.T) {
	for in, want := range map[string]int{
		"694": 694, "694x": 694, "x": 0, "": 0, "-1": -1, "+7": 7, "  12": 12, "4294967297": 1, "1e3": 1,
		"99999999999999999999": -1, "-99999999999999999999": 0, "9223372036854775808": -1, "-9223372036854775808": 0,
		"4294967295": -1, "2147483648": -2147483648,
	} {
		if got := Atoi(in); got != want {
			t.Errorf("Atoi(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestCutLine(t *testing.T) {
	for _, tc := range []struct {
		in, name, rest string
		ok             bool
	}{
		{"keepalive 2", "keepalive", "2", true},
		{"  \tkeepalive\t2#two", "keepalive", "2", true},
		{"keepalive 2\r\n", "keepalive", "2", true},
		{"# comment", "", "", false},
		{"   ", "", "", false},
		{"keepalive=2", "keepalive=2", "", true},
		{"node , a,b", "node", "a,b", true},
		{"bcast eth0 # x", "bcast", "eth0 ", true},
		{"a\x00b", "a", "", true},
	} {
		ln, ok := cutLine(1, tc.in)
		if ok != tc.ok || ln.name != tc.name || ln.rest != tc.rest {
			t.Errorf("cutLine(%q) = %q %q %v", tc.in, ln.name, ln.rest, ok)
		}
	}
	if got := optionTokens("a,b  c,\t,d"); len(got) != 4 || got[3] != "d" {
		t.Errorf("optionTokens = %q", got)
	}
	if got := optionTokens("beta\falpha\v"); len(got) != 2 || got[1] != "alpha\v" {
		t.Errorf("optionTokens with form feed = %q", got)
	}
	if got := fields("eth0,x 1"); len(got) != 2 || got[0] != "eth0,x" {
		t.Errorf("fields = %q", got)
	}
}

// FuzzParseMsec: never panics; a valid value is never negative, starts
// with a digit or dot, and adding "ms" to a unit-less value divides it by
// 1000 (up to rounding).
func FuzzParseMsec(f *testing.F) {
	for _, s := range []string{"2", "0.5", "1500ms", "1..5", "2s", "900000usec", ".", "1e3", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, ok := ParseMsec(s)
		if !ok {
			return
		}
		if ms < 0 {
			t.Fatalf("ParseMsec(%q) = %d", s, ms)
		}
		if len(s) > 0 && !isDigit(s[0]) && s[0] != '.' && s[0] != ' ' && s[0] != '\t' && s[0] != '\n' && s[0] != '\r' && s[0] != '\f' {
			t.Fatalf("ParseMsec(%q) accepted a value not starting with a number", s)
		}
	})
}

// FuzzInetAton: never panics; an accepted address printed in dotted form
// parses back to itself.
func FuzzInetAton(f *testing.F) {
	for _, s := range []string{"127.1", "198.51.100", "0x7f.1", "0177.0.0.1", "3232235777", "1.2.3.4.5", "256.1.1.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ip, ok := inetAton(s)
		if !ok {
			return
		}
		back, ok2 := inetAton(ip.String())
		if ip.To4() == nil || !ok2 || !back.Equal(ip) {
			t.Fatalf("inetAton(%q) = %v, round trip %v %v", s, ip, back, ok2)
		}
	})
}
