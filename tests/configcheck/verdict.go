package configcheck

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Exit statuses of the config check, shared by 3.0.6 and our contract.
const (
	// ExitAccepted means the daemon would start.
	ExitAccepted = 0
	// ExitPermission is LSB "insufficient privilege": 3.0.6 returns it when
	// the configuration error was a permission problem (EPERM/EACCES).
	ExitPermission = 4
	// ExitNotConfigured is LSB "not configured": any other config error.
	ExitNotConfigured = 6
)

// ErrBadVerdict is returned (wrapped) for a verdict line that is neither
// "ACCEPTED" nor "REJECTED rc=N".
var ErrBadVerdict = errors.New("bad verdict")

// Verdict is the real daemon's answer on one configuration.
type Verdict struct {
	// Accepted is true when the daemon validated the config and kept running.
	Accepted bool
	// RC is the daemon's exit status when it refused (0 when Accepted).
	RC int
}

// String gives the verdict in the form record.sh writes.
func (v Verdict) String() string {
	if v.Accepted {
		return "ACCEPTED"
	}
	return fmt.Sprintf("REJECTED rc=%d", v.RC)
}

// ParseVerdict reads a verdict as record.sh writes it: "ACCEPTED" or
// "REJECTED rc=N" with N in 1..255, surrounding whitespace ignored.
func ParseVerdict(s string) (Verdict, error) {
	s = strings.TrimSpace(s)
	if s == "ACCEPTED" {
		return Verdict{Accepted: true}, nil
	}
	num, ok := strings.CutPrefix(s, "REJECTED rc=")
	if !ok {
		return Verdict{}, fmt.Errorf("%w: %q", ErrBadVerdict, s)
	}
	rc, err := strconv.Atoi(num)
	if err != nil || rc < 1 || rc > 255 || strconv.Itoa(rc) != num {
		return Verdict{}, fmt.Errorf("%w: exit status in %q", ErrBadVerdict, s)
	}
	return Verdict{RC: rc}, nil
}

// Agrees reports whether our checker's exit status ours matches the real
// verdict v under our contract: accepted = 0; refused = 6, or 4 only where
// the real daemon also returned 4. The reason says what disagrees.
func (v Verdict) Agrees(ours int) (ok bool, reason string) {
	switch {
	case v.Accepted && ours == ExitAccepted:
		return true, ""
	case v.Accepted:
		return false, fmt.Sprintf("real daemon accepts, ours refused with exit %d", ours)
	case ours == ExitAccepted:
		return false, fmt.Sprintf("real daemon refuses (rc=%d), ours accepts", v.RC)
	case ours == ExitNotConfigured:
		return true, ""
	case ours == ExitPermission && v.RC == ExitPermission:
		return true, ""
	default:
		return false, fmt.Sprintf("both refuse, but our exit %d is outside the contract (6, or 4 when the real rc is 4; real rc=%d)", ours, v.RC)
	}
}

// CorpusSetup is one line of testdata/corpus-verdicts.txt: a public ha.cf
// with the sibling files it was checked with and the real verdict.
type CorpusSetup struct {
	HaCf        string // file name under corpus/public
	Authkeys    string // file name, or "" when the setup has none
	Haresources string // file name, or "" when the setup has none
	Host        string // node name the daemon ran as
	Verdict     Verdict
}

// ParseCorpusVerdicts reads corpus-verdicts.txt: tab-separated
// "ha.cf authkeys haresources host verdict" lines, "-" for an absent file,
// '#' comment lines and blank lines ignored.
func ParseCorpusVerdicts(text string) ([]CorpusSetup, error) {
	var out []CorpusSetup
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("corpus-verdicts.txt:%d: want 5 tab-separated fields, got %d", i+1, len(f))
		}
		for j, v := range f[:4] {
			if v == "" || strings.ContainsAny(v, "/ ") || v == "." || v == ".." {
				return nil, fmt.Errorf("corpus-verdicts.txt:%d: field %d: bad file or host name %q", i+1, j+1, v)
			}
		}
		v, err := ParseVerdict(f[4])
		if err != nil {
			return nil, fmt.Errorf("corpus-verdicts.txt:%d: %w", i+1, err)
		}
		out = append(out, CorpusSetup{
			HaCf: f[0], Authkeys: dash(f[1]), Haresources: dash(f[2]), Host: f[3], Verdict: v,
		})
	}
	return out, nil
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
