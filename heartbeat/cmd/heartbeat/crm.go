package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cibapi"
	"hbgo/crm/crmd"
	"hbgo/crm/tengine"
	"hbgo/hacf"
	"hbgo/heartbeat/config"
	"hbgo/heartbeat/service"
	"hbgo/heartbeat/wire"
	"hbgo/internal/problem"
	"hbgo/resourced"
)

// crmDaemons are the Pacemaker 1.x children `crm on` makes 3.0.6 look
// for; this heartbeat has them built in.
var crmDaemons = map[string]bool{"ccm": true, "cib": true, "stonithd": true, "lrmd": true, "attrd": true, "crmd": true}

// builtinCRMEnv answers the configuration check's question "is the
// Pacemaker daemon X installed" with yes: the crm runs inside this daemon,
// so `crm on` must not be refused for lack of the 1.x binaries. Every other
// question goes to the real environment.
type builtinCRMEnv struct{ hacf.Env }

func (e builtinCRMEnv) Executable(path string) bool {
	if crmDaemons[filepath.Base(path)] {
		return true
	}
	return e.Env.Executable(path)
}

// loadConfig reads the configuration directory for a daemon that runs
// (start, reload): the crm is built in. The -c check keeps 3.0.6's verdict.
func loadConfig(dir, node string, env hacf.Env) (*config.Loaded, problem.List) {
	return config.Load(dir, node, builtinCRMEnv{env})
}

// ServeCIB serves the tools' CIB socket (cibadmin, crm_mon, crm_standby
// ...) in the run directory until ctx ends.
func ServeCIB(ctx context.Context, runDir string, b crmd.Backend, log *logrus.Entry) error {
	return cibapi.Serve(ctx, cibapi.SocketPath(runDir), b, log)
}

// CRMVersion is the dc-version crm mode records: the Heartbeat release it
// replaces, and what runs it.
const CRMVersion = "3.0.6-hbgo"

// crmRuntime returns the daemon's constructor of the crm runtime for
// `crm on`: the CIB under <state dir>/crm, agents run by the local
// resource executor, fencing with the ha.cf STONITH devices.
func crmRuntime(o options, node string, cfg *hacf.Config, gen uint64, agentPrefix []string, log *logrus.Entry,
	rt **crmd.Runtime) (func(func(*wire.Message)) (*crmd.Runtime, error), error) {
	// HA_RSCTMP in our environment chooses where agents keep their state
	// (as it does for the agents themselves); several nodes on one host
	// (test namespaces) need one each.
	exec := resourced.NewExecutor(resourced.Config{ConfigDir: o.configDir, Log: log.WithField("subsys", "lrmd"),
		CommandPrefix: agentPrefix, StateDir: os.Getenv("HA_RSCTMP"),
		// Agents that call our tools (Stateful's crm_attribute) reach this
		// daemon, and know the node by its cluster name.
		Agent: resourced.AgentEnv{RunDir: o.runDir, NodeName: node}})
	var fencer crmd.Fencer
	f, err := service.OpenFencer(context.Background(), cfg, log.WithField("subsys", "stonithd"))
	if err != nil {
		return nil, err
	}
	if f != nil {
		fencer = tengine.StonithFencer{Devices: f.Devices, Log: log.WithField("subsys", "stonithd")}
	}
	return func(send func(*wire.Message)) (*crmd.Runtime, error) {
		r, err := crmd.New(crmd.Config{Controller: crmd.ControllerConfig(cfg, node), CIBDir: filepath.Join(o.stateDir, "crm"),
			Send: send, Manager: resourced.ManagerConfig{Runner: exec, MetaData: exec.MetaData}, Fencer: fencer,
			Instance: strconv.FormatUint(gen, 10), Log: log, Version: CRMVersion}, time.Now())
		*rt = r
		return r, err
	}, nil
}
