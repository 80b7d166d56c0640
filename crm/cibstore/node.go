package cibstore

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Node is one XML element of the CIB. Attribute order is kept as read so a
// document survives a round trip unchanged; character data between
// children is dropped (the CIB carries none) except for leaf text.
type Node struct {
	Name     string
	Attrs    []Attr
	Children []*Node
	Text     string // text of a leaf element, trimmed
}

// Attr is one attribute of a Node.
type Attr struct {
	Name, Value string
}

// ErrNotCIB means the XML parsed but is not a CIB (no <cib> root).
var ErrNotCIB = errors.New("not a CIB document")

// MaxDepth bounds element nesting when parsing, so a hostile document cannot
// exhaust the stack.
const MaxDepth = 64

// Attr returns the value of attribute name and whether it is present.
func (n *Node) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// ID returns the id attribute, "" when absent.
func (n *Node) ID() string {
	v, _ := n.Attr("id")
	return v
}

// SetAttr sets attribute name, keeping its position when it exists.
func (n *Node) SetAttr(name, value string) {
	for i := range n.Attrs {
		if n.Attrs[i].Name == name {
			n.Attrs[i].Value = value
			return
		}
	}
	n.Attrs = append(n.Attrs, Attr{name, value})
}

// Child returns the first child element named name with the given id (id
// "" matches any child of that name), or nil.
func (n *Node) Child(name, id string) *Node {
	for _, c := range n.Children {
		if c.Name == name && (id == "" || c.ID() == id) {
			return c
		}
	}
	return nil
}

// Clone returns a deep copy.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := &Node{Name: n.Name, Text: n.Text, Attrs: append([]Attr(nil), n.Attrs...)}
	if len(n.Children) > 0 {
		c.Children = make([]*Node, len(n.Children))
		for i, ch := range n.Children {
			c.Children[i] = ch.Clone()
		}
	}
	return c
}

// Equal reports whether both trees are identical, attribute order included.
func (n *Node) Equal(o *Node) bool {
	if n == nil || o == nil {
		return n == o
	}
	if n.Name != o.Name || n.Text != o.Text || len(n.Attrs) != len(o.Attrs) || len(n.Children) != len(o.Children) {
		return false
	}
	for i := range n.Attrs {
		if n.Attrs[i] != o.Attrs[i] {
			return false
		}
	}
	for i := range n.Children {
		if !n.Children[i].Equal(o.Children[i]) {
			return false
		}
	}
	return true
}

// ParseNode reads one XML element (the first one in r) into a tree.
func ParseNode(r io.Reader) (*Node, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var stack []*Node
	var root *Node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if root == nil {
				return nil, fmt.Errorf("xml: %w", io.ErrUnexpectedEOF)
			}
			return root, nil
		}
		if err != nil {
			return nil, fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("xml: more than one root element")
			}
			if len(stack) >= MaxDepth {
				return nil, fmt.Errorf("xml: nesting deeper than %d", MaxDepth)
			}
			n := &Node{Name: qname(t.Name)}
			for _, a := range t.Attr {
				n.Attrs = append(n.Attrs, Attr{qname(a.Name), a.Value})
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if len(n.Children) > 0 {
				n.Text = ""
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += strings.TrimSpace(string(t))
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, errors.New("xml: text outside the root element")
			}
		}
	}
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// Marshal renders the tree as indented XML (two spaces per level), the
// canonical form written to disk and sent to peers.
func (n *Node) Marshal() []byte {
	var b bytes.Buffer
	n.write(&b, 0)
	return b.Bytes()
}

func (n *Node) write(b *bytes.Buffer, depth int) {
	for range depth {
		b.WriteString("  ")
	}
	b.WriteByte('<')
	b.WriteString(n.Name)
	for _, a := range n.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Name)
		b.WriteString(`="`)
		xml.EscapeText(b, []byte(a.Value)) //nolint:errcheck // bytes.Buffer does not fail
		b.WriteByte('"')
	}
	switch {
	case len(n.Children) > 0:
		b.WriteString(">\n")
		for _, c := range n.Children {
			c.write(b, depth+1)
		}
		for range depth {
			b.WriteString("  ")
		}
		b.WriteString("</" + n.Name + ">\n")
	case n.Text != "":
		b.WriteByte('>')
		xml.EscapeText(b, []byte(n.Text)) //nolint:errcheck
		b.WriteString("</" + n.Name + ">\n")
	default:
		b.WriteString("/>\n")
	}
}
