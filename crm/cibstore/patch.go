package cibstore

import (
	"bytes"
	"errors"
	"fmt"
)

// OpKind is the kind of a patch operation. The names are part of the
// replication protocol: only append.
type OpKind string

// Operation kinds.
const (
	// OpReplace puts Node at Path: the element there is replaced, or, when
	// absent, Node is appended to the parent (which must exist). Node's
	// name and id must match the last step of Path. Idempotent.
	OpReplace OpKind = "replace"
	// OpDelete removes the element at Path; an absent element is not an
	// error, so a resent request does no harm. Idempotent.
	OpDelete OpKind = "delete"
	// OpAttrs replaces the attribute list of the element at Path, keeping
	// its children. On /cib the version attributes keep their values (the
	// patch's versions rule), placed where Node lists them. Idempotent.
	OpAttrs OpKind = "attrs"
)

// Op is one change to a CIB document.
type Op struct {
	Kind OpKind
	Path Path
	Node *Node // OpReplace: the new element; OpAttrs: carries the attributes
}

// Patch is a replicated change: the ops that turn version From into To.
type Patch struct {
	From, To Version
	Ops      []Op
}

// Errors of applying changes.
var (
	// ErrVersionMismatch means a patch's From is not the receiver's
	// version; the receiver must ask the DC for a full copy.
	ErrVersionMismatch = errors.New("patch does not apply to this CIB version")
	// ErrBadOp means an operation cannot be applied (bad path, missing
	// parent, name/id mismatch, attempt to replace the root).
	ErrBadOp = errors.New("bad CIB operation")
	// ErrInvalid wraps the validator's refusal.
	ErrInvalid = errors.New("CIB change refused by validation")
	// ErrNoChange means the ops left the document as it was; no version is
	// consumed.
	ErrNoChange = errors.New("CIB change has no effect")
)

