package crmd

import (
	"errors"
	"testing"

	"hbgo/crm/cibstore"
)

// FuzzReplaceOps: whatever two CIB documents a tool and the replica hold,
// the operations Replace would request apply to the replica.
func FuzzReplaceOps(f *testing.F) {
	f.Add([]byte(`<cib admin_epoch="0" epoch="3" num_updates="5"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status><node_state id="a" uname="a"/></status></cib>`),
		[]byte(`<cib admin_epoch="0" epoch="4" num_updates="0"><configuration><crm_config/><nodes><node id="b" uname="b"/></nodes><resources/><constraints/></configuration><status/></cib>`))
	f.Add([]byte(`<cib epoch="1"><configuration/><status/></cib>`), []byte(`<cib epoch="1" num_updates="1"><status><node_state id="x"/></status></cib>`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		cur, err := cibstore.Parse(a)
		if err != nil {
			return
		}
		nd, err := cibstore.Parse(b)
		if err != nil {
			return
		}
		ops, err := ReplaceOps(cur, nd)
		if err != nil || len(ops) == 0 {
			return
		}
		if _, _, err := cibstore.Apply(cur, ops, nil); err != nil && !errors.Is(err, cibstore.ErrNoChange) {
			t.Fatalf("ops of ReplaceOps do not apply: %v", err)
		}
	})
}
