package service

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/hacf"
	"hbgo/heartbeat/media"
	"hbgo/heartbeat/media/udp"
	"hbgo/heartbeat/ping"
	"hbgo/heartbeat/reliable"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// Specs turns ha.cf media lines into media specs. Serial lines are
// reported in skipped: hbgo has no serial medium.
func Specs(cfg *hacf.Config) (specs []media.Spec, skipped []string) {
	for _, m := range cfg.Media {
		s := media.Spec{Iface: m.Iface, Port: m.Port, TTL: m.TTL, Loop: m.Loop}
		switch m.Kind {
		case hacf.Bcast:
			s.Kind = media.Bcast
		case hacf.Mcast, hacf.Mcast6:
			s.Kind = media.Mcast
			if m.Kind == hacf.Mcast6 {
				s.Kind = media.Mcast6
			}
			if a, ok := netip.AddrFromSlice(m.Group); ok {
				s.Group = a.Unmap()
			}
		case hacf.Ucast, hacf.Ucast6:
			s.Kind = media.Ucast
			if m.Kind == hacf.Ucast6 {
				s.Kind = media.Ucast6
			}
			if a, ok := netip.AddrFromSlice(m.PeerIP); ok {
				s.Peers = []netip.Addr{a.Unmap()}
			}
		default:
			skipped = append(skipped, fmt.Sprintf("%s %s (line %d)", m.Kind, m.Iface, m.Line))
			continue
		}
		specs = append(specs, s)
	}
	return media.MergeUcast(specs), skipped
}

// OpenMedia opens every heartbeat medium. A medium that cannot be opened
// is logged and left out; it is an error only when none opens.
func OpenMedia(cfg *hacf.Config, log *logrus.Entry) ([]media.Medium, error) {
	specs, skipped := Specs(cfg)
	for _, s := range skipped {
		log.Warnf("medium %s is not supported by this heartbeat and is ignored", s)
	}
	var out []media.Medium
	for _, s := range specs {
		m, err := udp.Open(s, udp.Options{})
		if err != nil {
			log.WithField("medium", s.Iface).Errorf("cannot open %s medium on %s: %v", s.Kind, s.Iface, err)
			continue
		}
		out = append(out, m)
	}
	if len(out) == 0 && len(specs) > 0 {
		return nil, errors.New("no heartbeat medium could be opened")
	}
	return out, nil
}

// OpenPing opens one ICMP prober per ping node (ping, ping6) or group.
func OpenPing(cfg *hacf.Config, log *logrus.Entry) []media.Medium {
	var out []media.Medium
	for _, p := range cfg.PingNodes {
		var targets []netip.Addr
		for _, h := range p.Hosts {
			ips, err := net.LookupIP(h)
			if err != nil || len(ips) == 0 {
				log.WithField("node", p.Name).Errorf("ping node %s: cannot resolve %s", p.Name, h)
				continue
			}
			if a, ok := netip.AddrFromSlice(ips[0]); ok {
				targets = append(targets, a.Unmap())
			}
		}
		if len(targets) == 0 {
			continue
		}
		pr, err := ping.New(targets, ping.Options{Name: p.Name})
		if err != nil {
			log.WithField("node", p.Name).Errorf("cannot ping %s: %v", p.Name, err)
			continue
		}
		out = append(out, pr)
	}
	return out
}

// LoadUUID returns the node UUID kept in hb_uuid (16 raw bytes, as 3.0.6
// stores it), creating it on first start. With uuidfrom nodename the UUID
// is derived from the node name instead.
func LoadUUID(stateDir, node string, fromNodeName bool) ([16]byte, error) {
	var u [16]byte
	if fromNodeName {
		return md5.Sum([]byte(node)), nil
	}
	p := filepath.Join(stateDir, "hb_uuid")
	b, err := os.ReadFile(p)
	if err == nil && len(b) == 16 {
		copy(u[:], b)
		return u, nil
	}
	if _, err := rand.Read(u[:]); err != nil {
		return u, err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return u, err
	}
	return u, os.WriteFile(p, u[:], 0o644)
}

