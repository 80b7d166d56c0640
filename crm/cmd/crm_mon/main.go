package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/cibapi"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &monitor{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr, now: time.Now,
		tty: isTerminal(os.Stdout), wait: sleep}
	code := m.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Exit codes as Pacemaker's tools use them.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 64
	exitNoInput = 66
)

// clearScreen moves the cursor home and clears the terminal before each
// redraw.
const clearScreen = "\x1b[H\x1b[2J"

// monitor is one crm_mon run with everything it touches outside its
// arguments, so tests can drive the refresh loop without a terminal or a
// real clock.
type monitor struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	now            func() time.Time
	// tty says stdout is a terminal: redraw in place instead of
	// appending.
	tty bool
	// wait returns after d, or false as soon as ctx ends.
	wait func(ctx context.Context, d time.Duration) bool
}

// sleep is the real wait.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseInterval reads -i: plain seconds, or a Go duration such as 1m30s.
func parseInterval(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 {
			return 0, fmt.Errorf("interval %q must be positive", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid interval %q", s)
	}
	return d, nil
}

func (m *monitor) run(ctx context.Context, args []string) int {
	fs := pflag.NewFlagSet("crm_mon", pflag.ContinueOnError)
	fs.SetOutput(m.stderr)
	oneShot := fs.BoolP("one-shot", "1", false, "display the cluster status once and exit")
	inactive := fs.BoolP("inactive", "r", false, "display inactive resources")
	failcounts := fs.BoolP("failcounts", "f", false, "display resource fail counts")
	byNode := fs.BoolP("group-by-node", "n", false, "group resources by node")
	outputAs := fs.String("output-as", "text", "output type: text or xml")
	xmlFile := fs.StringP("xml-file", "x", "", "read the CIB from FILE instead of CIB_file")
	asXML := fs.BoolP("as-xml", "X", false, "same as --output-as=xml")
	intervalText := fs.StringP("interval", "i", "5", "refresh interval (seconds, or a duration such as 1m)")
	runDir := cibapi.RunDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	interval, err := parseInterval(*intervalText)
	if err != nil {
		fmt.Fprintf(m.stderr, "crm_mon: %v\n", err)
		return exitUsage
	}
	if *asXML {
		*outputAs = "xml"
	}
	if *outputAs != "xml" && *outputAs != "text" {
		fmt.Fprintf(m.stderr, "crm_mon: unknown output format %q\n", *outputAs)
		return exitUsage
	}
	var src cibdoc.Source
	if *xmlFile != "" {
		src = cibdoc.FileSource{Path: *xmlFile}
	} else if src, err = cibdoc.FromEnv(m.getenv, cibapi.Live(*runDir)); err != nil {
		fmt.Fprintf(m.stderr, "crm_mon: %v\n", err)
		return exitNoInput
	}
	// A file does not change under us, and XML is for programs: both
	// are shown once, as Pacemaker's crm_mon does.
	_, isFile := src.(cibdoc.FileSource)
	opts := render.Options{Inactive: *inactive, FailCounts: *failcounts, ByNode: *byNode,
		Request: "crm_mon " + strings.Join(args, " ")}
	if *oneShot || isFile || *outputAs == "xml" {
		var out bytes.Buffer
		code, err := m.frame(&out, src, *outputAs, opts)
		if err != nil {
			fmt.Fprintf(m.stderr, "crm_mon: %v\n", err)
			return code
		}
		m.stdout.Write(out.Bytes())
		return exitOK
	}
	for {
		var out bytes.Buffer
		if m.tty {
			out.WriteString(clearScreen)
		}
		if _, err := m.frame(&out, src, *outputAs, opts); err != nil {
			// the daemon may come back: report and keep watching
			if m.tty {
				fmt.Fprintf(&out, "crm_mon: %v\n", err)
			} else {
				fmt.Fprintf(m.stderr, "crm_mon: %v\n", err)
			}
		}
		if !m.tty && out.Len() > 0 {
			out.WriteString("\n")
		}
		m.stdout.Write(out.Bytes())
		if !m.wait(ctx, interval) {
			return exitOK
		}
	}
}

// frame renders the status once into w, or returns the error and the
// exit code a one-shot run ends with.
func (m *monitor) frame(w io.Writer, src cibdoc.Source, format string, opts render.Options) (int, error) {
	root, err := src.Load()
	if err != nil {
		if code, ok := cibapi.ExitCode(err); ok {
			return code, err
		}
		return exitNoInput, err
	}
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		return exitError, fmt.Errorf("invalid CIB: %w", err)
	}
	cl := status.Compute(c, root)
	opts.Now = m.now()
	if format == "xml" {
		render.XML(w, cl, opts)
	} else {
		render.Text(w, cl, opts)
	}
	return exitOK, nil
}
