package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"hbgo/crm/cibstore"
	"hbgo/hacf"
	"hbgo/haresources"
	"hbgo/haresources/tocib"
	"hbgo/internal/problem"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	configDir string
	nodeName  string
	output    string
	dryRun    bool
	force     bool
	lenient   bool
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := pflag.NewFlagSet("hb2cib", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.configDir, "config-dir", tocib.DefaultConfigDir, "directory holding ha.cf, haresources and resource.d")
	fs.StringVar(&o.nodeName, "node-name", "", "local node name (default: uname -n, lower-cased)")
	fs.StringVarP(&o.output, "output", "o", "", "write the CIB to FILE (default: standard output)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the warnings only, write no CIB")
	fs.BoolVar(&o.force, "force", false, "overwrite an existing output file")
	fs.BoolVar(&o.lenient, "lenient", false, "read ha.cf without checking interfaces, host names, users and programs on this host")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hb2cib [--config-dir DIR] [--node-name NAME] [-o FILE [--force]] [--dry-run] [--lenient]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return 0
		}
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hb2cib: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 1
	}
	if o.nodeName == "" {
		h, err := os.Hostname()
		if err != nil {
			fmt.Fprintf(stderr, "hb2cib: uname -n: %v\n", err)
			return 1
		}
		o.nodeName = strings.ToLower(h)
	}
	cib, warns, err := convert(o)
	if err != nil {
		printErr(stderr, err)
		return 1
	}
	warnOut := stderr
	if o.dryRun {
		warnOut = stdout
	}
	for _, w := range warns {
		fmt.Fprintln(warnOut, w)
	}
	if o.dryRun {
		return 0
	}
	data := cib.XML()
	if o.output == "" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintf(stderr, "hb2cib: %v\n", err)
			return 1
		}
		return 0
	}
	if err := writeFile(o.output, data, o.force); err != nil {
		fmt.Fprintf(stderr, "hb2cib: %v\n", err)
		return 1
	}
	return 0
}

// printErr prints a problem list one problem per line, anything else as
// one line.
func printErr(w io.Writer, err error) {
	if l, ok := problem.AsList(err); ok {
		for _, p := range l.Errors() {
			fmt.Fprintln(w, p.Error())
		}
		return
	}
	fmt.Fprintf(w, "hb2cib: %v\n", err)
}

// convert reads the configuration and runs the conversion; problems of the
// input files come back as a problem list error.
func convert(o options) (*tocib.CIB, []tocib.Warning, error) {
	cfPath := filepath.Join(o.configDir, "ha.cf")
	hrPath := filepath.Join(o.configDir, "haresources")
	var env hacf.Env = &hacf.OSEnv{}
	if o.lenient {
		env = &tocib.LenientEnv{}
	}
	var warns []tocib.Warning
	cfg, probs := hacf.ParseFile(cfPath, hacf.Options{File: cfPath, NodeName: o.nodeName, Env: env})
	if err := probs.Err(); err != nil {
		return nil, nil, err
	}
	warns = append(warns, fromProblems(probs.Warnings())...)
	// hacf keeps only the stonith_host lines of the node it parsed for;
	// the CIB needs the devices of every node.
	views := []*hacf.Config{cfg}
	for _, n := range cfg.Nodes {
		if n.Name == o.nodeName {
			continue
		}
		v, p := hacf.ParseFile(cfPath, hacf.Options{File: cfPath, NodeName: n.Name, Env: env})
		if err := p.Err(); err != nil {
			return nil, nil, err
		}
		views = append(views, v)
	}
	cfg.StonithHosts = tocib.MergeStonithHosts(views...)

	groups, hp := haresources.Load(hrPath)
	if err := hp.Err(); err != nil {
		return nil, nil, err
	}
	warns = append(warns, fromProblems(hp.Warnings())...)
	cib, cw, err := tocib.Convert(cfg, groups, tocib.Options{
		Host: &tocib.OSHost{}, ConfigDir: o.configDir, HaresourcesFile: hrPath, HacfFile: cfPath,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", cfPath, err)
	}
	return cib, append(warns, cw...), nil
}

func fromProblems(l problem.List) []tocib.Warning {
	out := make([]tocib.Warning, 0, len(l))
	for _, p := range l {
		msg := p.Msg
		if p.Directive != "" {
			msg = p.Directive + ": " + msg
		}
		out = append(out, tocib.Warning{File: p.File, Line: p.Line, Msg: msg})
	}
	return out
}

// writeFile writes the CIB next to its final place and renames it, so a
// reader never sees half a file. The CIB is private to the cluster user
// (mode 0600, as Pacemaker keeps it). Written as <state-dir>/crm/cib.xml,
// a digest file left there by an earlier crm run would no longer match and
// the daemon would set the new CIB aside as damaged: it is removed, so the
// daemon takes the file as unsigned and signs it on its first save.
func writeFile(path string, data []byte, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hb2cib-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if filepath.Base(path) == cibstore.FileName {
		sig := filepath.Join(filepath.Dir(path), cibstore.SigName)
		if err := os.Remove(sig); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the stale digest: %w", err)
		}
	}
	return nil
}
