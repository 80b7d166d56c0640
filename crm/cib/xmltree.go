package cib

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// element is a generic XML element: the CIB is parsed into this tree first
// and then converted, which keeps unknown elements and attribute spellings
// easy to tolerate.
type element struct {
	name     string
	attrs    []xml.Attr
	children []*element
	line     int
}

// attr returns the value of the named attribute, or "".
func (e *element) attr(name string) string {
	v, _ := e.lookup(name)
	return v
}

// lookup returns the named attribute and whether it is present.
func (e *element) lookup(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element with the given name.
func (e *element) child(name string) *element {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// all returns the child elements with the given name, in document order.
func (e *element) all(name string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// ErrMalformedXML means the document is not well-formed XML.
var ErrMalformedXML = errors.New("malformed XML")

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 256

// parseTree reads a whole XML document into an element tree.
func parseTree(r io.Reader) (*element, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var stack []*element
	var root *element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformedXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := dec.InputPos()
			el := &element{name: t.Name.Local, attrs: append([]xml.Attr(nil), t.Attr...), line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%w: more than one root element", ErrMalformedXML)
				}
				root = el
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, el)
			}
			stack = append(stack, el)
			if len(stack) > maxDepth {
				return nil, fmt.Errorf("%w: nesting deeper than %d", ErrMalformedXML, maxDepth)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && strings.TrimSpace(string(t)) != "" {
				return nil, fmt.Errorf("%w: text outside the root element", ErrMalformedXML)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: empty document", ErrMalformedXML)
	}
	return root, nil
}
