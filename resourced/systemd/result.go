package systemd

import (
	"strings"

	"hbgo/resourced/ocf"
)

// Result is the answer of one unit operation.
type Result struct {
	RC          ocf.ExitCode
	LoadState   string // loaded, not-found, masked, error...
	ActiveState string // last ActiveState seen
	SubState    string
	// Pending is true when the unit was still activating, deactivating or
	// reloading when the operation gave up.
	Pending bool
	// Detail is a one-line human reason (job result, failed state...).
	Detail string
}

// UnitName returns the unit name for a resource type: types without a unit
// suffix get ".service", as Pacemaker does.
func UnitName(typ string) string {
	for _, suf := range []string{".service", ".socket", ".mount", ".timer", ".path", ".target", ".slice", ".scope", ".swap", ".automount", ".device"} {
		if strings.HasSuffix(typ, suf) {
			return typ
		}
	}
	return typ + ".service"
}