// NextGeneration bumps hb_generation in the state directory.
func NextGeneration(stateDir string, now time.Time) (uint64, bool, error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return 0, false, err
	}
	return reliable.NextGeneration(reliable.FileStore{Path: filepath.Join(stateDir, "hb_generation")}, now)
}

// PIDFile is the daemon's pid file in the run directory.
func PIDFile(runDir string) string { return filepath.Join(runDir, "heartbeat.pid") }

// WritePID records our pid.
func WritePID(runDir string) error {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(PIDFile(runDir), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// ReadPID returns the recorded pid and whether that process is alive. A
// pid file naming a dead process is stale (pid > 0, alive false).
func ReadPID(runDir string) (pid int, alive bool) {
	b, err := os.ReadFile(PIDFile(runDir))
	if err != nil {
		return 0, false
	}
	pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, syscall.Kill(pid, 0) == nil
}

// Notify sends a state to systemd when started with Type=notify.
func Notify(state string) {
	sock := os.Getenv("NOTIFY_SOCKET")
	if sock == "" {
		return
	}
	if sock[0] == '@' {
		sock = "\x00" + sock[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		return
	}
	defer c.Close()
	_, _ = c.Write([]byte(state))
}

// Scripts runs haresources tokens through the local resource manager.
type Scripts struct {
	Exec    *resourced.Executor
	Timeout time.Duration // per operation; 0 = the executor's default
}

func (s Scripts) op(token, action string) resourced.Op {
	name, args := resourced.ParseHeartbeatResource(token)
	return resourced.Op{Resource: token, Agent: resourced.Agent{Class: resourced.ClassHeartbeat, Type: name},
		Action: action, Args: args, Timeout: s.Timeout}
}

// Running implements rscmgr.Scripts: 3.0.6's status-from-text rule is
// applied by the executor.
func (s Scripts) Running(ctx context.Context, token string) bool {
	r := s.Exec.Run(ctx, s.op(token, resourced.ActionStatus))
	return r.Status == resourced.StatusDone && r.RC == ocf.Success
}

// Do implements rscmgr.Scripts.
func (s Scripts) Do(ctx context.Context, token, action string) (int, error) {
	r := s.Exec.Run(ctx, s.op(token, action))
	if r.Status != resourced.StatusDone {
		if r.Err != nil {
			return int(r.RC), r.Err
		}
		return int(r.RC), fmt.Errorf("%s %s: %v", token, action, r.Status)
	}
	return int(r.RC), nil
}

// Respawn runs a `respawn` child as its user and starts it again whenever
// it exits, until ctx ends. A child that keeps dying within a second is
// restarted at most every 10 s, so a broken program cannot spin.
func Respawn(ctx context.Context, c hacf.Child, log *logrus.Entry) {
	log = log.WithField("child", c.Command)
	cred, err := credentialOf(c.User)
	if err != nil {
		log.Errorf("respawn %s: %v", c.Command, err)
		return
	}
	delay := time.Second
	for ctx.Err() == nil {
		cmd := exec.CommandContext(ctx, c.Command, c.Args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		start := time.Now()
		if err := cmd.Run(); ctx.Err() != nil {
			return
		} else if err != nil {
			log.Warnf("Managed %s process %d exited: %v", c.Command, cmdPid(cmd), err)
		} else {
			log.Infof("Managed %s process %d exited with return code 0.", c.Command, cmdPid(cmd))
		}
		if time.Since(start) < time.Second {
			delay = min(delay*2, 10*time.Second)
		} else {
			delay = time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		log.Infof("Respawning client %s", c.Command)
	}
}

func cmdPid(c *exec.Cmd) int {
	if c.Process == nil {
		return 0
	}
	return c.Process.Pid
}

func credentialOf(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if u, err = user.LookupId(name); err != nil {
			return nil, fmt.Errorf("unknown user %s", name)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
