package halog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

func TestFormatIsTheHaLogLine(t *testing.T) {
	f := &Formatter{Host: "n1", Prog: "heartbeat", PID: 42}
	e := &logrus.Entry{Time: time.Date(2026, 11, 2, 5, 15, 45, 0, time.UTC), Level: logrus.WarnLevel,
		Message: "node n2: is dead", Data: logrus.Fields{"node": "n2", "reason": "dead time"}}
	b, _ := f.Format(e)
	want := "Nov  2 05:15:45 n1 heartbeat: [42]: WARN: node n2: is dead node=n2 reason=\"dead time\"\n"
	if string(b) != want {
		t.Fatalf("got  %q\nwant %q", b, want)
	}
}

func TestOpenSplitsDebugLines(t *testing.T) {
	dir := t.TempDir()
	logf, dbgf := filepath.Join(dir, "ha-log"), filepath.Join(dir, "ha-debug")
	l, closeFn, err := Open(Targets{LogFile: logf, DebugFile: dbgf}, &Formatter{Host: "n1", Prog: "heartbeat", PID: 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("visible")
	l.Debug("detail")
	closeFn()
	a, _ := os.ReadFile(logf)
	d, _ := os.ReadFile(dbgf)
	if !strings.Contains(string(a), "info: visible") || strings.Contains(string(a), "detail") {
		t.Fatalf("logfile: %q", a)
	}
	if !strings.Contains(string(d), "debug: detail") || !strings.Contains(string(d), "visible") {
		t.Fatalf("debugfile: %q", d)
	}
}
