package configcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestParseVerdict(t *testing.T) {
	tests := []struct {
		in      string
		want    Verdict
		wantErr bool
	}{
		{in: "ACCEPTED", want: Verdict{Accepted: true}},
		{in: "ACCEPTED\n", want: Verdict{Accepted: true}},
		{in: "REJECTED rc=6", want: Verdict{RC: 6}},
		{in: " REJECTED rc=4 \n", want: Verdict{RC: 4}},
		{in: "REJECTED rc=255", want: Verdict{RC: 255}},
		{in: "accepted", wantErr: true},
		{in: "REJECTED rc=0", wantErr: true},
		{in: "REJECTED rc=256", wantErr: true},
		{in: "REJECTED rc=06", wantErr: true},
		{in: "REJECTED rc=+6", wantErr: true},
		{in: "REJECTED rc=", wantErr: true},
		{in: "REJECTED", wantErr: true},
		{in: "UNKNOWN", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseVerdict(tt.in)
		if tt.wantErr {
			if !errors.Is(err, ErrBadVerdict) {
				t.Errorf("ParseVerdict(%q) error = %v, want ErrBadVerdict", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseVerdict(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestVerdictAgrees(t *testing.T) {
	acc := Verdict{Accepted: true}
	rej6 := Verdict{RC: 6}
	rej4 := Verdict{RC: 4}
	tests := []struct {
		v    Verdict
		ours int
		want bool
	}{
		{acc, 0, true},
		{acc, 6, false},
		{acc, 4, false},
		{acc, 1, false},
		{rej6, 6, true},
		{rej6, 0, false},
		{rej6, 4, false},
		{rej6, 1, false},
		{rej6, 2, false},
		{rej4, 4, true},
		{rej4, 6, true},
		{rej4, 0, false},
		{Verdict{RC: 1}, 6, true},
		{Verdict{RC: 1}, 1, false},
	}
	for _, tt := range tests {
		got, reason := tt.v.Agrees(tt.ours)
		if got != tt.want {
			t.Errorf("%v.Agrees(%d) = %v (%s), want %v", tt.v, tt.ours, got, reason, tt.want)
		}
		if !got && reason == "" {
			t.Errorf("%v.Agrees(%d): disagreement without a reason", tt.v, tt.ours)
		}
	}
}

func TestParseCorpusVerdicts(t *testing.T) {
	text := "# header\n\n" +
		"002-x.ha.cf\t001-x.authkeys\t-\tnode1\tREJECTED rc=6\r\n" +
		"003-y.ha.cf\t-\t004-y.haresources\tnode2\tACCEPTED\n"
	got, err := ParseCorpusVerdicts(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []CorpusSetup{
		{HaCf: "002-x.ha.cf", Authkeys: "001-x.authkeys", Host: "node1", Verdict: Verdict{RC: 6}},
		{HaCf: "003-y.ha.cf", Haresources: "004-y.haresources", Host: "node2", Verdict: Verdict{Accepted: true}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d setups, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("setup %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{
		"a.ha.cf\t-\t-\tn\n",                        // 4 fields
		"a.ha.cf\t-\t-\tn\tMAYBE\n",                 // bad verdict
		"../a.ha.cf\t-\t-\tn\tACCEPTED\n",           // path escape
		"a.ha.cf\t-\t-\t\tACCEPTED\n",               // empty host
		"a.ha.cf\t-\t-\tn\tACCEPTED\textra\n",       // 6 fields
		"a.ha.cf -\t-\t-\tn\tACCEPTED\n",            // space in a name
		"a.ha.cf\t..\t-\tn\tREJECTED rc=6\n",        // dot-dot
		"a.ha.cf\t-\t-\tn\tREJECTED rc=6 (x)\n",     // trailing text
		"a.ha.cf\t-\t-\tn\tREJECTED rc=6\nbroken\n", // second line broken
	} {
		if _, err := ParseCorpusVerdicts(bad); err == nil {
			t.Errorf("ParseCorpusVerdicts(%q) accepted a malformed line", bad)
		}
	}
}

func FuzzParseVerdict(f *testing.F) {
	for _, s := range []string{"ACCEPTED", "REJECTED rc=6", "REJECTED rc=4", "REJECTED rc=x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVerdict(s)
		if err != nil {
			return
		}
		again, err := ParseVerdict(v.String())
		if err != nil || again != v {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, v, v.String(), again, err)
		}
		if !v.Accepted && (v.RC < 1 || v.RC > 255) {
			t.Fatalf("%q gave rejected verdict with rc %d", s, v.RC)
		}
	})
}

func FuzzParseCorpusVerdicts(f *testing.F) {
	f.Add("002-x.ha.cf\t001-x.authkeys\t-\tnode1\tREJECTED rc=6\n")
	f.Add("# c\n003-y.ha.cf\t-\t004-y.haresources\tn\tACCEPTED\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		setups, err := ParseCorpusVerdicts(s)
		if err != nil {
			return
		}
		for _, c := range setups {
			for _, name := range []string{c.HaCf, c.Authkeys, c.Haresources, c.Host} {
				if strings.Contains(name, "/") || name == ".." {
					t.Fatalf("unsafe name %q accepted from %q", name, s)
				}
			}
			if c.HaCf == "" || c.Host == "" {
				t.Fatalf("empty ha.cf or host accepted from %q", s)
			}
		}
	})
}
