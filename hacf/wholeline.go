package hacf

import (
	"fmt"
	"strconv"
	"strings"
)

// stonith: `stonith TYPE CONFIGFILE`; 3.0.6 loads the plugin and reads the
// file's parameters at parse time.
func (p *parser) stonith(ln rawLine, rest string) {
	f := fields(rest)
	if len(f) == 0 {
		p.errorf(ln, "write stonith TYPE CONFIGFILE", "No Stonith type given")
		return
	}
	if _, ok := p.env.StonithParams(f[0]); !ok {
		p.errorf(ln, "list the installed types with `stonith -L`", "Invalid Stonith type [%s]", f[0])
		return
	}
	file := ""
	if len(f) > 1 {
		file = f[1]
	}
	names, _ := p.env.StonithParams(f[0])
	// The file holds the parameters positionally, as stonith -F reads them.
	b, err := p.env.ReadFile(file)
	if file == "" || err != nil || !stonithParamsOK(f[0], names, string(b)) {
		hint := "name a readable file holding the device parameters: " + strings.Join(names, " ")
		p.errorf(ln, hint, "Invalid Stonith config file [%s]", file)
		return
	}
	p.cfg.Stonith = &Stonith{Type: f[0], ConfigFile: file, Line: ln.num}
}

// stonithHost: `stonith_host FROM TYPE PARAMS...`. Lines for another node
// are skipped entirely, as in 3.0.6.
func (p *parser) stonithHost(ln rawLine, rest string) {
	from, after := splitWord(rest)
	if from == "" {
		p.errorf(ln, "write stonith_host FROM-NODE|* TYPE PARAMS...", "No Stonith hostname given")
		return
	}
	from = lower(from)
	if from != "*" && from != p.nodeName {
		return
	}
	typ, params := splitWord(after)
	if typ == "" {
		p.errorf(ln, "write stonith_host FROM-NODE|* TYPE PARAMS...", "No Stonith type given")
		return
	}
	names, ok := p.env.StonithParams(typ)
	if !ok {
		p.errorf(ln, "list the installed types with `stonith -L`", "Invalid Stonith type [%s]", typ)
		return
	}
	if !stonithParamsOK(typ, names, params) {
		p.errorf(ln, "the parameters are positional: "+strings.Join(names, " ")+" (see `stonith -t "+typ+" -n`)",
			"Invalid Stonith configuration parameter [%s]", params)
		return
	}
	p.cfg.StonithHosts = append(p.cfg.StonithHosts, StonithHost{From: from, Type: typ, Params: strings.TrimSpace(params), Line: ln.num})
}

// stonithParamsOK is the generic part of the plugins' own checks: every
// positional parameter must be present, and a plugin that takes parameters
// needs at least one.
func stonithParamsOK(typ string, names []string, params string) bool {
	n := len(fields(params))
	if len(names) > 0 && n == 0 {
		return false
	}
	if min, ok := stonithMinTokens[typ]; ok && n < min {
		return false
	}
	return n >= len(names)
}

// stonithMinTokens covers compiled plugins whose single parameter packs
// several values: rps10's serial_to_targets is "DEVICE TARGET OUTLET...".
var stonithMinTokens = map[string]int{"rps10": 3}

func splitWord(s string) (word, rest string) {
	s = strings.TrimLeft(s, blanks)
	if i := strings.IndexAny(s, blanks); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

func (p *parser) respawn(ln rawLine, rest string)  { p.child(ln, rest, false) }
func (p *parser) failfast(ln rawLine, rest string) { p.child(ln, rest, true) }

// child: `respawn USER /path [args]`. 3.0.6 looks the user up by name and
// requires the program to be executable when ha.cf is read.
func (p *parser) child(ln rawLine, rest string, failfast bool) {
	f := fields(rest)
	user := ""
	if len(f) > 0 {
		user = f[0]
	}
	if user == "" || !p.env.UserExists(user) {
		p.errorf(ln, "name an existing user (by name, not uid), e.g. hacluster", "Invalid uid [%s] specified for client child", user)
		return
	}
	cmd := ""
	if len(f) > 1 {
		cmd = f[1]
	}
	if !strings.HasPrefix(cmd, "/") {
		p.errorf(ln, "give the program's absolute path", "Client child command [%s] is not full pathname", cmd)
		return
	}
	if !p.env.Executable(cmd) {
		hint := childHint(cmd)
		if p.env.Exists(cmd) {
			hint = "chmod +x " + cmd
		}
		p.errorf(ln, hint, "Client child command [%s] is not executable", cmd)
		return
	}
	p.cfg.Children = append(p.cfg.Children, Child{User: user, Command: cmd, Args: f[2:], FailFast: failfast, Line: ln.num})
}

func childHint(cmd string) string {
	base := cmd[strings.LastIndex(cmd, "/")+1:]
	if strings.Contains(cmd, "/heartbeat/") {
		return "on Debian heartbeat's helpers live in /usr/libexec/heartbeat/ (e.g. /usr/libexec/heartbeat/" + base + ")"
	}
	return "install the program or fix the path"
}

// maxClientName is the longest API client name 3.0.6 accepts.
const maxClientName = 31

// apiauth: `apiauth CLIENT [uid=u1,u2] [gid=g1,g2]`, one line per client.
func (p *parser) apiauth(ln rawLine, rest string) {
	const hint = "write apiauth CLIENT uid=user[,user...] and/or gid=group[,group...]"
	f := fields(rest)
	if len(f) == 0 {
		p.errorf(ln, hint, "Invalid apiauth directive []")
		return
	}
	client := f[0]
	if len(client) > maxClientName {
		p.errorf(ln, fmt.Sprintf("API client names are at most %d characters", maxClientName), "client name [%s] too long", client)
		return
	}
	if first, dup := p.apiClients[client]; dup {
		hint := "keep one apiauth line per client (first on line " + strconv.Itoa(first) + ")"
		if first == p.pacemakerSeen {
			hint = "pacemaker mode (line " + strconv.Itoa(first) + ") already defines this client; remove the line"
		}
		p.errorf(ln, hint, "Duplicate apiauth directive for API client %s", client)
		return
	}
	a := APIAuth{Client: client, Line: ln.num}
	if len(f) == 1 {
		p.errorf(ln, hint, "Missing uid or gid in apiauth")
		return
	}
	seen := map[string]bool{}
	for _, t := range f[1:] {
		if k := t[:min(len(t), 4)]; k == "uid=" || k == "gid=" {
			if seen[k] {
				p.errorf(ln, "give one uid= and one gid= list, comma-separated", "Duplicate %s list in apiauth", k[:3])
				return
			}
			seen[k] = true
		}
		switch {
		case strings.HasPrefix(t, "uid="):
			for _, u := range splitList(t[4:]) {
				if !isNumber(u) && !p.env.UserExists(u) {
					p.errorf(ln, "name an existing user or a numeric uid", "Invalid user id name [%s]", u)
					return
				}
				a.UIDs = append(a.UIDs, u)
			}
		case strings.HasPrefix(t, "gid="):
			for _, g := range splitList(t[4:]) {
				if !isNumber(g) && !p.env.GroupExists(g) {
					p.errorf(ln, "name an existing group or a numeric gid", "Invalid group name [%s]", g)
					return
				}
				a.GIDs = append(a.GIDs, g)
			}
		default:
			p.errorf(ln, hint, "Missing uid or gid in apiauth (unexpected %q)", t)
			return
		}
	}
	p.apiClients[client] = ln.num
	p.cfg.APIAuth = append(p.cfg.APIAuth, a)
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
