package scheduler

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/tests/pengine/gen"
)

var outDir = flag.String("bench.out", "", "TestWriteCIBs writes the benchmark CIBs to this directory")

// Sizes are the benchmarked cluster shapes; seed 1 for all, Steady profile.
var Sizes = []gen.Size{{Nodes: 4, Resources: 50}, {Nodes: 16, Resources: 500}, {Nodes: 32, Resources: 2000}}

func name(s gen.Size) string { return fmt.Sprintf("%dx%d", s.Nodes, s.Resources) }

func cibFor(s gen.Size) []byte { return gen.Generate(1, s, gen.Steady) }

// BenchmarkSchedule measures parsing the CIB and scheduling it, which is
// what crm_simulate -x CIB -R -Q does apart from process start-up.
func BenchmarkSchedule(b *testing.B) {
	for _, s := range Sizes {
		data := cibFor(s)
		b.Run(name(s), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				c, err := cib.Parse(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := pengine.Schedule(c, time.Unix(gen.ExecutionDate, 0)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWriteCIBs writes the benchmark CIBs for scheduler.sh (only with
// -bench.out); without it, it checks that every size schedules and places
// resources, so the benchmark measures real work.
func TestWriteCIBs(t *testing.T) {
	for _, s := range Sizes {
		data := cibFor(s)
		if *outDir != "" {
			if err := os.WriteFile(filepath.Join(*outDir, name(s)+".xml"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if testing.Short() && s.Resources > 500 {
			continue
		}
		c, err := cib.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name(s), err)
		}
		res, err := pengine.Schedule(c, time.Unix(gen.ExecutionDate, 0))
		if err != nil {
			t.Fatalf("%s: %v", name(s), err)
		}
		active := 0
		for _, l := range res.Normalized() {
			if len(l) > 4 && l[:4] == "rsc " {
				active++
			}
		}
		if active < s.Resources/4 {
			t.Errorf("%s: only %d active instances after scheduling", name(s), active)
		}
	}
}
