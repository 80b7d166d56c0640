package pengine

import (
	"bytes"
	"testing"
	"time"

	"hbgo/crm/cib"
)

// FuzzSchedule feeds mutated CIB documents through the parser and, when
// they parse, through the scheduler: nothing may panic or loop, and the
// output must be sorted.
func FuzzSchedule(f *testing.F) {
	c := newCluster("n1", "n2")
	c.props["stonith-enabled"] = "true"
	c.resources = `<primitive id="fence" class="stonith" type="null"/><clone id="ms"><meta_attributes id="msm"><nvpair id="msm1" name="promotable" value="true"/></meta_attributes>` +
		prim("s") + `</clone><group id="g">` + prim("a") + prim("b") + `</group>`
	c.constraints = `<rsc_colocation id="co" rsc="g" with-rsc="ms" with-rsc-role="Promoted" score="INFINITY"/><rsc_order id="o" first="ms" first-action="promote" then="g"/>`
	c.states["n1"] = lrm("s:start:0:0:0", "a:start:0:0:0", "a:monitor:10000:7:0") + attrs("master-s", "5")
	c.offline["n2"] = true
	f.Add([]byte(c.xml()))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := cib.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		res, err := Schedule(doc, time.Unix(0, 0))
		if err != nil {
			return
		}
		lines := res.Normalized()
		for i := 1; i < len(lines); i++ {
			if lines[i-1] > lines[i] {
				t.Fatalf("output not sorted: %q > %q", lines[i-1], lines[i])
			}
		}
	})
}
