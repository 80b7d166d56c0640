package daemon

import (
	"sort"

	"hbgo/heartbeat/api"
	"hbgo/heartbeat/membership"
)

// snapshot builds the client view. cl_status lists nodes in the reverse of
// their declaration order in ha.cf (ping lines included), as 3.0.6 does.
func (d *Daemon) snapshot() api.Snapshot {
	s := api.Snapshot{Version: d.opt.Version, ManagedBy: "haresources", RscStatus: d.fo.Status(),
		Params: map[string]string{}}
	if d.cfg.PacemakerOn {
		s.ManagedBy, s.CRMValue = "pacemaker", d.cfg.Pacemaker
	}
	if d.opt.Resource == nil {
		s.RscStatus = "none"
	}
	for k, v := range d.cfg.Params {
		s.Params[k] = v.Raw
	}
	type decl struct {
		line int
		name string
	}
	var order []decl
	for _, n := range d.cfg.Nodes {
		order = append(order, decl{n.Line, n.Name})
	}
	for _, p := range d.cfg.PingNodes {
		order = append(order, decl{p.Line, p.Name})
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].line < order[j].line })
	for i := len(order) - 1; i >= 0; i-- {
		o := order[i]
		st, ok := d.mem.Node(o.name)
		if !ok {
			continue
		}
		n := api.Node{Name: st.Name, Type: string(st.Type), Status: string(st.Status), Weight: 100}
		if st.Type == membership.TypeNormal && st.Name == d.opt.Node {
			n.Status = string(d.localStatus)
		}
		for _, l := range st.Links {
			n.Links = append(n.Links, api.Link{Name: l.Medium, Status: string(l.Status)})
		}
		if len(n.Links) == 0 {
			for _, m := range d.opt.Media {
				n.Links = append(n.Links, api.Link{Name: m.Name(), Status: "dead"})
			}
		}
		s.Nodes = append(s.Nodes, n)
	}
	return s
}
