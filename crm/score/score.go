package score

import (
	"strconv"
	"strings"
)

// Score is a placement preference. It always lies in [-Infinity, Infinity].
type Score int

const (
	// Infinity is the largest score; a preference that must be honoured.
	Infinity Score = 1000000
	// NegInfinity is the smallest score; a ban.
	NegInfinity Score = -Infinity
)

// Clamp brings an arbitrary integer into the score range.
func Clamp(v int64) Score {
	if v >= int64(Infinity) {
		return Infinity
	}
	if v <= int64(NegInfinity) {
		return NegInfinity
	}
	return Score(v)
}

// Add combines two scores: -INFINITY wins over everything, then +INFINITY,
// otherwise the clamped sum.
func Add(a, b Score) Score {
	if a <= NegInfinity || b <= NegInfinity {
		return NegInfinity
	}
	if a >= Infinity || b >= Infinity {
		return Infinity
	}
	return Clamp(int64(a) + int64(b))
}

// Parse reads a score the way the CIB writes it: INFINITY, +INFINITY,
// -INFINITY or a decimal integer (leading digits are used, as Pacemaker's
// strtoll-based parser does). ok is false when no number could be read, in
// which case the score is 0.
func Parse(s string) (v Score, ok bool) {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "INFINITY", "+INFINITY":
		return Infinity, true
	case "-INFINITY":
		return NegInfinity, true
	case "RED", "YELLOW", "GREEN":
		// Node-health colours; the default health strategy ignores them.
		return 0, true
	}
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil {
		// Out of int64 range: saturate in the sign's direction.
		if s[0] == '-' {
			return NegInfinity, true
		}
		return Infinity, true
	}
	return Clamp(n), true
}

// MustParse is Parse that ignores validity (invalid text gives 0).
func MustParse(s string) Score {
	v, _ := Parse(s)
	return v
}

// String renders the score as Pacemaker prints it.
func (s Score) String() string {
	switch {
	case s >= Infinity:
		return "INFINITY"
	case s <= NegInfinity:
		return "-INFINITY"
	}
	return strconv.Itoa(int(s))
}
