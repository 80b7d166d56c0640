package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/crmd"
	"hbgo/hacf"
	"hbgo/heartbeat/api"
	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/config"
	"hbgo/heartbeat/daemon"
	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/halog"
	"hbgo/heartbeat/rscmgr"
	"hbgo/heartbeat/service"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
	"hbgo/resourced/proc"
)

// exitStopped is what -s returns when no daemon runs (LSB "not running").
const exitStopped = 3

// childEnv marks the re-executed daemon process.
const childEnv = "HBGO_DAEMON_CHILD"

func nodeNameOf(o options) (string, error) {
	if o.nodeName != "" {
		return strings.ToLower(o.nodeName), nil
	}
	return localNodeName()
}

// loadOrReport reads the configuration; on errors it prints them and
// returns nil (the caller exits 6, as 3.0.6 does).
func loadOrReport(o options, node string, stderr io.Writer, env hacf.Env) *config.Loaded {
	loaded, probs := loadConfig(o.configDir, node, env)
	for _, p := range probs {
		fmt.Fprintln(stderr, render(p))
	}
	if probs.Err() != nil {
		fmt.Fprintln(stderr, "heartbeat: Configuration error, heartbeat not started.")
		return nil
	}
	return loaded
}

// startDaemon validates the configuration, then runs the daemon in the
// foreground or detaches a copy of itself and returns once it runs.
func startDaemon(o options, stdout, stderr io.Writer, env hacf.Env) int {
	node, err := nodeNameOf(o)
	if err != nil {
		fmt.Fprintf(stderr, "heartbeat: %v\n", err)
		return exitGeneric
	}
	loaded := loadOrReport(o, node, stderr, env)
	if loaded == nil {
		return exitNotConfigured
	}
	if pid, alive := service.ReadPID(o.runDir); alive {
		fmt.Fprintf(stderr, "heartbeat: already running [pid %d].\n", pid)
		return exitOK
	}
	if !o.foreground && os.Getenv(childEnv) == "" {
		return detach(o, stderr)
	}
	return runForeground(o, node, loaded, stderr)
}

// detach re-executes the binary in the foreground in a new session with
// its output discarded (logs go where ha.cf says), and waits until it has
// written its pid file.
func detach(o options, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "heartbeat: %v\n", err)
		return exitGeneric
	}
	args := append([]string{"--foreground"}, os.Args[1:]...)
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "heartbeat: cannot start: %v\n", err)
		return exitGeneric
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case err := <-exited:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode()
			}
			return exitGeneric
		case <-deadline:
			fmt.Fprintln(stderr, "heartbeat: the daemon did not report start-up within 15s")
			return exitGeneric
		case <-time.After(20 * time.Millisecond):
			if pid, alive := service.ReadPID(o.runDir); alive && pid == cmd.Process.Pid {
				_ = cmd.Process.Release()
				return exitOK
			}
		}
	}
}

