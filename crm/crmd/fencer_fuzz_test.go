package crmd

import (
	"strings"
	"testing"
)

// FuzzDeviceParams: a stonith resource's instance attributes split into
// the device's parameters (no pcmk_* left) and a delay that is never
// negative; an unreadable pcmk_delay_base is an error, not a zero delay.
func FuzzDeviceParams(f *testing.F) {
	for _, s := range [][2]string{{"hostlist", "n1 n2"}, {"pcmk_delay_base", "5s"}, {"pcmk_delay_base", "PT2S"},
		{"pcmk_delay_base", "soon"}, {"pcmk_host_list", "n1"}, {"pcmk_delay_base", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, k, v string) {
		p, delay, err := deviceParams(map[string]string{k: v, "hostlist": "n1"})
		if err != nil {
			if k != DelayBaseParam {
				t.Fatalf("error for %q=%q: %v", k, v, err)
			}
			return
		}
		if delay < 0 {
			t.Fatalf("negative delay %v from %q", delay, v)
		}
		for name := range p {
			if strings.HasPrefix(name, "pcmk_") {
				t.Fatalf("fencer parameter %s passed to the device", name)
			}
		}
		if !strings.HasPrefix(k, "pcmk_") && p[k] != v && k != "hostlist" {
			t.Fatalf("device parameter %q=%q lost: %v", k, v, p)
		}
	})
}
