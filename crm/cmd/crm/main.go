package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cibapi"
	"hbgo/crm/crmsh"
	"hbgo/crm/status/cibdoc"
)

func main() {
	e := &env{
		getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		now: time.Now, hostname: os.Hostname, editor: runEditor, verify: runVerify,
		tempDir: os.TempDir(), prompt: isTerminal(os.Stdin), ocfRoot: "/usr/lib/ocf/resource.d",
	}
	os.Exit(e.run(os.Args[1:]))
}

// env is everything a run touches outside its arguments, so tests can
// supply fakes.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	hostname       func() (string, error)
	// editor lets the admin change the file at path ($EDITOR).
	editor func(e *env, path string) error
	// verify checks a CIB document as crm_verify does, returning its
	// output and whether the configuration is valid.
	verify func(cib []byte) (string, bool, error)
	// tempDir is where edit keeps text it could not apply.
	tempDir string
	// prompt is set when commands come from a terminal: crm then shows
	// its level before reading each line.
	prompt bool
	// ocfRoot holds the OCF agents by provider, to resolve bare agent
	// names; empty means ocf:heartbeat.
	ocfRoot string
}

// Exit codes: crm returns 1 for any failed command.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// liveSource returns the client of the running daemon's CIB under runDir
// (CIB_file, when set, takes precedence).
func liveSource(runDir string) cibdoc.Source { return cibapi.Live(runDir) }

