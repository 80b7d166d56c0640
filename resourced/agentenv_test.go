package resourced

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultAgentEnv(t *testing.T) {
	exe := func() (string, error) { return "/opt/hbgo/bin/heartbeat", nil }
	noExe := func() (string, error) { return "", errors.New("no /proc") }
	for _, c := range []struct {
		name string
		env  map[string]string
		exe  func() (string, error)
		want AgentEnv
	}{
		{"executable's dir", nil, exe, AgentEnv{SbinDir: "/opt/hbgo/bin"}},
		{"env overrides", map[string]string{EnvSbinDir: "/usr/sbin", EnvVarRun: "/v", EnvRunDir: "/r", EnvNodeName: "n1"}, exe,
			AgentEnv{SbinDir: "/usr/sbin", VarRun: "/v", RunDir: "/r", NodeName: "n1"}},
		{"no executable", map[string]string{EnvRunDir: "/r"}, noExe, AgentEnv{RunDir: "/r"}},
	} {
		got := DefaultAgentEnv(func(k string) string { return c.env[k] }, c.exe)
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	a := AgentEnv{RunDir: "/mine"}.merge(AgentEnv{RunDir: "/env", SbinDir: "/s"})
	if a != (AgentEnv{RunDir: "/mine", SbinDir: "/s"}) {
		t.Errorf("merge: %+v", a)
	}
}

// TestAgentEnvReachesAgents: OCF agents and init scripts both see the
// daemon's part; only OCF agents are told the node, and an operation's own
// on_node wins.
func TestAgentEnvReachesAgents(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "resource.d", "test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nenv | sort\nexit 0\n"
	if err := os.WriteFile(filepath.Join(dir, "envdump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	e, cfg := testExecutor(t, func(c *Config) {
		c.OCFRoot = root
		c.Agent = AgentEnv{SbinDir: "/sbin-dir", VarRun: "/varrun", RunDir: "/run-dir", NodeName: "n2"}
	})
	if err := os.WriteFile(filepath.Join(cfg.InitDir, "envdump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	common := []string{"HA_SBIN_DIR=/sbin-dir", "HA_VARRUN=/varrun", "HBGO_RUN_DIR=/run-dir", "HBGO_NODE_NAME=n2"}
	ocfOp := Op{Resource: "r1", Agent: Agent{ClassOCF, "test", "envdump"}, Action: ActionStart, Timeout: 10 * time.Second}
	r := e.Run(context.Background(), ocfOp)
	for _, want := range append(common, envOnNode+"=n2") {
		if !strings.Contains(r.Stdout, want+"\n") {
			t.Errorf("ocf environment lacks %q:\n%s", want, r.Stdout)
		}
	}
	ocfOp.Meta = map[string]string{"on_node": "n3"}
	r = e.Run(context.Background(), ocfOp)
	if strings.Count(r.Stdout, envOnNode+"=") != 1 || !strings.Contains(r.Stdout, envOnNode+"=n3\n") {
		t.Errorf("the operation's on_node must be the only one:\n%s", r.Stdout)
	}
	r = e.Run(context.Background(), Op{Resource: "r2", Agent: Agent{Class: ClassLSB, Type: "envdump"}, Action: ActionStart, Timeout: 10 * time.Second})
	for _, want := range common {
		if !strings.Contains(r.Stdout, want+"\n") {
			t.Errorf("lsb environment lacks %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, envOnNode) {
		t.Errorf("init script told the OCF node variable:\n%s", r.Stdout)
	}
}
