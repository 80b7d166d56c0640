// Command hbgo-lrm runs one resource agent operation through the local
// resource manager's executor and prints the typed result, in the spirit
// of cluster-glue's lrmadmin -E. Its exit status is the OCF exit code
// (or 1 for a malformed command line).
//
//	hbgo-lrm [flags] AGENT ACTION
//	hbgo-lrm -r vip -p ip=198.51.100.7 -p cidr_netmask=24 ocf:heartbeat:IPaddr2 start
//	hbgo-lrm heartbeat:IPaddr::198.51.100.7/24/eth0 status
//	hbgo-lrm --meta-data ocf:heartbeat:Dummy
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hbgo/resourced"
	"hbgo/resourced/proc"
	"hbgo/resourced/systemd"
)

func main() {
	_ = proc.EnableSubreaper()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("hbgo-lrm", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := resourced.DefaultConfig()
	rsc := fs.StringP("resource", "r", "", "resource id (OCF_RESOURCE_INSTANCE); default: the agent type")
	params := fs.StringArrayP("param", "p", nil, "instance parameter name=value (repeatable)")
	timeout := fs.Duration("timeout", 20*time.Second, "operation timeout")
	interval := fs.Duration("interval", 0, "monitor interval (0 = probe)")
	depth := fs.Int("depth", 0, "monitor depth (OCF_CHECK_LEVEL)")
	metaData := fs.Bool("meta-data", false, "print the agent's parsed meta-data instead of running an action")
	verbose := fs.BoolP("verbose", "v", false, "also print the agent's stdout and stderr")
	busAddr := fs.String("bus", "", "D-Bus address for systemd: agents (default: the system bus)")
	fs.StringVar(&cfg.OCFRoot, "ocf-root", cfg.OCFRoot, "OCF root directory")
	fs.StringVar(&cfg.ConfigDir, "config-dir", cfg.ConfigDir, "heartbeat configuration directory (resource.d below it)")
	fs.StringVar(&cfg.InitDir, "init-dir", cfg.InitDir, "init script directory")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	want := 2
	if *metaData {
		want = 1
	}
	if fs.NArg() != want {
		fmt.Fprintln(stderr, "usage: hbgo-lrm [flags] AGENT ACTION | hbgo-lrm --meta-data AGENT")
		fs.PrintDefaults()
		return 1
	}
	agentArg := fs.Arg(0)
	var hbArgs []string
	if strings.HasPrefix(agentArg, "heartbeat:") {
		// heartbeat:NAME::arg::arg, as in haresources.
		name, a := resourced.ParseHeartbeatResource(strings.TrimPrefix(agentArg, "heartbeat:"))
		agentArg, hbArgs = "heartbeat:"+name, a
	}
	agent, err := resourced.ParseAgent(agentArg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ctx := context.Background()
	if agent.Class == resourced.ClassSystemd {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		c, err := systemd.Dial(dctx, *busAddr, systemd.Config{})
		cancel()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer c.Close()
		cfg.Systemd = c
	}
	e := resourced.NewExecutor(cfg)
	if *metaData {
		md, err := e.MetaData(ctx, agent)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if md == nil {
			fmt.Fprintf(stderr, "%s has no meta-data\n", agent)
			return 1
		}
		fmt.Fprintf(stdout, "agent %s (%s)\n", md.Name, md.ShortDesc)
		for _, p := range md.Parameters {
			fmt.Fprintf(stdout, "param %s type=%s required=%v unique=%v default=%q\n", p.Name, p.Type, p.Required, p.Unique, p.Default)
		}
		for _, a := range md.Actions {
			fmt.Fprintf(stdout, "action %s timeout=%v interval=%v depth=%d role=%s\n", a.Name, a.Timeout, a.Interval, a.Depth, a.Role)
		}
		return 0
	}
	op := resourced.Op{
		Resource: *rsc, Agent: agent, Action: fs.Arg(1), Args: hbArgs,
		Timeout: *timeout, Interval: *interval, Depth: *depth, Params: map[string]string{},
	}
	if op.Resource == "" {
		op.Resource = agent.Type
	}
	for _, kv := range *params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			fmt.Fprintf(stderr, "parameter %q is not name=value\n", kv)
			return 1
		}
		op.Params[k] = v
	}
	r := e.Run(ctx, op)
	fmt.Fprintf(stdout, "rc=%d (%s) status=%s duration=%v", int(r.RC), r.RC, r.Status, r.Duration.Round(time.Millisecond))
	if r.ExitReason != "" {
		fmt.Fprintf(stdout, " reason=%q", r.ExitReason)
	}
	fmt.Fprintln(stdout)
	if *verbose {
		fmt.Fprintf(stdout, "--- stdout\n%s--- stderr\n%s", r.Stdout, r.Stderr)
	}
	return int(r.RC)
}
