package status

import (
	"sort"
	"strconv"
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
