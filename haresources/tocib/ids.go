package tocib

import (
	"strconv"
	"strings"
)

// idSet hands out XML ids that are legal (xsd:ID: a letter or '_' first,
// then letters, digits, '.', '-', '_') and unique in the document.
type idSet struct{ used map[string]bool }

func newIDSet() *idSet { return &idSet{used: map[string]bool{}} }

// reserve marks an id as taken (node names).
func (s *idSet) reserve(id string) { s.used[id] = true }

// unique sanitizes base and, when taken, appends -2, -3, ...
func (s *idSet) unique(base string) string {
	id := sanitizeID(base)
	if !s.used[id] {
		s.used[id] = true
		return id
	}
	for n := 2; ; n++ {
		cand := id + "-" + strconv.Itoa(n)
		if !s.used[cand] {
			s.used[cand] = true
			return cand
		}
	}
}

// sanitizeID turns any text into an xsd:ID: runs of other characters
// become one '_'; an id not starting with a letter or '_' gets an "r_"
// prefix; an empty result is "r". sanitizeID(sanitizeID(s)) ==
// sanitizeID(s).
func sanitizeID(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		ok := r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		if !ok {
			if !under {
				b.WriteByte('_')
				under = true
			}
			continue
		}
		b.WriteRune(r)
		under = r == '_'
	}
	id := strings.TrimRight(b.String(), "_")
	if id == "" {
		return "r"
	}
	if c := id[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		id = "r_" + id
	}
	return id
}
