package cibstore

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Doc is a CIB document: a <cib> root holding <configuration> and <status>.
// A Doc is treated as immutable once built: changes produce a new Doc.
type Doc struct {
	root *Node
}

// Section names under the root.
const (
	SectionConfiguration = "configuration"
	SectionStatus        = "status"
)

// Empty returns the CIB a node starts with when it has none on disk:
// version 0.0.0, an empty configuration (crm_config, nodes, resources,
// constraints) and an empty status.
func Empty() *Doc {
	root := &Node{Name: "cib", Attrs: []Attr{{AttrAdminEpoch, "0"}, {AttrEpoch, "0"}, {AttrNumUpdates, "0"}},
		Children: []*Node{
			{Name: SectionConfiguration, Children: []*Node{
				{Name: "crm_config"}, {Name: "nodes"}, {Name: "resources"}, {Name: "constraints"},
			}},
			{Name: SectionStatus},
		}}
	return &Doc{root: root}
}

// Parse reads a CIB document. Missing version attributes read as 0, as
// Heartbeat 2.x did for hand-made files (haresources2cib writes them).
func Parse(b []byte) (*Doc, error) {
	root, err := ParseNode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if root.Name != "cib" {
		return nil, fmt.Errorf("%w: root element is <%s>", ErrNotCIB, root.Name)
	}
	for _, a := range []string{AttrAdminEpoch, AttrEpoch, AttrNumUpdates} {
		if v, ok := root.Attr(a); ok {
			if _, err := strconv.ParseUint(v, 10, 64); err != nil {
				return nil, fmt.Errorf("cib %s=%q: %w", a, v, err)
			}
		}
	}
	return &Doc{root: root}, nil
}

// FromNode wraps a <cib> tree (copied) as a Doc.
func FromNode(n *Node) (*Doc, error) {
	if n == nil || n.Name != "cib" {
		return nil, ErrNotCIB
	}
	return Parse(n.Marshal())
}

// Root returns a copy of the document tree.
func (d *Doc) Root() *Node { return d.root.Clone() }

// Version reads the version attributes (absent ones are 0).
func (d *Doc) Version() Version {
	get := func(a string) uint64 {
		v, _ := d.root.Attr(a)
		n, _ := strconv.ParseUint(v, 10, 64)
		return n
	}
	return Version{get(AttrAdminEpoch), get(AttrEpoch), get(AttrNumUpdates)}
}

// WithVersion returns a copy of d carrying version v.
func (d *Doc) WithVersion(v Version) *Doc {
	r := d.root.Clone()
	setVersion(r, v)
	return &Doc{root: r}
}

func setVersion(r *Node, v Version) {
	r.SetAttr(AttrAdminEpoch, strconv.FormatUint(v.AdminEpoch, 10))
	r.SetAttr(AttrEpoch, strconv.FormatUint(v.Epoch, 10))
	r.SetAttr(AttrNumUpdates, strconv.FormatUint(v.NumUpdates, 10))
}

// Bytes returns the canonical XML form.
func (d *Doc) Bytes() []byte { return d.root.Marshal() }

// Digest is the md5 hex of the canonical form: the content of cib.xml.sig
// and the fingerprint nodes compare on join to detect equal versions with
// different content.
func (d *Doc) Digest() string { return Digest(d.Bytes()) }

// Digest returns the md5 hex of b.
func Digest(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// Equal reports whether both documents have identical trees.
func (d *Doc) Equal(o *Doc) bool { return d.root.Equal(o.root) }

// Validator checks a candidate document before a change is accepted. The
// controller passes the policy engine's schema/semantic check here; nil
// accepts everything.
type Validator func(*Doc) error

// ForDisk returns the copy to persist: the same document with an empty
// <status> section. The status (node states, operation history) is live
// data rebuilt after a restart by the DC's probes, never configuration,
// as in Heartbeat 2.x; the version counters are kept.
func (d *Doc) ForDisk() *Doc {
	r := d.root.Clone()
	for i, c := range r.Children {
		if c.Name == SectionStatus {
			r.Children[i] = &Node{Name: SectionStatus}
		}
	}
	return &Doc{root: r}
}
