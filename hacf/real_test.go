package hacf

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// labEnv mirrors what shared/lab/hb-real-check.sh gives the real daemon:
// a dummy interface with an IPv4 broadcast address for every interface a
// media line names, the host's users, /etc/hosts with only the IPv4
// localhost, the installed STONITH plugins and compression modules.
func labEnv(haCf string) *FakeEnv {
	env := &FakeEnv{
		Ifaces: map[string]FakeIface{},
		Hosts:  map[string][]net.IP{"localhost": {net.ParseIP("127.0.0.1")}},
		Users:  map[string]bool{"root": true, "hacluster": true, "nobody": true},
		Groups: map[string]bool{"root": true, "haclient": true},
		Files: map[string]bool{
			"/bin/true": true, "/tmp": true, "/dev/null": false, "/dev/tty": false, "/etc/passwd": false,
			// The lab host's /etc/hostname has mode 755.
			"/etc/hostname":              true,
			"/usr/libexec/heartbeat/ccm": true, "/usr/libexec/heartbeat/ipfail": true,
		},
		StonithTypes: map[string][]string{
			"null": {"hostlist"}, "ssh": {"hostlist"}, "external/ssh": {"hostlist"},
			"rps10": {"serial_to_targets"}, "ibmhmc": {"ipaddr"}, "suicide": nil, "meatware": {"hostlist"},
			"external/ipmi": {"hostname", "ipaddr", "userid", "passwd", "interface"}, "baytech": {"ipaddr", "login", "password"},
		},
		Compress: map[string]bool{"zlib": true, "bz2": true},
		Contents: map[string]string{"/etc/hostname": "alpha\n", "/tmp/hx/three.txt": "a b c\n"},
	}
	env.Files["/tmp/hx/three.txt"] = false
	for _, l := range strings.Split(haCf, "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(strings.TrimRight(l, "\r"))
		if len(f) < 2 {
			continue
		}
		var names []string
		switch f[0] {
		case "bcast", "udp":
			names = f[1:]
		case "ucast", "mcast", "ucast6", "mcast6":
			names = f[1:2]
		}
		for _, n := range names {
			for _, x := range strings.Split(n, ",") {
				if x != "" {
					env.Ifaces[x] = FakeIface{IPv4: true, Broadcast: true}
				}
			}
		}
	}
	return env
}

// firstNode is the host name hb-real-check.sh gives the daemon.
func firstNode(haCf string) string {
	for _, l := range strings.Split(haCf, "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(strings.ReplaceAll(strings.TrimRight(l, "\r"), ",", " "))
		if len(f) >= 2 && f[0] == "node" {
			return f[1]
		}
	}
	return "hbcheck"
}

// TestRealDaemonVerdicts replays the ha.cf experiments recorded with the
// real 3.0.6 daemon (testdata/real: NAME.cf and NAME.verdict holding
// accepted|rejected and the daemon's first error line). Each ran with
// authkeys `auth 1 / 1 sha1 x` and an empty haresources, so only ha.cf
// decides.
func TestRealDaemonVerdicts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "real", "*.cf"))
	if err != nil || len(files) < 100 {
		t.Fatalf("want >= 100 recorded cases, got %d (%v)", len(files), err)
	}
	agree := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cf")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		vb, err := os.ReadFile(strings.TrimSuffix(f, ".cf") + ".verdict")
		if err != nil {
			t.Fatal(err)
		}
		verdict, realMsg, _ := strings.Cut(string(vb), "\n")
		node := firstNode(string(b))
		cfg, probs := Parse(strings.NewReader(string(b)), Options{File: "ha.cf", NodeName: node, Env: labEnv(string(b))})
		probs = append(probs, Validate(cfg, node)...)
		got := "accepted"
		if probs.Err() != nil {
			got = "rejected"
		}
		if got != verdict {
			t.Errorf("%s: real daemon %s (%s), we say %s: %v", name, verdict, strings.TrimSpace(realMsg), got, probs)
			continue
		}
		agree++
	}
	t.Logf("%d/%d real-daemon verdicts reproduced", agree, len(files))
}
