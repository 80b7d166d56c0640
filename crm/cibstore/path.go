package cibstore

import (
	"errors"
	"fmt"
	"strings"
)

// Path addresses one element: "/cib/configuration/resources/primitive[@id='ip1']".
// Each step is an element name, optionally with an id predicate
// [@id='x'] (double quotes are accepted too). The first step is always cib.
// This is the XPath subset the CIB's own tools use for addressing.
type Path []Step

// Step is one element of a Path.
type Step struct {
	Name string
	ID   string // "" means the first child of that name
}

// ErrBadPath means a path does not follow the grammar above.
var ErrBadPath = errors.New("bad CIB path")

// ParsePath reads a Path.
func ParsePath(s string) (Path, error) {
	if !strings.HasPrefix(s, "/") {
		return nil, fmt.Errorf("%w %q: must start with /", ErrBadPath, s)
	}
	var p Path
	rest := s[1:]
	for rest != "" {
		var st Step
		end := strings.IndexAny(rest, "/[")
		if end < 0 {
			end = len(rest)
		}
		st.Name = rest[:end]
		if st.Name == "" || strings.ContainsAny(st.Name, "]'\"@= ") {
			return nil, fmt.Errorf("%w %q: bad element name", ErrBadPath, s)
		}
		rest = rest[end:]
		if strings.HasPrefix(rest, "[") {
			close := strings.Index(rest, "]")
			if close < 0 {
				return nil, fmt.Errorf("%w %q: unclosed [", ErrBadPath, s)
			}
			pred := rest[1:close]
			if !strings.HasPrefix(pred, "@id=") || len(pred) < 6 {
				return nil, fmt.Errorf("%w %q: only [@id='...'] is supported", ErrBadPath, s)
			}
			q := pred[4]
			v := pred[5:]
			if (q != '\'' && q != '"') || !strings.HasSuffix(v, string(q)) || strings.ContainsRune(v[:len(v)-1], rune(q)) {
				return nil, fmt.Errorf("%w %q: bad id quoting", ErrBadPath, s)
			}
			st.ID = v[:len(v)-1]
			if st.ID == "" {
				return nil, fmt.Errorf("%w %q: empty id", ErrBadPath, s)
			}
			rest = rest[close+1:]
		}
		p = append(p, st)
		if rest == "" {
			break
		}
		if !strings.HasPrefix(rest, "/") {
			return nil, fmt.Errorf("%w %q: junk after step", ErrBadPath, s)
		}
		rest = rest[1:]
		if rest == "" {
			return nil, fmt.Errorf("%w %q: trailing /", ErrBadPath, s)
		}
	}
	if len(p) == 0 || p[0].Name != "cib" || p[0].ID != "" {
		return nil, fmt.Errorf("%w %q: first step must be cib", ErrBadPath, s)
	}
	return p, nil
}

// String renders the path in the form ParsePath reads. An id holding a
// single quote is rendered with double quotes.
func (p Path) String() string {
	var b strings.Builder
	for _, st := range p {
		b.WriteByte('/')
		b.WriteString(st.Name)
		if st.ID != "" {
			q := "'"
			if strings.Contains(st.ID, "'") {
				q = `"`
			}
			b.WriteString("[@id=" + q + st.ID + q + "]")
		}
	}
	return b.String()
}

// Child returns the path of child under parent path p, keyed by its id.
func (p Path) Child(n *Node) Path {
	out := append(Path(nil), p...)
	return append(out, Step{Name: n.Name, ID: n.ID()})
}

// IsStatus reports whether the path lies in the status section, whose
// changes only bump num_updates.
func (p Path) IsStatus() bool { return len(p) >= 2 && p[1].Name == SectionStatus }

// find returns the element at p in root, its parent and its index. When
// the element is absent n is nil and parent is set only if the parent
// itself exists.
func (p Path) find(root *Node) (n, parent *Node, idx int) {
	if len(p) == 0 || root.Name != p[0].Name {
		return nil, nil, -1
	}
	n = root
	idx = -1
	for i, st := range p[1:] {
		parent = n
		n, idx = nil, -1
		for i, c := range parent.Children {
			if c.Name == st.Name && (st.ID == "" || c.ID() == st.ID) {
				n, idx = c, i
				break
			}
		}
		if n == nil {
			if i < len(p)-2 {
				parent = nil // an ancestor is missing, not just the element
			}
			return nil, parent, -1
		}
	}
	return n, parent, idx
}
