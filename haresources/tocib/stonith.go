package tocib

import (
	"bufio"
	"bytes"
	"sort"
	"strings"

	"hbgo/hacf"
)

// MergeStonithHosts collects the stonith_host lines of several parses of
// the same ha.cf. hacf keeps only the lines that apply to the node it
// parsed for (as 3.0.6 does), while the CIB needs every device, so the
// caller parses once per node and merges; duplicates (the same line seen
// from two nodes, e.g. `stonith_host *`) are dropped.
func MergeStonithHosts(views ...*hacf.Config) []hacf.StonithHost {
	byLine := map[int]hacf.StonithHost{}
	for _, v := range views {
		if v == nil {
			continue
		}
		for _, h := range v.StonithHosts {
			byLine[h.Line] = h
		}
	}
	out := make([]hacf.StonithHost, 0, len(byLine))
	for _, h := range byLine {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// device is one STONITH device to emit.
type device struct {
	from   string // node the device is reachable from; "*" = any
	typ    string
	values []string // positional parameter values
	line   int
}

// stonith adds one stonith primitive per device, with constraints keeping
// each device off the nodes it fences and off the nodes it cannot be
// reached from.
func (c *converter) stonith() {
	var devs []device
	if s := c.cfg.Stonith; s != nil {
		data, err := c.opt.Host.ReadFile(s.ConfigFile)
		if err != nil {
			c.hacfWarnf(s.Line, "stonith %s: cannot read %s: %v; device emitted without parameters", s.Type, s.ConfigFile, err)
		}
		devs = append(devs, device{from: "*", typ: s.Type, values: firstConfigLine(data), line: s.Line})
	}
	for _, h := range c.cfg.StonithHosts {
		devs = append(devs, device{from: h.From, typ: h.Type, values: strings.Fields(h.Params), line: h.Line})
	}
	for _, d := range devs {
		c.device(d)
	}
}

// firstConfigLine reads the positional values of a stonith -F file: the
// first line that is neither blank nor a comment.
func firstConfigLine(data []byte) []string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if f := strings.Fields(line); len(f) > 0 {
			return f
		}
	}
	return nil
}

func (c *converter) device(d device) {
	from := d.from
	if from == "*" {
		from = "any"
	}
	id := c.ids.unique("stonith-" + from + "-" + d.typ)
	params := map[string]string{}
	names, ok := c.opt.Host.StonithParams(d.typ)
	switch {
	case !ok:
		c.hacfWarnf(d.line, "STONITH type %s is not installed here; its parameters cannot be named and are left out", d.typ)
	case len(d.values) < len(names):
		c.hacfWarnf(d.line, "STONITH type %s wants %d parameters (%s), got %d", d.typ, len(names), strings.Join(names, " "), len(d.values))
		fallthrough
	default:
		for i, v := range d.values {
			switch {
			case i < len(names):
				params[names[i]] = v
			case len(names) > 0:
				// The last parameter takes the rest (host lists).
				params[names[len(names)-1]] += " " + v
			}
		}
	}

	targets, known := c.fenceTargets(d, params)
	if !known {
		c.hacfWarnf(d.line, "cannot tell which nodes STONITH device %s fences; no constraint keeps it off them", id)
	} else if _, has := params["hostlist"]; !has && len(targets) > 0 {
		// Tell Pacemaker which node the device fences instead of letting
		// it ask the device.
		params["pcmk_host_list"] = strings.Join(targets, " ")
	}
	p := Primitive{ID: id, Class: "stonith", Type: d.typ}
	p.Instance = c.attrs(id, params)
	p.Ops = c.ops(id, classTiming["stonith"])
	c.cib.Configuration.Resources.Primitives = append(c.cib.Configuration.Resources.Primitives, p)

	// A device is reachable only from its stonith_host node; it should not
	// run on a node it fences (that node cannot fence itself), unless it
	// fences every node it can reach: then Pacemaker still uses it from
	// the survivors, and banning it would leave it nowhere to run.
	banned := map[string]bool{}
	if d.from != "*" {
		for _, n := range c.cfg.Nodes {
			if n.Name != d.from {
				banned[n.Name] = true
			}
		}
	}
	fencesAll := true
	for _, n := range c.cfg.Nodes {
		if !banned[n.Name] && !contains(targets, n.Name) {
			fencesAll = false
		}
	}
	if !fencesAll || d.from != "*" {
		for _, t := range targets {
			if c.cfg.HasNode(t) {
				banned[t] = true
			}
		}
	}
	runnable := 0
	for _, n := range c.cfg.Nodes {
		if banned[n.Name] {
			c.cib.Configuration.Constraints.Locations = append(c.cib.Configuration.Constraints.Locations, Location{
				ID: c.ids.unique("location-" + id + "-not-" + n.Name), Rsc: id, Node: n.Name, Score: "-INFINITY",
			})
		} else {
			runnable++
		}
	}
	if runnable == 0 {
		c.hacfWarnf(d.line, "STONITH device %s can run on no node: it is reachable only from the node it fences", id)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fenceTargets says which nodes a device resets: its hostlist when it has
// one; otherwise, in a two-node cluster, a device reachable from one node
// can only be meant for the other.
func (c *converter) fenceTargets(d device, params map[string]string) ([]string, bool) {
	if hl, ok := params["hostlist"]; ok {
		var out []string
		for _, h := range strings.FieldsFunc(hl, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
			out = append(out, strings.ToLower(h))
		}
		return out, true
	}
	if d.from != "*" && len(c.cfg.Nodes) == 2 {
		for _, n := range c.cfg.Nodes {
			if n.Name != d.from {
				return []string{n.Name}, true
			}
		}
	}
	return nil, false
}
