package crmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
)

// ErrStale means a replacement CIB was based on an older configuration
// than the current one (another change came in between): read it again.
var ErrStale = errors.New("CIB changed since it was read")

// Backend serves the tools' CIB socket (package cibapi) from a Runtime:
// each call is handed to the daemon's loop and answered from there.
type Backend struct{ r *Runtime }

// Backend returns the tools' view of this node's CIB.
func (r *Runtime) Backend() Backend { return Backend{r} }

// Query returns this node's current CIB replica as XML.
func (b Backend) Query(ctx context.Context) ([]byte, error) {
	out := make(chan []byte, 1)
	if err := b.call(ctx, func(time.Time) error { out <- b.r.CIB().Bytes(); return nil }); err != nil {
		return nil, err
	}
	select {
	case x := <-out:
		return x, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.r.closed:
		return nil, ErrClosed
	}
}

// Replace makes the CIB equal to x (an edited Query result): the
// difference to the current replica goes to the DC as one request, and
// Replace returns nil once it is committed. A document whose configuration
// is older than the current one is refused (ErrStale); when only the
// status moved on since it was read, its status edits are dropped and its
// configuration edits applied.
func (b Backend) Replace(ctx context.Context, x []byte) error {
	nd, err := cibstore.Parse(x)
	if err != nil {
		return err
	}
	res := make(chan error, 1)
	err = b.call(ctx, func(now time.Time) error {
		cur := b.r.CIB()
		ops, err := ReplaceOps(cur, nd)
		if err != nil || len(ops) == 0 {
			res <- err
			return nil
		}
		_, err = b.r.request(now, "tool replace", ops, func(cd controller.CommitDone) { res <- cd.Err })
		return err
	})
	if err != nil {
		return err
	}
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-b.r.closed:
		return ErrClosed
	}
}

// ReplaceOps returns the changes that turn cur into nd, as Replace
// applies them (see there).
func ReplaceOps(cur, nd *cibstore.Doc) ([]cibstore.Op, error) {
	cv, nv := cur.Version(), nd.Version()
	if nv.AdminEpoch < cv.AdminEpoch || (nv.AdminEpoch == cv.AdminEpoch && nv.Epoch < cv.Epoch) {
		return nil, fmt.Errorf("%w: have %s, update based on %s", ErrStale, cv, nv)
	}
	ops := cibstore.Diff(cur, nd)
	if nv == cv {
		return ops, nil
	}
	kept := ops[:0]
	for _, op := range ops {
		if !op.Path.IsStatus() && !(len(op.Path) == 2 && op.Path[1].Name == cibstore.SectionStatus) {
			kept = append(kept, op)
		}
	}
	return kept, nil
}

func (b Backend) call(ctx context.Context, fn func(time.Time) error) error {
	select {
	case b.r.work <- Work{fn}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.r.closed:
		return ErrClosed
	}
}
