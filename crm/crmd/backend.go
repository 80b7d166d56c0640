package crmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hbgo/crm/cibapi"
	"hbgo/crm/cibstore"
	"hbgo/crm/controller"
)

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

// Replace makes the CIB equal to x (an edited Query result whose version
// the tool bumped): the difference to the current replica goes to the DC
// as one request, and Replace returns nil once it is committed. Errors
// wrap cibapi's sentinels: ErrStale (see ReplaceOps), ErrNoDC,
// ErrTimeout, ErrRejected.
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
		if b.r.Membership().DC == "" {
			res <- cibapi.ErrNoDC
			return nil
		}
		_, err = b.r.request(now, "tool replace", ops, func(cd controller.CommitDone) {
			switch {
			case cd.Err == nil:
				res <- nil
			case errors.Is(cd.Err, controller.ErrRequestTimeout):
				res <- fmt.Errorf("%w: %v", cibapi.ErrTimeout, cd.Err)
			default:
				res <- fmt.Errorf("%w: %v", cibapi.ErrRejected, cd.Err)
			}
		})
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

// ReplaceOps returns the changes that turn cur into nd. As with cibapi's
// tools, nd must be newer than cur (the tool bumped the version of the
// copy it read), else someone changed the CIB after the tool read it and
// the replacement would undo that (cibapi.ErrStale). A replacement with a
// newer configuration (epoch) may carry a status older than cur's (the
// status changes all the time): its status edits are dropped and only its
// configuration edits applied. One with the same configuration version
// but newer num_updates was read from the current status and applies
// whole.
func ReplaceOps(cur, nd *cibstore.Doc) ([]cibstore.Op, error) {
	cv, nv := cur.Version(), nd.Version()
	if !nv.Newer(cv) {
		return nil, fmt.Errorf("%w: replacement is version %s, the CIB is at %s", cibapi.ErrStale, nv, cv)
	}
	ops := cibstore.Diff(cur, nd)
	if nv.AdminEpoch == cv.AdminEpoch && nv.Epoch == cv.Epoch {
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

var _ cibapi.Backend = Backend{}
