package hacf

import (
	"math"
	"strconv"
	"strings"
)

// ParseMsec converts a time value the way cluster-glue's cl_get_msec does:
// a number made of digits and dots, optional blanks, then an optional unit. No unit means seconds; a unit starting with "ms" (any case)
// means milliseconds and one starting with "us" microseconds; anything else
// is invalid. The result is rounded to the nearest millisecond. ok is false
// for an invalid value or one beyond the range of a C long.
func ParseMsec(s string) (ms int64, ok bool) {
	s = strings.TrimLeft(s, timeBlanks)
	// The number is the longest run of digits and dots ("1..5" and "1.5.5"
	// are accepted, as by atof, which then reads 1 and 1.5).
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, false
	}
	num := s[:i]
	unit := strings.TrimLeft(s[i:], timeBlanks)
	mult, div := 1000.0, 1.0
	switch {
	case unit == "":
	case len(unit) >= 2 && strings.EqualFold(unit[:2], "ms"):
		mult = 1
	case len(unit) >= 2 && strings.EqualFold(unit[:2], "us"):
		mult, div = 1, 1000
	default:
		return 0, false
	}
	v := atof(num)*mult/div + 0.5
	if v >= math.MaxInt64 {
		// C's (long) conversion yields a negative number here, which every
		// time directive rejects.
		return 0, false
	}
	return int64(v), true
}

// atof reads the longest prefix of s (digits and dots) that is a decimal
// number, like C atof; no number gives 0.
func atof(s string) float64 {
	end, dot := 0, false
	for end < len(s) {
		if s[end] == '.' {
			if dot {
				break
			}
			dot = true
		}
		end++
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s[:end], "."), 64)
	if err != nil {
		return 0
	}
	return f
}

// timeBlanks are the blanks cl_get_msec skips; a vertical tab is not one
// (verified: "keepalive 2\v" is refused).
const timeBlanks = " \t\n\r\f"

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParseBool accepts the spellings of cluster-glue's cl_str_to_boolean,
// case-insensitively: true on yes y 1 / false off no n 0.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "true", "on", "yes", "y", "1":
		return true, true
	case "false", "off", "no", "n", "0":
		return false, true
	}
	return false, false
}

// Atoi behaves like glibc atoi, i.e. (int)strtol(s, NULL, 10): optional
// blanks and sign, then the leading digits; trailing junk is ignored and no
// digits give 0. strtol saturates at the 64-bit long range and the cast to
// int keeps the low 32 bits.
func Atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n uint64
	over := false
	for i := 0; i < len(s) && isDigit(s[i]); i++ {
		d := uint64(s[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			over = true
			break
		}
		n = n*10 + d
	}
	var l int64
	switch {
	case !neg && (over || n > math.MaxInt64):
		l = math.MaxInt64
	case neg && (over || n > 1<<63):
		l = math.MinInt64
	case neg:
		l = -int64(n)
	default:
		l = int64(n)
	}
	return int(int32(l))
}