func runForeground(o options, node string, loaded *config.Loaded, stderr io.Writer) int {
	cfg := loaded.HaCf
	debug := o.debug > 0 || cfg.Debug > 0
	logger, closeLog, err := halog.Open(halog.Targets{LogFile: cfg.LogFile, DebugFile: cfg.DebugFile,
		Facility: cfg.LogFacility, Stderr: os.Getenv(childEnv) == ""},
		&halog.Formatter{Host: node, Prog: "heartbeat", PID: os.Getpid()}, debug)
	if err != nil {
		fmt.Fprintf(stderr, "heartbeat: cannot open log: %v\n", err)
		return exitGeneric
	}
	defer closeLog()
	log := logrus.NewEntry(logger)
	fail := func(format string, args ...any) int {
		log.Errorf(format, args...)
		fmt.Fprintf(stderr, "heartbeat: "+format+"\n", args...)
		return exitGeneric
	}
	if err := service.WritePID(o.runDir); err != nil {
		return fail("cannot write pid file: %v", err)
	}
	// Agents leave daemons behind (the services themselves); as their
	// subreaper we collect them when they exit instead of leaving zombies.
	if err := proc.EnableSubreaper(); err != nil {
		log.Warnf("cannot become child subreaper: %v", err)
	}
	// Reap on SIGCHLD only: scanning /proc on a timer cost the idle
	// daemon more than all of its heartbeats.
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	go func() {
		for range chld {
			proc.ReapOrphans()
		}
	}()
	// realtime on (the default) runs every thread SCHED_RR, as 3.0.6 does;
	// resource agents are then started back at normal time.
	setDaemonProcs(os.Getenv("GOMAXPROCS"))
	var agentPrefix []string
	if useRealtime(cfg.Realtime, o.noRealtime) {
		if err := service.Realtime(cfg.RTPrio); err != nil {
			log.Warnf("Cannot run with real-time priority: %v", err)
		} else {
			agentPrefix = service.NormalPrefix(exec.LookPath)
			if agentPrefix == nil {
				log.Warn("chrt not found: resource agents inherit the real-time priority")
			}
		}
	}
	defer os.Remove(service.PIDFile(o.runDir))

	uuid, err := service.LoadUUID(o.stateDir, node, cfg.UUIDFrom == "nodename")
	if err != nil {
		return fail("node UUID: %v", err)
	}
	gen, first, err := service.NextGeneration(o.stateDir, time.Now())
	if err != nil {
		return fail("generation: %v", err)
	}
	if first {
		log.Infof("No Previous generation - starting at %d", gen)
	}
	med, err := service.OpenMedia(cfg, log)
	if err != nil {
		return fail("%v", err)
	}
	ping := service.OpenPing(cfg, log)

	var mgr *rscmgr.Manager
	var groups []failover.Group
	if cfg.ManagesResources() && !o.noResources {
		exec := resourced.NewExecutor(resourced.Config{ConfigDir: o.configDir, Log: log.WithField("subsys", "lrm"),
			CommandPrefix: agentPrefix})
		var rg []rscmgr.Group
		for _, g := range loaded.Resources {
			if len(g.Resources) == 0 {
				continue
			}
			tokens := make([]string, len(g.Resources))
			for i, r := range g.Resources {
				tokens[i] = r.Raw
			}
			rg = append(rg, rscmgr.Group{Key: g.Key(), Resources: tokens})
			groups = append(groups, failover.Group{Key: g.Key(), Home: g.Node})
		}
		mgr = rscmgr.New(rg, service.Scripts{Exec: exec}, log.WithField("subsys", "ResourceManager"))
		mgr.Reboot = func(reason string) { rebootNode(log, reason) }
	}
	ipf := false
	var children []hacf.Child
	for _, c := range cfg.Children {
		if filepath.Base(c.Command) == "ipfail" {
			ipf = true // built in: the old client cannot sign on to this daemon
			continue
		}
		children = append(children, c)
	}
	var crmRT *crmd.Runtime
	var crmNew func(func(*wire.Message)) (*crmd.Runtime, error)
	if cfg.PacemakerOn && !o.noResources {
		// crm on: the CIB decides; haresources is not read, as in 3.0.6.
		if crmNew, err = crmRuntime(o, node, cfg, gen, agentPrefix, log, &crmRT); err != nil {
			return fail("%v", err)
		}
	}
	var fencer daemon.Fencer
	if mgr != nil {
		f, err := service.OpenFencer(context.Background(), cfg, log.WithField("subsys", "stonith"))
		if err != nil {
			return fail("%v", err)
		}
		if f != nil {
			fencer = f
		}
	}
	d, err := daemon.New(daemon.Options{Node: node, Config: cfg, Keyring: loaded.Keyring, Groups: groups,
		Media: med, Ping: ping, Clock: clock.Real(), Log: log, UUID: uuid, Gen: gen, Resource: mgr, Fencer: fencer,
		Version: Version, Notify: service.Notify, IPFail: ipf, CRM: crmNew})
	if err != nil {
		return fail("%v", err)
	}
	l, err := api.Listen(o.runDir)
	if err != nil {
		return fail("cannot open the API socket: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = api.Serve(ctx, l, d) }()
	if crmRT != nil {
		b := crmRT.Backend()
		go func() {
			if err := ServeCIB(ctx, o.runDir, b, log.WithField("subsys", "cib")); err != nil && ctx.Err() == nil {
				log.WithField("subsys", "cib").Errorf("CIB socket: %v", err)
			}
		}()
	}

	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() {
		for s := range sig {
			switch s {
			case syscall.SIGHUP:
				reload(o, node, log)
			default:
				log.Infof("Received signal %v: shutting down gracefully", s)
				d.Shutdown()
			}
		}
	}()
	for _, c := range children {
		go service.Respawn(ctx, c, log.WithField("subsys", "respawn"))
	}
	err = d.Run(ctx)
	for _, m := range append(med, ping...) {
		m.Close()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fail("%v", err)
	}
	service.Notify("STOPPING=1")
	return exitOK
}

// reload re-reads the configuration on SIGHUP. A bad configuration is
// refused and the running one kept; a good one is acknowledged (timers,
// media and resources take effect at the next start).
func reload(o options, node string, log *logrus.Entry) {
	_, probs := loadConfig(o.configDir, node, &hacf.OSEnv{})
	if err := probs.Err(); err != nil {
		for _, p := range probs.Errors() {
			log.Error(render(p))
		}
		log.Error("Configuration reload refused: the running configuration is kept")
		return
	}
	log.Info("Configuration re-read: valid (changes to timers, media and resources apply at the next restart)")
}

func rebootNode(log *logrus.Entry, reason string) {
	log.Errorf("CRIT: %s. Reboot required!", reason)
	if os.Getenv("HBGO_NO_REBOOT") != "" {
		log.Error("CRIT: reboot suppressed by HBGO_NO_REBOOT")
		return
	}
	syscall.Sync()
	_ = syscall.Reboot(syscall.LINUX_REBOOT_CMD_RESTART)
}

// killDaemon is -k: ask the daemon to stop and wait until it has released
// its resources and exited.
func killDaemon(o options, stdout io.Writer) int {
	pid, alive := service.ReadPID(o.runDir)
	if !alive {
		fmt.Fprintln(stdout, "Heartbeat already stopped.")
		return exitOK
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		fmt.Fprintf(stdout, "heartbeat: cannot signal pid %d: %v\n", pid, err)
		return exitGeneric
	}
	for syscall.Kill(pid, 0) == nil {
		time.Sleep(100 * time.Millisecond)
	}
	return exitOK
}

// statusDaemon is -s, with 3.0.6's lines and LSB status codes.
func statusDaemon(o options, stdout io.Writer) int {
	pid, alive := service.ReadPID(o.runDir)
	switch {
	case alive:
		host, _ := os.Hostname()
		node, _ := nodeNameOf(o)
		fmt.Fprintf(stdout, "heartbeat OK [pid %d et al] is running on %s [%s]...\n", pid, host, node)
		return exitOK
	case pid > 0:
		fmt.Fprintf(stdout, "heartbeat dead but pid file exists [pid %d]\n", pid)
		return exitGeneric
	}
	fmt.Fprintln(stdout, "heartbeat is stopped. No process")
	return exitStopped
}

// rereadDaemon is -r: validate the configuration and make the running
// daemon re-read it, or start it when none runs.
func rereadDaemon(o options, stdout, stderr io.Writer, env hacf.Env) int {
	node, err := nodeNameOf(o)
	if err != nil {
		fmt.Fprintf(stderr, "heartbeat: %v\n", err)
		return exitGeneric
	}
	pid, alive := service.ReadPID(o.runDir)
	if !alive {
		return startDaemon(o, stdout, stderr, env)
	}
	if loadOrReport(o, node, stderr, env) == nil {
		fmt.Fprintf(stderr, "Config errors: Heartbeat pid %d NOT restarted\n", pid)
		return exitNotConfigured
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		fmt.Fprintf(stderr, "heartbeat: cannot signal pid %d: %v\n", pid, err)
		return exitGeneric
	}
	return exitOK
}
