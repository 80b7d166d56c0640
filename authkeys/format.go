package authkeys

import (
	"fmt"
	"sort"
	"strings"
)

// String shows the key as its authkeys line with the secret hidden, so a
// key printed in a log or an error gives nothing away.
func (k Key) String() string {
	if k.Secret == "" {
		return fmt.Sprintf("%d %s", k.Index, k.Method)
	}
	return fmt.Sprintf("%d %s <secret hidden>", k.Index, k.Method)
}

// String lists the keyring's keys in index order, secrets hidden, with the
// signing key marked.
func (r *Keyring) String() string {
	idx := make([]int, 0, len(r.Keys))
	for i := range r.Keys {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	parts := make([]string, len(idx))
	for j, i := range idx {
		parts[j] = r.Keys[i].String()
		if i == r.Active {
			parts[j] += " (active)"
		}
	}
	return "keyring[" + strings.Join(parts, ", ") + "]"
}
