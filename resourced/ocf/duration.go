package ocf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrBadDuration is returned (wrapped) by ParseDuration for text that is
// not an OCF/Pacemaker time value.
var ErrBadDuration = errors.New("invalid duration")

// ParseDuration parses a meta-data time value such as "20s", "20" (bare
// numbers are seconds), "500ms", "2m", "2min", "1h" or "1.5s". Surrounding
// white space is ignored. Negative values are refused.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if num == "" {
		return 0, fmt.Errorf("%w: %q", ErrBadDuration, s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadDuration, s)
	}
	var mult time.Duration
	switch unit {
	case "", "s", "sec":
		mult = time.Second
	case "ms", "msec":
		mult = time.Millisecond
	case "us", "usec":
		mult = time.Microsecond
	case "m", "min":
		mult = time.Minute
	case "h", "hr":
		mult = time.Hour
	default:
		return 0, fmt.Errorf("%w: unit %q in %q", ErrBadDuration, unit, s)
	}
	d := v * float64(mult)
	if d > float64(1<<62) {
		return 0, fmt.Errorf("%w: %q out of range", ErrBadDuration, s)
	}
	return time.Duration(d), nil
}
