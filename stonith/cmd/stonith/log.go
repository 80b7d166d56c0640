package main

import (
	"bytes"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"syscall"
	"time"
	"unsafe"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
)

// prio is a syslog severity as cluster-glue's prio2str names it.
type prio int

const (
	prioCrit prio = iota
	prioErr
	prioWarn
	prioInfo
	prioDebug
)

var prioNames = [...]string{"CRIT", "ERROR", "WARN", "info", "debug"}

func (p prio) String() string { return prioNames[p] }

// prioOf maps a logrus entry to its cluster-glue severity.
func prioOf(e *logrus.Entry) prio {
	switch e.Level {
	case logrus.PanicLevel, logrus.FatalLevel:
		return prioCrit
	case logrus.ErrorLevel:
		if e.Data[stonith.FieldSeverity] == stonith.SeverityCrit {
			return prioCrit
		}
		return prioErr
	case logrus.WarnLevel:
		return prioWarn
	case logrus.InfoLevel:
		return prioInfo
	}
	return prioDebug
}

// sink writes log lines the way the stonith command does: on a terminal
// "prio: msg" to stderr; otherwise to syslog and, with -d, to stderr in
// cl_log's "Mon dd hh:mm:ss host stonith: [pid]: prio: msg" form.
type sink struct {
	terminal bool
	debug    bool
	stderr   io.Writer
	syslog   *syslog.Writer // nil when /dev/log is absent
	host     string
	pid      int
	now      func() time.Time
}

func (s *sink) write(p prio, msg string) {
	if p == prioDebug && !s.debug {
		return
	}
	if s.terminal {
		fmt.Fprintf(s.stderr, "%s: %s\n", p, msg)
		return
	}
	if s.syslog != nil {
		line := fmt.Sprintf("%s: %s", p, msg)
		switch p {
		case prioCrit:
			_ = s.syslog.Crit(line)
		case prioErr:
			_ = s.syslog.Err(line)
		case prioWarn:
			_ = s.syslog.Warning(line)
		case prioInfo:
			_ = s.syslog.Info(line)
		default:
			_ = s.syslog.Debug(line)
		}
	}
	if s.debug {
		fmt.Fprintf(s.stderr, "%s %s stonith: [%d]: %s: %s\n",
			s.now().Format("Jan 02 15:04:05"), s.host, s.pid, p, msg)
	}
}

// Format makes sink a logrus formatter: the entry is written directly and
// nothing is returned for logrus's own output (which is io.Discard).
func (s *sink) Format(e *logrus.Entry) ([]byte, error) {
	s.write(prioOf(e), e.Message)
	return nil, nil
}

func newLogger(s *sink) *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(s)
	l.SetLevel(logrus.DebugLevel)
	return logrus.NewEntry(l)
}

func openSyslog() *syslog.Writer {
	w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "stonith")
	if err != nil {
		return nil
	}
	return w
}

// isTerminal reports whether f is a terminal (isatty).
func isTerminal(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

// nodeName is uname -n.
func nodeName() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		h, _ := os.Hostname()
		return h
	}
	b := make([]byte, 0, len(u.Nodename))
	for _, c := range u.Nodename {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(bytes.TrimSpace(b))
}
