package hacf

import "fmt"

// pacemakerDaemons are the children `pacemaker on` needs, in 3.0.6's order.
var pacemakerDaemons = []string{"ccm", "cib", "stonithd", "lrmd", "attrd", "crmd"}

// pacemakerAPIClients get an apiauth entry as soon as Pacemaker mode is on.
var pacemakerAPIClients = []string{"cib", "crmd", "stonithd", "stonith-ng", "attrd", "pingd"}

// PacemakerDaemonDir is the build default for crm_daemon_dir.
const PacemakerDaemonDir = "/usr/lib/pacemaker"

// heartbeatDaemonDirs are where 3.0.6 also looks for its children.
var heartbeatDaemonDirs = []string{"/usr/libexec/heartbeat", "/usr/lib/heartbeat"}

func (p *parser) pacemaker(ln rawLine, v string) {
	if p.pacemakerSeen > 0 {
		p.errorf(ln, fmt.Sprintf("keep a single pacemaker/crm line (first on line %d)", p.pacemakerSeen), "pacemaker/crm directive used multiple times")
		return
	}
	p.pacemakerSeen = ln.num
	var need []string
	if b, ok := ParseBool(v); ok {
		if b {
			need = pacemakerDaemons
		}
		p.cfg.PacemakerOn = b
	} else {
		switch v {
		case "respawn", "valgrind":
			need = pacemakerDaemons
		case "minimal", "manual":
			need = pacemakerDaemons[:5] // all but crmd: started by hand
		case "ccm-only":
			need = pacemakerDaemons[:1]
		default:
			p.errorf(ln, "use on, off, respawn, minimal, manual, valgrind or ccm-only", "invalid pacemaker value %q (3.0.6 fails silently)", v)
			return
		}
		p.cfg.PacemakerOn = true
	}
	p.cfg.Pacemaker = v
	if p.cfg.PacemakerOn {
		// Pacemaker mode registers the API clients of its daemons right
		// away, so an apiauth line for one of them (before or after) is a
		// duplicate (verified for cib and stonithd).
		for _, c := range pacemakerAPIClients {
			if first, dup := p.apiClients[c]; dup {
				p.errorf(ln, fmt.Sprintf("remove the apiauth line for %s (line %d): pacemaker mode defines it", c, first),
					"Duplicate apiauth directive for API client %s", c)
				return
			}
		}
		for _, c := range pacemakerAPIClients {
			p.apiClients[c] = ln.num
			p.cfg.APIAuth = append(p.cfg.APIAuth, APIAuth{Client: c, UIDs: []string{"hacluster"}, Line: ln.num})
		}
	}
	dirs := append([]string{p.crmDir()}, heartbeatDaemonDirs...)
	for _, d := range need {
		if !p.findDaemon(dirs, d) {
			p.errorf(ln, "heartbeat 3.0.6 needs the Pacemaker 1.x daemons (cib, crmd, ...); Pacemaker 2.x renamed them — use haresources mode or a Pacemaker 1.x install",
				"Failed to add pacemaker client child %q", d)
			return
		}
	}
}

func (p *parser) crmDir() string {
	if p.cfg.CRMDaemonDir != "" {
		return p.cfg.CRMDaemonDir
	}
	return PacemakerDaemonDir
}

func (p *parser) findDaemon(dirs []string, name string) bool {
	for _, d := range dirs {
		if p.env.Executable(d + "/" + name) {
			return true
		}
	}
	return false
}

// crmDaemonDir reproduces 3.0.6's inverted order check: given before the
// pacemaker/crm line (or without one) it fails; after it, 3.0.6 logs an
// error but carries on.
func (p *parser) crmDaemonDir(ln rawLine, v string) {
	if p.pacemakerSeen == 0 {
		p.errorf(ln, "3.0.6 only accepts crm_daemon_dir after the pacemaker/crm line; move it below or remove it",
			"crm_daemon_dir before (or without) a pacemaker/crm directive (3.0.6 fails silently)")
		return
	}
	p.warnf(ln, "", "3.0.6 logs an error for crm_daemon_dir after the pacemaker directive but continues; the directory is not used for the daemons already added")
	p.cfg.CRMDaemonDir = v
}
