package cibdoc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrMalformed means the input is not a well-formed XML document with one
// root element.
var ErrMalformed = errors.New("malformed XML")

// Element is one XML element of a CIB document. Text content is not kept:
// the CIB schema has none that matters.
type Element struct {
	Name     string
	Attrs    []xml.Attr
	Children []*Element
	Parent   *Element
}

// Parse reads an XML document and returns its root element.
func Parse(data []byte) (*Element, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root *Element
	var stack []*Element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &Element{Name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				e.Attrs = append(e.Attrs, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%w: more than one root element", ErrMalformed)
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				e.Parent = p
				p.Children = append(p.Children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return root, nil
}

// Attr returns the value of the named attribute, or "".
func (e *Element) Attr(name string) string {
	v, _ := e.Lookup(name)
	return v
}

// Lookup returns the named attribute and whether it is present.
func (e *Element) Lookup(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// Set sets an attribute, keeping its position when it already exists.
func (e *Element) Set(name, value string) {
	for i := range e.Attrs {
		if e.Attrs[i].Name.Local == name {
			e.Attrs[i].Value = value
			return
		}
	}
	e.Attrs = append(e.Attrs, xml.Attr{Name: xml.Name{Local: name}, Value: value})
}

// Unset removes an attribute; it reports whether it was present.
func (e *Element) Unset(name string) bool {
	for i := range e.Attrs {
		if e.Attrs[i].Name.Local == name {
			e.Attrs = append(e.Attrs[:i], e.Attrs[i+1:]...)
			return true
		}
	}
	return false
}

// Child returns the first child with the given name, or nil.
func (e *Element) Child(name string) *Element {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// All returns the children with the given name.
func (e *Element) All(name string) []*Element {
	var out []*Element
	for _, c := range e.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Ensure returns the first child with the given name, creating it (with
// the given id, when not empty) if absent.
func (e *Element) Ensure(name, id string) *Element {
	if c := e.Child(name); c != nil {
		return c
	}
	c := &Element{Name: name}
	if id != "" {
		c.Set("id", id)
	}
	e.Append(c)
	return c
}

// Append adds c as the last child of e.
func (e *Element) Append(c *Element) {
	c.Parent = e
	e.Children = append(e.Children, c)
}

// Remove detaches e from its parent; it reports whether e had one.
func (e *Element) Remove() bool {
	p := e.Parent
	if p == nil {
		return false
	}
	for i, c := range p.Children {
		if c == e {
			p.Children = append(p.Children[:i], p.Children[i+1:]...)
			e.Parent = nil
			return true
		}
	}
	return false
}

// Walk calls fn for e and every descendant in document order; fn returning
// false skips the element's children.
func (e *Element) Walk(fn func(*Element) bool) {
	if !fn(e) {
		return
	}
	for _, c := range append([]*Element(nil), e.Children...) {
		c.Walk(fn)
	}
}

// FindID returns the first element (in document order) with the given id.
func (e *Element) FindID(id string) *Element {
	var found *Element
	e.Walk(func(x *Element) bool {
		if found != nil {
			return false
		}
		if x.Attr("id") == id {
			found = x
			return false
		}
		return true
	})
	return found
}

// Clone returns a deep copy of e without a parent.
func (e *Element) Clone() *Element {
	c := &Element{Name: e.Name, Attrs: append([]xml.Attr(nil), e.Attrs...)}
	for _, ch := range e.Children {
		cc := ch.Clone()
		cc.Parent = c
		c.Children = append(c.Children, cc)
	}
	return c
}

// Path returns the element's position as /name[@id=...] steps, for messages.
func (e *Element) Path() string {
	var parts []string
	for x := e; x != nil; x = x.Parent {
		s := x.Name
		if id := x.Attr("id"); id != "" {
			s += "[@id='" + id + "']"
		}
		parts = append([]string{s}, parts...)
	}
	return "/" + strings.Join(parts, "/")
}

// String renders e as indented XML, the way Pacemaker's tools print CIB
// fragments (two spaces per level, empty elements self-closed).
func (e *Element) String() string {
	var b strings.Builder
	e.write(&b, 0)
	return b.String()
}

func (e *Element) write(b *strings.Builder, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString("<" + e.Name)
	for _, a := range e.Attrs {
		b.WriteString(" " + a.Name.Local + "=\"" + Escape(a.Value) + "\"")
	}
	if len(e.Children) == 0 {
		b.WriteString("/>\n")
		return
	}
	b.WriteString(">\n")
	for _, c := range e.Children {
		c.write(b, depth+1)
	}
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString("</" + e.Name + ">\n")
}

// Escape quotes text for use inside a double-quoted XML attribute.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		case '\t':
			b.WriteString("&#9;")
		case '\r':
			b.WriteString("&#13;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