// Apply applies a requested change to d: the ops, then the version bump
// (any op outside <status> is a configuration change: epoch+1,
// num_updates=0; otherwise num_updates+1), then validate (nil accepts).
// It returns the new document and the patch that replicates the change.
// d is not modified.
func Apply(d *Doc, ops []Op, validate Validator) (*Doc, Patch, error) {
	if len(ops) == 0 {
		return nil, Patch{}, ErrNoChange
	}
	root := d.root.Clone()
	config := false
	for i, op := range ops {
		if err := applyOp(root, op); err != nil {
			return nil, Patch{}, fmt.Errorf("op %d (%s %s): %w", i, op.Kind, op.Path, err)
		}
		if !op.Path.IsStatus() {
			config = true
		}
	}
	if root.Equal(d.root) {
		return nil, Patch{}, ErrNoChange
	}
	from := d.Version()
	to := from.bumpStatus()
	if config {
		to = from.bumpConfig()
	}
	setVersion(root, to)
	nd := &Doc{root: root}
	if validate != nil {
		if err := validate(nd); err != nil {
			return nil, Patch{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	return nd, Patch{From: from, To: to, Ops: cloneOps(ops)}, nil
}

// ApplyPatch applies a replicated patch. It refuses (ErrVersionMismatch)
// unless d's version is exactly p.From and p.To is newer; validation is not
// repeated, the sender (the DC) validated the change.
func ApplyPatch(d *Doc, p Patch) (*Doc, error) {
	if v := d.Version(); v != p.From {
		return nil, fmt.Errorf("%w: have %s, patch from %s", ErrVersionMismatch, v, p.From)
	}
	if !p.To.Newer(p.From) {
		return nil, fmt.Errorf("%w: patch goes from %s to %s", ErrBadOp, p.From, p.To)
	}
	root := d.root.Clone()
	for i, op := range p.Ops {
		if err := applyOp(root, op); err != nil {
			return nil, fmt.Errorf("patch op %d (%s %s): %w", i, op.Kind, op.Path, err)
		}
	}
	setVersion(root, p.To)
	return &Doc{root: root}, nil
}

func cloneOps(ops []Op) []Op {
	out := make([]Op, len(ops))
	for i, op := range ops {
		out[i] = Op{Kind: op.Kind, Path: append(Path(nil), op.Path...), Node: op.Node.Clone()}
	}
	return out
}

func applyOp(root *Node, op Op) error {
	if len(op.Path) == 0 || op.Path[0].Name != "cib" {
		return fmt.Errorf("%w: path must start at /cib", ErrBadOp)
	}
	n, parent, idx := op.Path.find(root)
	switch op.Kind {
	case OpReplace:
		if len(op.Path) < 2 {
			return fmt.Errorf("%w: the root cannot be replaced (send a full copy)", ErrBadOp)
		}
		last := op.Path[len(op.Path)-1]
		if op.Node == nil || op.Node.Name != last.Name || (last.ID != "" && op.Node.ID() != last.ID) {
			return fmt.Errorf("%w: element does not match the path's last step", ErrBadOp)
		}
		if parent == nil {
			return fmt.Errorf("%w: parent element absent", ErrBadOp)
		}
		if n != nil {
			parent.Children[idx] = op.Node.Clone()
		} else {
			parent.Children = append(parent.Children, op.Node.Clone())
		}
	case OpDelete:
		if len(op.Path) < 2 {
			return fmt.Errorf("%w: the root cannot be deleted", ErrBadOp)
		}
		if n != nil {
			parent.Children = append(parent.Children[:idx:idx], parent.Children[idx+1:]...)
		}
	case OpAttrs:
		if n == nil {
			return fmt.Errorf("%w: element absent", ErrBadOp)
		}
		if op.Node == nil {
			return fmt.Errorf("%w: no attributes given", ErrBadOp)
		}
		if len(op.Path) > 1 {
			n.Attrs = append([]Attr(nil), op.Node.Attrs...)
			break
		}
		// On the root the version attributes keep their values: they
		// take the position the op gives them, or stay at the end.
		var out []Attr
		used := map[string]bool{}
		for _, a := range op.Node.Attrs {
			if isVersionAttr(a.Name) {
				if v, ok := n.Attr(a.Name); ok && !used[a.Name] {
					out = append(out, Attr{a.Name, v})
					used[a.Name] = true
				}
				continue
			}
			out = append(out, a)
		}
		for _, a := range n.Attrs {
			if isVersionAttr(a.Name) && !used[a.Name] {
				out = append(out, a)
				used[a.Name] = true
			}
		}
		n.Attrs = out
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrBadOp, op.Kind)
	}
	return nil
}

func isVersionAttr(name string) bool {
	return name == AttrAdminEpoch || name == AttrEpoch || name == AttrNumUpdates
}

// Diff returns ops that turn old into new (versions aside): attribute
// changes of the root, and per child of each section (keyed by element
// name and id) a replace or a delete; a section whose children cannot be
// keyed uniquely is replaced whole. Sections (children of <cib>) must be
// unique by name and id, as in every CIB. ApplyPatch of the result on old yields
// new, which the tests check.
func Diff(old, new *Doc) []Op {
	var ops []Op
	rootPath := Path{{Name: "cib"}}
	if !attrsEqualSansVersion(old.root, new.root) {
		ops = append(ops, Op{Kind: OpAttrs, Path: rootPath, Node: &Node{Name: "cib", Attrs: new.root.Attrs}})
	}
	if !uniqueKeys(old.root) || !uniqueKeys(new.root) || !sameOrder(old.root, new.root) {
		// Sections reordered: rebuild them all, in the new order.
		for _, oc := range old.root.Children {
			ops = append(ops, Op{Kind: OpDelete, Path: rootPath.Child(oc)})
		}
		for _, nc := range new.root.Children {
			ops = append(ops, Op{Kind: OpReplace, Path: rootPath.Child(nc), Node: nc.Clone()})
		}
		return ops
	}
	// Sections removed from new.
	for _, oc := range old.root.Children {
		if !hasKey(new.root, oc) {
			ops = append(ops, Op{Kind: OpDelete, Path: rootPath.Child(oc)})
		}
	}
	for _, nc := range new.root.Children {
		oc := old.root.Child(nc.Name, nc.ID())
		secPath := rootPath.Child(nc)
		switch {
		case oc == nil:
			ops = append(ops, Op{Kind: OpReplace, Path: secPath, Node: nc.Clone()})
		case oc.Equal(nc):
		case !uniqueKeys(oc) || !uniqueKeys(nc) || !attrsEqualSansVersion(oc, nc) || oc.Text != nc.Text || !sameOrder(oc, nc):
			ops = append(ops, Op{Kind: OpReplace, Path: secPath, Node: nc.Clone()})
		default:
			for _, c := range oc.Children {
				if !hasKey(nc, c) {
					ops = append(ops, Op{Kind: OpDelete, Path: secPath.Child(c)})
				}
			}
			for _, c := range nc.Children {
				if o := oc.Child(c.Name, c.ID()); o == nil || !o.Equal(c) {
					ops = append(ops, Op{Kind: OpReplace, Path: secPath.Child(c), Node: c.Clone()})
				}
			}
		}
	}
	return ops
}

func hasKey(parent, c *Node) bool {
	for _, x := range parent.Children {
		if x.Name == c.Name && x.ID() == c.ID() {
			return true
		}
	}
	return false
}

// uniqueKeys reports whether n's children are distinct by (name, id), so a
// Step addresses each one exactly.
func uniqueKeys(n *Node) bool {
	seen := map[[2]string]bool{}
	for _, c := range n.Children {
		k := [2]string{c.Name, c.ID()}
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// sameOrder reports whether the children both have in common appear in
// the same relative order, and new ones only after them: per-child ops
// append new elements at the end, so any other layout needs a whole
// replace.
func sameOrder(o, n *Node) bool {
	j := 0
	var kept []*Node
	for _, c := range o.Children {
		if hasKey(n, c) {
			kept = append(kept, c)
		}
	}
	for _, c := range n.Children {
		if hasKey(o, c) {
			if j >= len(kept) || kept[j].Name != c.Name || kept[j].ID() != c.ID() {
				return false
			}
			j++
		} else if j < len(kept) {
			return false
		}
	}
	return true
}

func attrsEqualSansVersion(a, b *Node) bool {
	var x, y []Attr
	for _, at := range a.Attrs {
		if !isVersionAttr(at.Name) {
			x = append(x, at)
		}
	}
	for _, at := range b.Attrs {
		if !isVersionAttr(at.Name) {
			y = append(y, at)
		}
	}
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// Patch XML form: <cib_patch from="a.e.n" to="a.e.n"> with one child per
// op, <replace path="...">ELEMENT</replace>, <delete path="..."/>,
// <attrs path="..."><ELEMENT-with-attributes/></attrs>. Element and
// attribute names are part of the replication protocol: only append.
const (
	patchElem = "cib_patch"
	patchFrom = "from"
	patchTo   = "to"
	patchPath = "path"
)

// Marshal renders the patch in its XML form.
func (p Patch) Marshal() []byte {
	n := &Node{Name: patchElem, Attrs: []Attr{{patchFrom, p.From.String()}, {patchTo, p.To.String()}}}
	for _, op := range p.Ops {
		e := &Node{Name: string(op.Kind), Attrs: []Attr{{patchPath, op.Path.String()}}}
		if op.Node != nil {
			e.Children = []*Node{op.Node}
		}
		n.Children = append(n.Children, e)
	}
	return n.Marshal()
}

// ParsePatch reads the XML form.
func ParsePatch(b []byte) (Patch, error) {
	n, err := ParseNode(bytes.NewReader(b))
	if err != nil {
		return Patch{}, fmt.Errorf("patch: %w", err)
	}
	if n.Name != patchElem {
		return Patch{}, fmt.Errorf("patch: root element is <%s>", n.Name)
	}
	var p Patch
	f, _ := n.Attr(patchFrom)
	if p.From, err = ParseVersion(f); err != nil {
		return Patch{}, fmt.Errorf("patch from: %w", err)
	}
	t, _ := n.Attr(patchTo)
	if p.To, err = ParseVersion(t); err != nil {
		return Patch{}, fmt.Errorf("patch to: %w", err)
	}
	for i, e := range n.Children {
		op := Op{Kind: OpKind(e.Name)}
		switch op.Kind {
		case OpReplace, OpAttrs:
			if len(e.Children) != 1 {
				return Patch{}, fmt.Errorf("patch op %d: %s needs exactly one element", i, e.Name)
			}
			op.Node = e.Children[0]
		case OpDelete:
			if len(e.Children) != 0 {
				return Patch{}, fmt.Errorf("patch op %d: delete carries no element", i)
			}
		default:
			return Patch{}, fmt.Errorf("patch op %d: unknown kind <%s>", i, e.Name)
		}
		ps, _ := e.Attr(patchPath)
		if op.Path, err = ParsePath(ps); err != nil {
			return Patch{}, fmt.Errorf("patch op %d: %w", i, err)
		}
		p.Ops = append(p.Ops, op)
	}
	return p, nil
}
