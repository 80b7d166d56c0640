package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/cibapi"
	"hbgo/crm/status/cibdoc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes as Pacemaker's tools use them.
const (
	exitOK      = 0
	exitUsage   = 64
	exitNoInput = 66
	exitConfig  = 78 // CRM_EX_CONFIG: the configuration is invalid
)

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("crm_verify", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	live := fs.BoolP("live-check", "L", false, "check the CIB of the running cluster (CIB_file when set)")
	xmlFile := fs.StringP("xml-file", "x", "", "check the CIB in FILE")
	verbose := fs.CountP("verbose", "V", "more detail")
	runDir := cibapi.RunDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var src cibdoc.Source
	switch {
	case *xmlFile != "":
		src = cibdoc.FileSource{Path: *xmlFile}
	case *live:
		var err error
		if src, err = cibdoc.FromEnv(getenv, cibapi.Live(*runDir)); err != nil {
			fmt.Fprintf(stderr, "crm_verify: %v\n", err)
			return exitNoInput
		}
	default:
		fmt.Fprintln(stderr, "crm_verify: one of -L or -x FILE is required")
		return exitUsage
	}
	errs, findings := check(src)
	if len(errs) == 1 {
		// the live CIB could not be read at all: no verdict on it
		if code, ok := cibapi.ExitCode(errs[0]); ok {
			fmt.Fprintf(stderr, "crm_verify: %v\n", errs[0])
			return code
		}
	}
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintf(stderr, "error: %v\n", e)
		}
		fmt.Fprintln(stderr, "crm_verify: Errors found during check: config not valid")
		fmt.Fprintln(stderr, "-V may provide more details")
		return exitConfig
	}
	if len(findings) == 0 {
		return exitOK
	}
	anyErr := false
	for _, f := range findings {
		kind := "warning"
		if f.err {
			kind, anyErr = "error", true
		}
		if *verbose > 0 {
			fmt.Fprintf(stderr, "%s: %s\n", kind, f.msg)
		}
	}
	if anyErr {
		fmt.Fprintln(stderr, "crm_verify: Errors found during check: config not valid")
	} else {
		fmt.Fprintln(stderr, "crm_verify: Warnings found during check: config may not be valid")
	}
	if *verbose == 0 {
		fmt.Fprintln(stderr, "-V may provide more details")
	}
	return exitConfig
}

// check returns the problems that make the CIB unusable, and, for a
// usable one, what the scheduler would complain about.
func check(src cibdoc.Source) ([]error, []finding) {
	root, err := src.Load()
	if err != nil {
		return []error{err}, nil
	}
	if root.Name != "cib" {
		return []error{fmt.Errorf("root element is <%s>, not <cib>", root.Name)}, nil
	}
	var errs []error
	conf := root.Child("configuration")
	if conf == nil {
		return []error{fmt.Errorf("<cib> has no <configuration>")}, nil
	}
	for _, sec := range []string{"crm_config", "nodes", "resources", "constraints"} {
		if conf.Child(sec) == nil {
			errs = append(errs, fmt.Errorf("<configuration> has no <%s>", sec))
		}
	}
	if len(errs) > 0 {
		return errs, nil
	}
	c, err := cib.Parse(bytes.NewReader([]byte(root.String())))
	if err != nil {
		return []error{err}, nil
	}
	return nil, semantic(c, root)
}
