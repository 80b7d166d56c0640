package cibstore

import (
	"fmt"
	"strconv"
)

// Version is the CIB's version triple. Ordering is lexicographic: an
// administrator bumps AdminEpoch to force a copy to win, Epoch counts
// configuration changes, NumUpdates counts status changes since the last
// configuration change.
type Version struct {
	AdminEpoch uint64
	Epoch      uint64
	NumUpdates uint64
}

// Names of the root attributes holding the version. Part of the on-disk
// format and of the protocol.
const (
	AttrAdminEpoch = "admin_epoch"
	AttrEpoch      = "epoch"
	AttrNumUpdates = "num_updates"
)

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than o.
func (v Version) Compare(o Version) int {
	for _, d := range [3][2]uint64{{v.AdminEpoch, o.AdminEpoch}, {v.Epoch, o.Epoch}, {v.NumUpdates, o.NumUpdates}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	return 0
}

// Newer reports whether v is strictly newer than o.
func (v Version) Newer(o Version) bool { return v.Compare(o) > 0 }

// String renders "admin_epoch.epoch.num_updates", the form ParseVersion reads.
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.AdminEpoch, v.Epoch, v.NumUpdates)
}

// ParseVersion reads the String form.
func ParseVersion(s string) (Version, error) {
	var parts [3]uint64
	rest := s
	for i := range parts {
		end := len(rest)
		if i < 2 {
			end = indexByte(rest, '.')
			if end < 0 {
				return Version{}, fmt.Errorf("version %q: want admin_epoch.epoch.num_updates", s)
			}
		}
		n, err := strconv.ParseUint(rest[:end], 10, 64)
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w", s, err)
		}
		parts[i] = n
		if i < 2 {
			rest = rest[end+1:]
		}
	}
	return Version{parts[0], parts[1], parts[2]}, nil
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// bumpConfig is the rule for a configuration change.
func (v Version) bumpConfig() Version { return Version{v.AdminEpoch, v.Epoch + 1, 0} }

// bumpStatus is the rule for a status-only change.
func (v Version) bumpStatus() Version { return Version{v.AdminEpoch, v.Epoch, v.NumUpdates + 1} }
