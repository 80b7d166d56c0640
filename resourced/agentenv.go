package resourced

import (
	"os"
	"path/filepath"
)

// Environment variables of the agent environment that come from the
// daemon rather than from the operation.
const (
	// EnvSbinDir is where agents look for the cluster's command-line
	// tools (ocf:pacemaker:Stateful runs ${HA_SBIN_DIR}/crm_attribute).
	EnvSbinDir = "HA_SBIN_DIR"
	// EnvVarRun is the agents' run-state directory (ocf-shellfuncs
	// defaults it to /var/run/); several nodes on one host need one each.
	EnvVarRun = "HA_VARRUN"
	// EnvRunDir is the run directory of the daemon that runs the agent;
	// our tools take it as the default of --run-dir, so a tool an agent
	// runs talks to its own node's daemon.
	EnvRunDir = "HBGO_RUN_DIR"
	// EnvNodeName is the daemon's node name, used for
	// OCF_RESKEY_CRM_meta_on_node when the operation does not carry one.
	EnvNodeName = "HBGO_NODE_NAME"
	// envOnNode is how Pacemaker tells an agent (and the crm_attribute it
	// runs) which node it runs on.
	envOnNode = "OCF_RESKEY_CRM_meta_on_node"
)

// AgentEnv is the daemon's part of every agent's environment. Empty
// fields are not passed, so the agent's own defaults apply.
type AgentEnv struct {
	SbinDir  string // HA_SBIN_DIR
	VarRun   string // HA_VARRUN
	RunDir   string // HBGO_RUN_DIR
	NodeName string // OCF_RESKEY_CRM_meta_on_node (OCF only) and HBGO_NODE_NAME
}

// DefaultAgentEnv fills AgentEnv from the daemon's own environment: each
// field from its variable when set; HA_SBIN_DIR otherwise is the directory
// of the running executable (our tools are installed next to the daemon).
// executable is os.Executable in production.
func DefaultAgentEnv(getenv func(string) string, executable func() (string, error)) AgentEnv {
	a := AgentEnv{
		SbinDir:  getenv(EnvSbinDir),
		VarRun:   getenv(EnvVarRun),
		RunDir:   getenv(EnvRunDir),
		NodeName: getenv(EnvNodeName),
	}
	if a.SbinDir == "" && executable != nil {
		if p, err := executable(); err == nil {
			a.SbinDir = filepath.Dir(p)
		}
	}
	return a
}

// merge fills a's empty fields from d.
func (a AgentEnv) merge(d AgentEnv) AgentEnv {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&a.SbinDir, d.SbinDir}, {&a.VarRun, d.VarRun}, {&a.RunDir, d.RunDir}, {&a.NodeName, d.NodeName},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	return a
}

// vars returns the KEY=value entries of the set fields, in a fixed order.
func (a AgentEnv) vars() []string {
	var env []string
	for _, kv := range [][2]string{
		{EnvSbinDir, a.SbinDir}, {EnvVarRun, a.VarRun}, {EnvRunDir, a.RunDir}, {EnvNodeName, a.NodeName},
	} {
		if kv[1] != "" {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env
}

// defaultAgentEnv is DefaultAgentEnv of this process.
func defaultAgentEnv() AgentEnv { return DefaultAgentEnv(os.Getenv, os.Executable) }
