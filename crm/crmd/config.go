package crmd

import (
	"time"

	"hbgo/crm/controller"
	"hbgo/hacf"
)

// ControllerConfig derives the controller's timers from ha.cf as the
// controller's doc recommends: StartupWait = initdead, JoinTimeout about
// deadtime/4, RetryInterval about deadtime/2; nodes from the node lines,
// ping nodes from ping and ping_group.
func ControllerConfig(cfg *hacf.Config, self string) controller.Config {
	var nodes []string
	for _, n := range cfg.Nodes {
		nodes = append(nodes, n.Name)
	}
	c := controller.DefaultConfig(self, nodes)
	for _, p := range cfg.PingNodes {
		c.PingNodes = append(c.PingNodes, p.Name)
	}
	if cfg.Deadtime > 0 {
		c.JoinTimeout = max(cfg.Deadtime/4, 100*time.Millisecond)
		c.RetryInterval = max(cfg.Deadtime/2, 200*time.Millisecond)
		c.RequestTimeout = max(30*cfg.Deadtime, 30*time.Second)
	}
	c.StartupWait = cfg.Initdead
	return c
}