func (e *env) run(args []string) int {
	fs := pflag.NewFlagSet("crm", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SetInterspersed(false)
	file := fs.StringP("file", "f", "", "read commands from FILE ('-' for standard input)")
	runDir := fs.String("run-dir", "/var/run/heartbeat", "directory of the running cluster's sockets")
	force := fs.BoolP("force", "F", false, "go ahead where crm would refuse (deleting running resources)")
	fs.BoolP("wait", "w", false, "accepted for compatibility")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	s := &session{env: e, force: *force, getSource: func() (cibdoc.Source, error) {
		return cibdoc.FromEnv(e.getenv, liveSource(*runDir))
	}}
	rest := fs.Args()
	switch {
	case *file != "":
		in := e.stdin
		if *file != "-" {
			f, err := os.Open(*file)
			if err != nil {
				fmt.Fprintf(e.stderr, "ERROR: %v\n", err)
				return exitError
			}
			defer f.Close()
			in = f
		}
		if len(rest) > 0 {
			s.level = rest[0]
		}
		return s.script(in)
	case len(rest) == 0:
		return s.script(e.stdin)
	case len(rest) == 1 && levels[rest[0]]:
		// "crm configure < file": the level's commands from standard input
		s.level = rest[0]
		return s.script(e.stdin)
	}
	s.oneShot = true
	err := s.execWords(rest)
	if err == nil {
		err = s.finish()
	}
	if err != nil {
		s.report(err)
		return exitError
	}
	return exitOK
}

// levels are the command levels crm has.
var levels = map[string]bool{"configure": true, "node": true, "resource": true}

// session runs commands against one CIB source; at the configure level
// changes collect in a working copy until commit.
type session struct {
	env       *env
	getSource func() (cibdoc.Source, error)
	src       cibdoc.Source
	level     string
	oneShot   bool
	force     bool
	// work is the configure level's working copy, before its text when
	// loaded; nil when nothing is pending.
	work   *cibdoc.Element
	before string
	change cibdoc.Change // which counter the pending changes move
}

func (s *session) source() (cibdoc.Source, error) {
	if s.src != nil {
		return s.src, nil
	}
	src, err := s.getSource()
	if err != nil {
		return nil, err
	}
	s.src = src
	return src, nil
}

// load reads the current document.
func (s *session) load() (*cibdoc.Element, error) {
	src, err := s.source()
	if err != nil {
		return nil, err
	}
	return src.Load()
}

func (s *session) report(err error) {
	fmt.Fprintf(s.env.stderr, "ERROR: %v\n", err)
}

func (s *session) info(format string, a ...any) {
	fmt.Fprintf(s.env.stdout, "INFO: "+format+"\n", a...)
}

// script runs commands read from r, one per line (a trailing backslash
// continues a line), and commits what is pending at the end. It returns
// the exit code: an error in any command makes it 1, as crm does.
func (s *session) script(r io.Reader) int {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	code := exitOK
	lineNo, start := 0, 0
	var buf strings.Builder
	flush := func() bool {
		text := buf.String()
		buf.Reset()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			return true
		}
		err := s.execLine(text, start)
		if errors.Is(err, errQuit) {
			return false
		}
		if err != nil {
			s.report(err)
			code = exitError
		}
		return true
	}
	for {
		if s.env.prompt && r == s.env.stdin {
			lvl := ""
			if s.level != "" {
				lvl = s.level
			}
			if buf.Len() > 0 {
				fmt.Fprint(s.env.stdout, "> ")
			} else {
				fmt.Fprintf(s.env.stdout, "crm(live)%s# ", lvl)
			}
		}
		if !sc.Scan() {
			break
		}
		lineNo++
		l := sc.Text()
		if buf.Len() == 0 {
			start = lineNo
		}
		if t := strings.TrimRight(l, " \t"); strings.HasSuffix(t, `\`) {
			buf.WriteString(strings.TrimSuffix(t, `\`) + " ")
			continue
		}
		buf.WriteString(l)
		if !flush() {
			break
		}
	}
	if buf.Len() > 0 {
		flush()
	}
	if err := sc.Err(); err != nil {
		s.report(err)
		code = exitError
	}
	if err := s.finish(); err != nil {
		s.report(err)
		code = exitError
	}
	return code
}

// errQuit ends a script.
var errQuit = errors.New("quit")

// execLine runs one script line: a configuration statement goes to the
// parser as written, anything else is split into words.
func (s *session) execLine(text string, line int) error {
	words, err := splitWords(text)
	if err != nil {
		var se *crmsh.SyntaxError
		if errors.As(err, &se) {
			se.Line = line
		}
		return err
	}
	if len(words) == 0 {
		return nil
	}
	// a statement may be prefixed with its level: "configure primitive ..."
	raw := strings.TrimSpace(text)
	if s.level == "" && words[0] == "configure" && len(words) > 1 && crmsh.IsCommand(words[1]) {
		raw = strings.TrimSpace(strings.TrimPrefix(raw, "configure"))
		return s.withLevel("configure", func() error { return s.statement(raw, line) })
	}
	if s.level == "configure" && crmsh.IsCommand(words[0]) {
		return s.statement(raw, line)
	}
	return s.execWords(words)
}

// withLevel runs fn at a level and comes back.
func (s *session) withLevel(level string, fn func() error) error {
	prev := s.level
	s.level = level
	defer func() { s.level = prev }()
	return fn()
}

// splitWords splits a command line into words, honouring quotes as the
// configuration language does.
func splitWords(text string) ([]string, error) { return crmsh.Words(text) }

// joinWords turns argv words back into a statement the parser reads as
// the shell passed them.
func joinWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = crmsh.Quote(w)
	}
	return strings.Join(q, " ")
}

// execWords runs one command given as words at the current level.
func (s *session) execWords(w []string) error {
	switch w[0] {
	case "quit", "exit", "bye":
		if err := s.finish(); err != nil {
			return err
		}
		return errQuit
	case "end", "up", "cd":
		if s.level == "configure" {
			if err := s.commit(); err != nil {
				return err
			}
		}
		s.level = ""
		if w[0] == "cd" && len(w) > 1 && levels[w[1]] {
			s.level = w[1]
		}
		return nil
	case "status":
		if s.level == "" {
			return s.status(w[1:])
		}
	case "help":
		fmt.Fprintln(s.env.stdout, usage)
		return nil
	}
	if levels[w[0]] && s.level == "" {
		if len(w) == 1 {
			s.level = w[0]
			return nil
		}
		return s.withLevel(w[0], func() error { return s.execWords(w[1:]) })
	}
	switch s.level {
	case "configure":
		return s.configure(w)
	case "node":
		return s.node(w)
	case "resource":
		return s.resource(w)
	}
	return fmt.Errorf("%s: unknown command (try: status, configure, node, resource)", w[0])
}

const usage = `usage: crm [-f FILE] [--run-dir DIR] [-F] [LEVEL] [COMMAND ARGS...]
  crm status [inactive] [failcounts] [bynode]
  crm configure show [xml] [ID...] | edit [ID] | verify | commit | delete ID...
  crm configure load replace|update FILE
  crm configure primitive|group|clone|ms|location|colocation|order|property|rsc_defaults|op_defaults ...
  crm node standby|online [NODE] [reboot|forever]
  crm resource start|stop|move|unmove|clear|cleanup|refresh RSC [NODE]
Without a command, commands are read from standard input (or FILE).`

// finish commits pending configuration changes.
func (s *session) finish() error { return s.commit() }

// findVerify locates hbgo's crm_verify: next to this program first, then
// where `make install` puts the tools Heartbeat did not ship, then PATH.
func findVerify() (string, error) {
	var dirs []string
	if self, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(self))
	}
	dirs = append(dirs, "/usr/lib/hbgo/bin")
	for _, d := range dirs {
		p := filepath.Join(d, "crm_verify")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return exec.LookPath("crm_verify")
}

// runVerify runs crm_verify -V on the document, as crm's verify does.
func runVerify(doc []byte) (string, bool, error) {
	prog, err := findVerify()
	if err != nil {
		return "", false, fmt.Errorf("crm_verify not found: %w", err)
	}
	return verifyWith(prog, doc)
}

// verifyWith runs the crm_verify program prog on the document.
func verifyWith(prog string, doc []byte) (string, bool, error) {
	f, err := os.CreateTemp("", "crm-verify-*.xml")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(doc); err != nil {
		f.Close()
		return "", false, err
	}
	f.Close()
	cmd := exec.Command(prog, "-V", "-x", f.Name())
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(out), false, nil
	}
	if err != nil {
		return string(out), false, err
	}
	return string(out), true, nil
}

// runEditor opens path in $EDITOR (vi when unset) on the terminal.
func runEditor(e *env, path string) error {
	ed := e.getenv("EDITOR")
	if ed == "" {
		ed = e.getenv("VISUAL")
	}
	if ed == "" {
		ed = "vi"
	}
	// EDITOR may carry arguments ("emacs -nw")
	cmd := exec.Command("/bin/sh", "-c", ed+` "$1"`, "editor", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
