package main

import (
	"fmt"
	"strconv"
	"strings"

	"hbgo/crm/status/cibdoc"
)

// Patch applies a Pacemaker format-2 patchset (<diff format="2">, as
// crm_diff writes it) to root. The CIB must not be newer than the patch's
// target version, and a patch whose source is not the CIB's version does
// not apply. It returns which counter moves.
func Patch(root, diff *cibdoc.Element) (cibdoc.Change, error) {
	if diff.Name != "diff" || diff.Attr("format") != "2" {
		return 0, fmt.Errorf("%w: only format 2 patches (<diff format=\"2\">) are supported", errMalformed)
	}
	if v := diff.Child("version"); v != nil {
		src, tgt := v.Child("source"), v.Child("target")
		if tgt != nil && older(tgt, root) {
			return 0, errOld
		}
		if src != nil && (older(src, root) || older(root, src)) {
			return 0, fmt.Errorf("%w: patch applies to version %s, the CIB is at %s", errNoSuch, version(src), version(root))
		}
	}
	ch := cibdoc.StatusChange
	for _, c := range diff.All("change") {
		path := c.Attr("path")
		if strings.HasPrefix(path, "/cib/configuration") || (path == "/cib" && c.Attr("operation") != "modify") {
			ch = cibdoc.ConfigChange
		}
		target, err := resolve(root, path)
		if err != nil {
			return 0, err
		}
		switch c.Attr("operation") {
		case "delete":
			if target == root {
				return 0, fmt.Errorf("%w: cannot delete the root", errMalformed)
			}
			target.Remove()
		case "modify":
			if list := c.Child("change-list"); list != nil {
				for _, a := range list.All("change-attr") {
					switch a.Attr("operation") {
					case "set":
						target.Set(a.Attr("name"), a.Attr("value"))
					case "unset":
						target.Unset(a.Attr("name"))
					}
				}
			}
			if path == "/cib" {
				// a patch that changes the root's counters is a configuration change
				// when epoch or admin_epoch move
				if diffCounters(c) {
					ch = cibdoc.ConfigChange
				}
			}
		case "create":
			if len(c.Children) != 1 {
				return 0, fmt.Errorf("%w: create at %s needs one element", errMalformed, path)
			}
			insert(target, c.Children[0].Clone(), position(c))
		case "move":
			parent := target.Parent
			if parent == nil {
				return 0, fmt.Errorf("%w: cannot move the root", errMalformed)
			}
			target.Remove()
			insert(parent, target, position(c))
		default:
			return 0, fmt.Errorf("%w: unknown patch operation %q", errMalformed, c.Attr("operation"))
		}
	}
	return ch, nil
}

func diffCounters(c *cibdoc.Element) bool {
	list := c.Child("change-list")
	if list == nil {
		return false
	}
	for _, a := range list.All("change-attr") {
		if n := a.Attr("name"); n == "epoch" || n == "admin_epoch" {
			return true
		}
	}
	return false
}

func version(e *cibdoc.Element) string {
	return fmt.Sprintf("%d.%d.%d", atoi(e, "admin_epoch"), atoi(e, "epoch"), atoi(e, "num_updates"))
}

func position(c *cibdoc.Element) int {
	n, err := strconv.Atoi(c.Attr("position"))
	if err != nil {
		return -1
	}
	return n
}

// insert puts child at index pos among parent's children (appending when
// pos is out of range).
func insert(parent, child *cibdoc.Element, pos int) {
	child.Parent = parent
	if pos < 0 || pos >= len(parent.Children) {
		parent.Children = append(parent.Children, child)
		return
	}
	parent.Children = append(parent.Children[:pos], append([]*cibdoc.Element{child}, parent.Children[pos:]...)...)
}

// resolve finds the element an XPath of the form
// /cib/section/name[@id='x']/... names.
func resolve(root *cibdoc.Element, path string) (*cibdoc.Element, error) {
	steps, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 || steps[0].name != root.Name {
		return nil, fmt.Errorf("%w: patch path %q", errNoSuch, path)
	}
	cur := root
	for _, s := range steps[1:] {
		var next *cibdoc.Element
		for _, c := range cur.Children {
			if c.Name == s.name && (!s.hasID || c.Attr("id") == s.id) {
				next = c
				break
			}
		}
		if next == nil {
			return nil, fmt.Errorf("%w: patch path %q", errNoSuch, path)
		}
		cur = next
	}
	return cur, nil
}

type pathStep struct {
	name, id string
	hasID    bool
}

// splitPath parses /a/b[@id='x']/c; ids may contain '/'.
func splitPath(path string) ([]pathStep, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("%w: patch path %q is not absolute", errMalformed, path)
	}
	var steps []pathStep
	rest := path[1:]
	for rest != "" {
		var s pathStep
		i := strings.IndexAny(rest, "/[")
		if i < 0 {
			s.name, rest = rest, ""
			steps = append(steps, s)
			break
		}
		s.name = rest[:i]
		rest = rest[i:]
		if strings.HasPrefix(rest, "[@id=") {
			q := rest[5:]
			if q == "" || (q[0] != '\'' && q[0] != '"') {
				return nil, fmt.Errorf("%w: patch path %q", errMalformed, path)
			}
			end := strings.IndexByte(q[1:], q[0])
			if end < 0 || len(q) < end+3 || q[end+2] != ']' {
				return nil, fmt.Errorf("%w: patch path %q", errMalformed, path)
			}
			s.id, s.hasID = q[1:end+1], true
			rest = q[end+3:]
		}
		if s.name == "" {
			return nil, fmt.Errorf("%w: patch path %q", errMalformed, path)
		}
		steps = append(steps, s)
		rest = strings.TrimPrefix(rest, "/")
	}
	return steps, nil
}
