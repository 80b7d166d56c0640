package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"hbgo/stonith"
	"hbgo/stonith/registry"
)

// optstring is cluster-glue 1.0.12's option set.
const optstring = "c:F:p:t:T:EsnSlLmvhVd"

// version is what -V prints: the cluster-glue release we are compatible
// with, and our build in place of its changeset id.
const version = "stonith: 1.0.12 (hbgo)"

// maxNVArgs is cluster-glue's limit on name=value arguments.
const maxNVArgs = 50

// cli is one invocation's state.
type cli struct {
	ctx     context.Context
	cmdname string
	stdout  *bufio.Writer
	stderr  io.Writer
	sink    *sink
	reg     *registry.Registry
	lookup  func(string) (string, bool)
}

// run executes the stonith command line argv and returns the exit status.
func run(ctx context.Context, argv []string, stdout, stderr io.Writer, s *sink, reg *registry.Registry, lookup func(string) (string, bool)) (code int) {
	c := &cli{ctx: ctx, cmdname: filepath.Base(argv[0]), stdout: bufio.NewWriter(stdout), stderr: stderr, sink: s, reg: reg, lookup: lookup}
	defer func() {
		_ = c.stdout.Flush()
		if r := recover(); r != nil {
			e, ok := r.(exitf)
			if !ok {
				panic(r)
			}
			code = e.code
		}
	}()
	log := newLogger(s)
	reg.Log = log
	return c.main(argv)
}

func (c *cli) exit(code int) { panic(exitf{code}) }

func (c *cli) logf(p prio, format string, args ...any) { c.sink.write(p, fmt.Sprintf(format, args...)) }

