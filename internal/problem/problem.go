// Package problem is the shared report type of the config parsers (ha.cf,
// authkeys, haresources): each problem names the file, the line, the
// directive, what is wrong and how to fix it, and is either an error (the
// daemon refuses to start, as 3.0.6 would) or a warning (advice only).
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Severity separates fatal problems from advice.
type Severity int

const (
	// Error makes the configuration unusable: 3.0.6 refuses to start.
	Error Severity = iota
	// Warning is advice; 3.0.6 starts anyway.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding in a config file. Line is 0 when the problem is
// about the file as a whole (missing file, permissions, missing directive).
type Problem struct {
	Severity  Severity
	File      string
	Line      int
	Directive string // may be empty
	Msg       string
	Hint      string // how to fix it; may be empty
}

// Error renders FILE:LINE: directive: message (hint).
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Directive != "" {
		b.WriteString(p.Directive)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString(" (")
		b.WriteString(p.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// List collects problems in the order found.
type List []Problem

// Errorf appends an error.
func (l *List) Errorf(file string, line int, directive, hint, format string, args ...any) {
	*l = append(*l, Problem{Severity: Error, File: file, Line: line, Directive: directive, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Warnf appends a warning.
func (l *List) Warnf(file string, line int, directive, hint, format string, args ...any) {
	*l = append(*l, Problem{Severity: Warning, File: file, Line: line, Directive: directive, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Errors returns the fatal problems.
func (l List) Errors() List { return l.filter(Error) }

// Warnings returns the advisory problems.
func (l List) Warnings() List { return l.filter(Warning) }

func (l List) filter(s Severity) List {
	var out List
	for _, p := range l {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Err returns nil when the list holds no error, else an error whose text
// lists every error, one per line; errors.As finds the *Errs behind it.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &Errs{List: errs}
}

// Errs is the error value of a list holding at least one error.
type Errs struct{ List List }

func (e *Errs) Error() string {
	lines := make([]string, len(e.List))
	for i, p := range e.List {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// AsList extracts the problem list behind err, if any.
func AsList(err error) (List, bool) {
	var e *Errs
	if errors.As(err, &e) {
		return e.List, true
	}
	return nil, false
}
