package cibapi

import (
	"fmt"
	"strconv"

	"hbgo/crm/status/cibdoc"
)

// Version is a CIB's (admin_epoch, epoch, num_updates): which of two
// copies is newer.
type Version struct {
	AdminEpoch, Epoch, NumUpdates int
}

// VersionOf reads the counters of a <cib> element; absent ones are 0.
func VersionOf(root *cibdoc.Element) Version {
	n := func(name string) int {
		v, _ := strconv.Atoi(root.Attr(name))
		return v
	}
	return Version{n("admin_epoch"), n("epoch"), n("num_updates")}
}

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool {
	if v.AdminEpoch != w.AdminEpoch {
		return v.AdminEpoch < w.AdminEpoch
	}
	if v.Epoch != w.Epoch {
		return v.Epoch < w.Epoch
	}
	return v.NumUpdates < w.NumUpdates
}

func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.AdminEpoch, v.Epoch, v.NumUpdates)
}

// CheckNewer returns nil when next (a whole CIB) is newer than current,
// and an error wrapping ErrStale otherwise. The tools bump the counters
// of the CIB they read before storing it, so a replacement that is not
// newer was computed from a copy someone else has changed since:
// applying it would silently undo their change. Backends call this
// before committing.
func CheckNewer(current, next []byte) error {
	cur, err := cibdoc.Parse(current)
	if err != nil {
		return fmt.Errorf("current CIB: %w", err)
	}
	nxt, err := cibdoc.Parse(next)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	if cv, nv := VersionOf(cur), VersionOf(nxt); !cv.Less(nv) {
		return fmt.Errorf("%w: replacement is version %v, the CIB is at %v", ErrStale, nv, cv)
	}
	return nil
}
