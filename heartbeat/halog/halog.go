// Package halog writes logrus entries in the classic ha-log line style of
// Heartbeat ("Nov 22 05:15:45 n1 heartbeat: [21540]: info: text"), with the
// structured fields appended as key=value, and opens the log destinations
// ha.cf names (logfile, debugfile, syslog facility).
package halog

import (
	"bytes"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
)

// Formatter renders one entry per line in ha-log style.
type Formatter struct {
	Host string // node name printed after the date
	Prog string // "heartbeat"
	PID  int
}

var levelWord = map[logrus.Level]string{
	logrus.TraceLevel: "debug", logrus.DebugLevel: "debug", logrus.InfoLevel: "info",
	logrus.WarnLevel: "WARN", logrus.ErrorLevel: "ERROR", logrus.FatalLevel: "CRIT", logrus.PanicLevel: "CRIT",
}

// Format implements logrus.Formatter.
func (f *Formatter) Format(e *logrus.Entry) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s: [%d]: %s: %s", e.Time.Format("Jan _2 15:04:05"), f.Host, f.Prog, f.PID, levelWord[e.Level], e.Message)
	if len(e.Data) > 0 {
		keys := make([]string, 0, len(e.Data))
		for k := range e.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := fmt.Sprint(e.Data[k])
			if strings.ContainsAny(v, " \t\"") {
				v = fmt.Sprintf("%q", v)
			}
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Targets are the destinations of ha.cf: a file for non-debug lines, a
// file for debug lines, and a syslog facility ("" or "none" for none).
type Targets struct {
	LogFile, DebugFile, Facility string
	// Stderr copies every line to standard error (foreground runs).
	Stderr bool
}

// hook sends each entry to the writers chosen by its level.
type hook struct {
	mu     sync.Mutex
	fmt    logrus.Formatter
	normal []io.Writer
	debug  []io.Writer
	sys    *syslog.Writer
}

func (h *hook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *hook) Fire(e *logrus.Entry) error {
	line, err := h.fmt.Format(e)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ws := h.normal
	if e.Level >= logrus.DebugLevel {
		ws = h.debug
	}
	for _, w := range ws {
		_, _ = w.Write(line)
	}
	if h.sys != nil {
		msg := strings.TrimSpace(string(line))
		if i := strings.Index(msg, "]: "); i >= 0 {
			msg = msg[i+3:]
		}
		switch {
		case e.Level <= logrus.ErrorLevel:
			_ = h.sys.Err(msg)
		case e.Level == logrus.WarnLevel:
			_ = h.sys.Warning(msg)
		case e.Level == logrus.InfoLevel:
			_ = h.sys.Info(msg)
		}
	}
	return nil
}

var facilities = map[string]syslog.Priority{
	"kern": syslog.LOG_KERN, "user": syslog.LOG_USER, "mail": syslog.LOG_MAIL, "daemon": syslog.LOG_DAEMON,
	"auth": syslog.LOG_AUTH, "syslog": syslog.LOG_SYSLOG, "lpr": syslog.LOG_LPR, "news": syslog.LOG_NEWS,
	"uucp": syslog.LOG_UUCP, "cron": syslog.LOG_CRON, "authpriv": syslog.LOG_AUTHPRIV, "ftp": syslog.LOG_FTP,
	"local0": syslog.LOG_LOCAL0, "local1": syslog.LOG_LOCAL1, "local2": syslog.LOG_LOCAL2, "local3": syslog.LOG_LOCAL3,
	"local4": syslog.LOG_LOCAL4, "local5": syslog.LOG_LOCAL5, "local6": syslog.LOG_LOCAL6, "local7": syslog.LOG_LOCAL7,
}

// Open builds a logger writing to t with the ha-log format; debug lines
// are kept when debug is true. close releases the files.
func Open(t Targets, f *Formatter, debug bool) (log *logrus.Logger, closeFn func(), err error) {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(f)
	l.SetLevel(logrus.InfoLevel)
	if debug {
		l.SetLevel(logrus.DebugLevel)
	}
	h := &hook{fmt: f}
	var files []*os.File
	closeFn = func() {
		for _, f := range files {
			f.Close()
		}
		if h.sys != nil {
			h.sys.Close()
		}
	}
	open := func(path string) (io.Writer, error) {
		if path == "" || path == "/dev/null" {
			return nil, nil
		}
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		files = append(files, fh)
		return fh, nil
	}
	if w, err := open(t.LogFile); err != nil {
		closeFn()
		return nil, nil, err
	} else if w != nil {
		h.normal = append(h.normal, w)
	}
	if w, err := open(t.DebugFile); err != nil {
		closeFn()
		return nil, nil, err
	} else if w != nil {
		h.debug = append(h.debug, w)
		h.normal = append(h.normal, w) // 3.0.6's debug file holds every line
	}
	if t.Stderr {
		h.normal = append(h.normal, os.Stderr)
		h.debug = append(h.debug, os.Stderr)
	}
	if p, ok := facilities[strings.ToLower(t.Facility)]; ok {
		if s, err := syslog.New(p|syslog.LOG_INFO, f.Prog); err == nil {
			h.sys = s
		}
	}
	l.AddHook(h)
	return l, closeFn, nil
}
