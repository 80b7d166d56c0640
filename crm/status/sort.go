package status

import (
	"sort"
	"strconv"
	"strings"
)

func sortStrings(s []string) { sort.Strings(s) }

// sortInstances orders unique clone instances by their number.
func sortInstances(rs []*Resource) {
	num := func(r *Resource) int {
		_, n := baseID(r.ID)
		i, _ := strconv.Atoi(n)
		return i
	}
	sort.SliceStable(rs, func(i, j int) bool { return num(rs[i]) < num(rs[j]) })
}

// naturalLess orders node names the way Pacemaker lists them: case
// insensitively, with runs of digits compared by value.
func naturalLess(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