func (c *cli) main(argv []string) int {
	var (
		switchType, optfile, parameters string
		haveOptfile, haveParams         bool
		action                          = stonith.Reset
		status, silent, listhosts       bool
		listtypes, listnames, metadata  bool
		paramsFromEnv, help             bool
		errors                          int
		count                           = 1
	)
	opts, rest := getopt(argv[0], optstring, argv[1:])
	for _, o := range opts {
		switch o.Opt {
		case 'c':
			count = atoi(o.Arg)
			if count < 1 {
				fmt.Fprintf(c.stderr, "bad count [%s]\n", o.Arg)
				c.usage(1, "")
			}
		case 'd':
			c.sink.debug = true
		case 'F':
			optfile, haveOptfile = o.Arg, true
		case 'E':
			paramsFromEnv = true
		case 'h':
			help = true
		case 'm':
			metadata = true
		case 'l':
			listhosts = true
		case 'L':
			listtypes = true
		case 'p':
			parameters, haveParams = o.Arg, true
		case 's':
			silent = true
		case 'S':
			status = true
		case 't':
			switchType = o.Arg
		case 'T':
			a, err := stonith.ParseAction(o.Arg)
			if err != nil {
				fmt.Fprintf(c.stderr, "bad reset type [%s]\n", o.Arg)
				c.usage(1, "")
			}
			action = a
		case 'n':
			listnames = true
		case 'v':
		case 'V':
			fmt.Fprintln(c.stdout, version)
			c.exit(0)
		default:
			fmt.Fprintln(c.stderr, o.Err)
			errors++
		}
	}
	if help && errors == 0 {
		c.usage(0, switchType)
	}
	if (haveOptfile && haveParams) || (haveOptfile && paramsFromEnv) || (paramsFromEnv && haveParams) {
		fmt.Fprintf(c.stderr, "Please use just one of -F, -p, and -E options\n")
		c.usage(1, "")
	}
	nv := stonith.Params{}
	nvcount := 0
	for len(rest) > 0 {
		name, value, ok := stonith.ParseNameValue(rest[0])
		if !ok {
			break
		}
		if haveParams || haveOptfile || paramsFromEnv {
			fmt.Fprintf(c.stderr, "Cannot mix name=value and -p, -F, or -E style arguments\n")
			c.usage(1, "")
		}
		if nvcount >= maxNVArgs {
			fmt.Fprintf(c.stderr, "Too many name=value style arguments\n")
			c.exit(1)
		}
		// cluster-glue keeps the first of repeated names.
		if _, dup := nv[name]; !dup {
			nv[name] = value
		}
		nvcount++
		rest = rest[1:]
	}
	if !(len(rest) == 1 || (len(rest) < 1 && (status || listhosts || listtypes || listnames || metadata))) {
		errors++
	}
	if errors > 0 {
		c.usage(1, "")
	}
	if listtypes {
		for _, t := range c.reg.Types() {
			fmt.Fprintln(c.stdout, t)
		}
		c.exit(0)
	}
	if switchType == "" {
		c.logf(prioErr, "Must specify device type (-t option)")
		c.usage(1, "")
	}
	drv, err := c.reg.Lookup(switchType)
	if err != nil {
		c.logf(prioErr, "Invalid device type: '%s'", switchType)
		c.exit(stonith.Oops.ExitStatus())
	}
	names, namesErr := drv.ConfigNames(c.ctx)
	if !listnames && !metadata && !haveOptfile && !haveParams && !paramsFromEnv && nvcount == 0 {
		if namesErr != nil || len(names) > 0 {
			fmt.Fprintf(c.stderr, "Must specify either -p option, -F option, -E option, or name=value style arguments\n")
			c.usage(1, "")
		}
	}
	if listnames {
		for _, n := range names {
			fmt.Fprintf(c.stdout, "%s  ", n)
		}
		fmt.Fprintln(c.stdout)
		c.exit(0)
	}
	if metadata {
		c.printMeta(drv, switchType)
		c.exit(0)
	}

	var dev stonith.Device
	switch {
	case haveOptfile:
		dev = c.configFromFile(drv, switchType, optfile, names, namesErr)
	case paramsFromEnv:
		if namesErr != nil {
			fmt.Fprintf(c.stderr, "Invalid config info for %s device.\n", switchType)
			c.exit(1)
		}
		dev, err = drv.New(c.ctx, stonith.FromEnv(names, c.lookup))
		if err != nil {
			fmt.Fprintf(c.stderr, "Invalid config info for %s device\n", switchType)
		}
	case haveParams:
		var p stonith.Params
		if namesErr == nil {
			p, err = stonith.ParsePositional(names, parameters)
		}
		if namesErr != nil || err != nil {
			fmt.Fprintf(c.stderr, "Invalid STONITH -p parameter [%s]\n", parameters)
			c.exit(1)
		}
		dev, err = drv.New(c.ctx, p)
		if err != nil {
			fmt.Fprintf(c.stderr, "Invalid config info for %s device\n", switchType)
		}
	default:
		dev, err = drv.New(c.ctx, nv)
		if err != nil {
			fmt.Fprintf(c.stderr, "Invalid config info for %s device\n", switchType)
			if namesErr == nil {
				fmt.Fprintf(c.stderr, "Valid config names are:\n")
				for _, n := range names {
					fmt.Fprintf(c.stderr, "\t%s\n", n)
				}
			}
			c.exit(stonith.CodeOf(err).ExitStatus())
		}
	}

	rc := stonith.OK
	for j := 0; j < count; j++ {
		rc = stonith.OK
		if status {
			rc = stonith.Inval // an unconfigured device, as cluster-glue
			if dev != nil {
				rc = stonith.CodeOf(dev.Status(c.ctx))
			}
			if !silent {
				if rc == stonith.OK {
					p := prioDebug
					if c.sink.terminal {
						p = prioInfo
					}
					c.logf(p, "%s device OK.", switchType)
				} else {
					c.logf(prioErr, "%s device not accessible.", switchType)
				}
			}
		}
		if listhosts {
			var hosts []string
			var herr error = stonith.ErrInval
			if dev != nil {
				hosts, herr = dev.Hosts(c.ctx)
			}
			if herr != nil {
				c.logf(prioErr, "Could not list hosts for %s.", switchType)
				rc = stonith.Unexpected
			} else {
				for _, h := range hosts {
					fmt.Fprintln(c.stdout, h)
				}
			}
		}
		if len(rest) == 1 {
			node := stonith.Lower(rest[0])
			rc = stonith.Inval
			if dev != nil {
				rc = stonith.CodeOf(dev.Fence(c.ctx, action, node))
			}
		}
		_ = c.stdout.Flush()
	}
	return rc.ExitStatus()
}

// configFromFile applies -F: any failure is S_BADCONFIG.
func (c *cli) configFromFile(drv stonith.Driver, switchType, optfile string, names []string, namesErr error) stonith.Device {
	fail := func() {
		c.logf(prioErr, "Invalid config file for %s device.", switchType)
		c.exit(stonith.BadConfig.ExitStatus())
	}
	f, err := os.Open(optfile)
	if err != nil {
		c.logf(prioCrit, "Cannot open %s", optfile)
		fail()
	}
	defer f.Close()
	if namesErr != nil {
		fail()
	}
	p, err := stonith.ParseConfigFile(names, f)
	if err != nil {
		fail()
	}
	dev, err := drv.New(c.ctx, p)
	if err != nil {
		fail()
	}
	return dev
}

// atoi is C's atoi: leading blanks, optional sign, digits; 0 otherwise.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil {
		return 0
	}
	return n
}
