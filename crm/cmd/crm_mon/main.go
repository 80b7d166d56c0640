package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/crm/cib"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr, time.Now()))
}

// Exit codes as Pacemaker's tools use them.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 64
	exitNoInput = 66
)

func run(args []string, getenv func(string) string, stdout, stderr io.Writer, now time.Time) int {
	fs := pflag.NewFlagSet("crm_mon", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	oneShot := fs.BoolP("one-shot", "1", false, "display the cluster status once and exit")
	inactive := fs.BoolP("inactive", "r", false, "display inactive resources")
	failcounts := fs.BoolP("failcounts", "f", false, "display resource fail counts")
	byNode := fs.BoolP("group-by-node", "n", false, "group resources by node")
	outputAs := fs.String("output-as", "text", "output type: text or xml")
	xmlFile := fs.StringP("xml-file", "x", "", "read the CIB from FILE instead of CIB_file")
	asXML := fs.BoolP("as-xml", "X", false, "same as --output-as=xml")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	_ = oneShot // offline reads are always one-shot
	if *asXML {
		*outputAs = "xml"
	}
	var src cibdoc.Source
	if *xmlFile != "" {
		src = cibdoc.FileSource{Path: *xmlFile}
	} else {
		var err error
		if src, err = cibdoc.FromEnv(getenv, nil); err != nil {
			fmt.Fprintf(stderr, "crm_mon: %v\n", err)
			return exitNoInput
		}
	}
	root, err := src.Load()
	if err != nil {
		fmt.Fprintf(stderr, "crm_mon: %v\n", err)
		return exitNoInput
	}
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		fmt.Fprintf(stderr, "crm_mon: invalid CIB: %v\n", err)
		return exitError
	}
	cl := status.Compute(c, root)
	opts := render.Options{Inactive: *inactive, FailCounts: *failcounts, ByNode: *byNode, Now: now,
		Request: "crm_mon " + strings.Join(args, " ")}
	switch *outputAs {
	case "xml":
		render.XML(stdout, cl, opts)
	case "text":
		render.Text(stdout, cl, opts)
	default:
		fmt.Fprintf(stderr, "crm_mon: unknown output format %q\n", *outputAs)
		return exitUsage
	}
	return exitOK
}
