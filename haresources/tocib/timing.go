package tocib

import "strconv"

// timing holds an operation set's timeouts and the monitor interval, in
// seconds.
type timing struct{ start, stop, interval, monitor int }

// Per-class defaults. OCF agents advertise 20 s for most actions; starts
// and stops get more because Filesystem and the databases need it. LSB
// and legacy heartbeat scripts give no hint, so they get generous start
// and stop timeouts (v1 waited for them without any limit) and a slower
// monitor, since each status call forks a shell script.
var classTiming = map[string]timing{
	"ocf":       {start: 60, stop: 60, interval: 10, monitor: 20},
	"lsb":       {start: 120, stop: 120, interval: 15, monitor: 30},
	"heartbeat": {start: 120, stop: 120, interval: 30, monitor: 60},
	"stonith":   {start: 60, stop: 60, interval: 60, monitor: 60},
}

// timingFor returns the timeouts of one agent. Delay sleeps in its
// actions: startdelay (default 10 s) on start, stopdelay (default the
// start delay) on stop and mondelay (default 30 s) on every monitor.
func timingFor(class, typ string, params map[string]string) timing {
	t := classTiming[class]
	if class == "ocf" && typ == "Delay" {
		start := atoiDefault(params["startdelay"], 10)
		stop := atoiDefault(params["stopdelay"], start)
		t.start = max(t.start, start+30)
		t.stop = max(t.stop, stop+30)
		t.interval, t.monitor = 60, 60
	}
	return t
}

func atoiDefault(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n
	}
	return def
}
