package hacf

import (
	"strconv"
	"strings"
)

// ParseMsec converts a time value the way cluster-glue's cl_get_msec does:
// a decimal number (optionally fractional), optional blanks, then an
// optional unit. No unit means seconds; a unit starting with "ms" (any case)
// means milliseconds and one starting with "us" microseconds; anything else
// is invalid. The result is rounded to the nearest millisecond. ok is false
// for an invalid value.
func ParseMsec(s string) (ms int64, ok bool) {
	s = strings.TrimLeft(s, " \t")
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	num := s[:i]
	if num == "" {
		return 0, false
	}
	unit := strings.TrimLeft(s[i:], " \t")
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
	var v float64
	if num != "." {
		f, err := strconv.ParseFloat(strings.TrimSuffix(num, "."), 64)
		if err != nil {
			return 0, false
		}
		v = f
	}
	return int64(v*mult/div + 0.5), true
}

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

// Atoi behaves like C atoi: optional blanks and sign, then the leading
// digits; trailing junk is ignored and no digits give 0. Values beyond the
// C int range wrap like a 32-bit int.
func Atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n int64
	for i := 0; i < len(s) && isDigit(s[i]); i++ {
		n = n*10 + int64(s[i]-'0')
		if n > 1<<40 { // keep going without overflow; result is wrapped below
			n %= 1 << 32
		}
	}
	if neg {
		n = -n
	}
	return int(int32(n))
}
