package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/pflag"

	"hbgo/crm/cibapi"
	"hbgo/crm/status/cibdoc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes and messages of Pacemaker's cibadmin.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 64
	exitNoInput   = 66
	exitOld       = 103 // "Update was older than existing configuration"
	exitNoSuch    = 105 // "No such device or address"
	exitUnsafe    = 107 // dangerous command without --force
	exitExists    = 108 // "File exists"
	exitMalformed = 76
)

// Sentinel errors of the editing operations.
var (
	errNoSuch    = errors.New("No such device or address")
	errOld       = errors.New("Update was older than existing configuration")
	errExists    = errors.New("File exists")
	errMalformed = errors.New("malformed input")
)

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("cibadmin", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	query := fs.BoolP("query", "Q", false, "query the CIB")
	replace := fs.BoolP("replace", "R", false, "replace an object or section")
	modify := fs.BoolP("modify", "M", false, "merge attributes into an object")
	create := fs.BoolP("create", "C", false, "create an object")
	del := fs.BoolP("delete", "D", false, "delete an object")
	erase := fs.BoolP("erase", "E", false, "erase the contents of the CIB")
	patch := fs.BoolP("patch", "P", false, "apply a format-2 patchset")
	force := fs.Bool("force", false, "allow dangerous operations")
	scope := fs.StringP("scope", "o", "", "section to operate on")
	xmlText := fs.StringP("xml-text", "X", "", "XML input as text")
	xmlFile := fs.StringP("xml-file", "x", "", "XML input from a file")
	xmlPipe := fs.BoolP("xml-pipe", "p", false, "XML input from stdin")
	fs.BoolP("allow-create", "c", false, "accepted for compatibility")
	fs.BoolP("sync-call", "s", false, "accepted for compatibility")
	fs.BoolP("local", "l", false, "accepted for compatibility")
	runDir := cibapi.RunDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *erase && !*force {
		// refused before touching the CIB, as Pacemaker's cibadmin does
		fmt.Fprintln(stderr, "The supplied command is considered dangerous.  To prevent accidental destruction of the cluster, the --force flag is required in order to proceed.")
		return exitUnsafe
	}
	src, err := cibdoc.FromEnv(getenv, cibapi.Live(*runDir))
	if err != nil {
		fmt.Fprintf(stderr, "cibadmin: %v\n", err)
		return exitNoInput
	}
	root, err := src.Load()
	if err != nil {
		fmt.Fprintf(stderr, "cibadmin: %v\n", err)
		if code, ok := cibapi.ExitCode(err); ok {
			return code
		}
		return exitNoInput
	}
	before := root.String()
	callFailed := func(err error) int {
		fmt.Fprintf(stderr, "Call failed: %v\n", err)
		switch {
		case errors.Is(err, errNoSuch):
			return exitNoSuch
		case errors.Is(err, errOld):
			return exitOld
		case errors.Is(err, errExists):
			return exitExists
		case errors.Is(err, errMalformed):
			return exitMalformed
		}
		if code, ok := cibapi.ExitCode(err); ok {
			return code
		}
		return exitError
	}
	input := func() (*cibdoc.Element, error) {
		var data []byte
		switch {
		case *xmlText != "":
			data = []byte(*xmlText)
		case *xmlFile != "":
			if data, err = os.ReadFile(*xmlFile); err != nil {
				return nil, fmt.Errorf("%w: %v", errMalformed, err)
			}
		case *xmlPipe:
			if data, err = io.ReadAll(os.Stdin); err != nil {
				return nil, fmt.Errorf("%w: %v", errMalformed, err)
			}
		default:
			return nil, fmt.Errorf("%w: no XML given (-X, -x or -p)", errMalformed)
		}
		e, err := cibdoc.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		return e, nil
	}
	switch {
	case *query:
		fmt.Fprint(stdout, Query(root, *scope).String())
		return exitOK
	case *erase:
		if err := src.Store(Erase(root)); err != nil {
			return callFailed(err)
		}
		return exitOK
	}
	in, err := input()
	if err != nil {
		return callFailed(err)
	}
	var ch cibdoc.Change
	switch {
	case *replace:
		var whole bool
		ch, whole, err = Replace(root, *scope, in)
		if err == nil && whole {
			// the replacement carries its own counters; bump from there
			cibdoc.Bump(in, cibdoc.ConfigChange)
			if err := src.Store(in); err != nil {
				return callFailed(err)
			}
			return exitOK
		}
	case *modify:
		ch, err = Modify(root, *scope, in)
	case *create:
		ch, err = Create(root, *scope, in)
		if errors.Is(err, errExists) {
			fmt.Fprintf(stdout, "<failed>\n  <failed_update id=\"%s\" object_type=\"%s\" operation=\"cib_create\" reason=\"File exists\">\n",
				cibdoc.Escape(in.Attr("id")), in.Name)
			for _, l := range splitLines(in.String()) {
				fmt.Fprintf(stdout, "    %s\n", l)
			}
			fmt.Fprintln(stdout, "  </failed_update>\n</failed>")
		}
	case *del:
		ch, err = Delete(root, *scope, in)
	case *patch:
		ch, err = Patch(root, in)
	default:
		fmt.Fprintln(stderr, "cibadmin: no operation given (-Q, -R, -M, -C, -D, -E)")
		return exitUsage
	}
	if err != nil {
		return callFailed(err)
	}
	if err := cibdoc.Commit(src, before, root, ch); err != nil {
		return callFailed(err)
	}
	return exitOK
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// atoi reads a version counter, 0 when absent.
func atoi(e *cibdoc.Element, name string) int {
	n, _ := strconv.Atoi(e.Attr(name))
	return n
}
