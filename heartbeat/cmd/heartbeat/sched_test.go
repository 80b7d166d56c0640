package main

import "testing"

func TestDaemonProcs(t *testing.T) {
	for env, want := range map[string]int{"": 1, "4": 4, "1": 1, "0": 1, "-2": 1, "x": 1} {
		if got := daemonProcs(env); got != want {
			t.Errorf("daemonProcs(%q) = %d, want %d", env, got, want)
		}
	}
}

func TestUseRealtime(t *testing.T) {
	cases := []struct{ cfg, flag, want bool }{
		{true, false, true}, {true, true, false}, {false, false, false}, {false, true, false},
	}
	for _, c := range cases {
		if got := useRealtime(c.cfg, c.flag); got != c.want {
			t.Errorf("useRealtime(realtime %v, -l %v) = %v", c.cfg, c.flag, got)
		}
	}
}
