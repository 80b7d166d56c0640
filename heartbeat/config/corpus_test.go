package config

import (
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hbgo/hacf"
	"hbgo/internal/testenv"
)

// corpusVerdicts are the real daemon's verdicts from
// shared/corpus/real-check-results.md, with a substring our error list must
// hold for a rejection. Every rejection there except the haresources node
// checks depends on the host, not on syntax:
//   - respawn paths (/usr/lib/heartbeat, /usr/lib64/heartbeat do not exist
//     on Debian, /usr/libexec/heartbeat does),
//   - users (no user `cluster`),
//   - names (`gateway`, `${NODE_IP}` do not resolve),
//   - Pacemaker 1.x daemons (absent).
//
// The test reproduces that host with a FakeEnv (lab below) holding exactly
// those facts, so it is deterministic and needs neither root nor a
// namespace; tests/configcheck runs the binary against the real host.
var corpusVerdicts = map[string]struct {
	ok   bool
	want string
}{
	"administration-linux":     {false, "Client child command [/usr/lib/heartbeat/ipfail] is not executable"},
	"distribuidas":             {true, ""},
	"virtu-linux":              {false, "unknown ping host [gateway]"},
	"heartbeat-vagrant":        {false, "Bad nodename"},
	"haproxy-ha":               {false, "cannot resolve hostname [${NODE_IP}]"},
	"coscup2015-mysql-hands-o": {true, ""},
	"server-configs":           {true, ""},
	"vagrant-linux-ha":         {false, "Bad nodename"},
	"lb04":                     {true, ""},
	"asterrisk-project":        {true, ""},
	"vagrant-pacemaker":        {false, "Failed to add pacemaker client child"},
	"heartbeat-template":       {true, ""},
	"consulexample":            {true, ""},
	"best-practices-ops":       {true, ""},
	"linux-apache-ha":          {false, "Bad nodename"},
	"linux":                    {false, "/usr/lib64/heartbeat/ipfail] is not executable"},
	"config":                   {false, "Invalid uid [cluster]"},
}

// lab is the host hb-real-check.sh gave the real daemon: a dummy interface
// with an IPv4 broadcast address for each interface a media line names,
// Debian's users and heartbeat paths, /etc/hosts with localhost only.
func lab(haCf string) *hacf.FakeEnv {
	env := &hacf.FakeEnv{
		Ifaces: map[string]hacf.FakeIface{},
		Hosts:  map[string][]net.IP{"localhost": {net.ParseIP("127.0.0.1")}},
		Users:  map[string]bool{"root": true, "hacluster": true, "nobody": true},
		Groups: map[string]bool{"root": true, "haclient": true},
		Files: map[string]bool{
			"/usr/libexec/heartbeat/ipfail": true, "/usr/libexec/heartbeat/ccm": true,
			"/usr/libexec/heartbeat/dopd": true, "/bin/true": true,
			"/etc/hostname": true, // mode 755 on the lab host
		},
		Contents:     map[string]string{"/etc/hostname": "vm\n"},
		StonithTypes: map[string][]string{"null": {"hostlist"}, "external/ssh": {"hostlist"}, "ssh": {"hostlist"}, "meatware": {"hostlist"}},
		Compress:     map[string]bool{"zlib": true, "bz2": true},
	}
	// The same extraction as the lab script: CRs deleted, comments cut,
	// awk fields (blanks and tabs), commas split interface lists.
	for _, l := range strings.Split(strings.ReplaceAll(haCf, "\r", ""), "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' })
		if len(f) < 2 {
			continue
		}
		names := f[1:2]
		switch f[0] {
		case "bcast", "udp":
			names = f[1:]
		case "ucast", "mcast", "ucast6", "mcast6":
		default:
			continue
		}
		for _, n := range names {
			for _, x := range strings.Split(n, ",") {
				env.Ifaces[x] = hacf.FakeIface{IPv4: true, Broadcast: true}
			}
		}
	}
	return env
}

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

// setups groups corpus/public by repository: NNN-name.{ha.cf,authkeys,haresources}.
func setups(t *testing.T, dir string) map[string]map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, e := range ents {
		n := e.Name()
		for _, kind := range []string{HaCfName, AuthkeysName, HaresourcesName} {
			if strings.HasSuffix(n, "."+kind) && len(n) > 4 && n[3] == '-' {
				repo := strings.TrimSuffix(n[4:], "."+kind)
				if out[repo] == nil {
					out[repo] = map[string]string{}
				}
				out[repo][kind] = filepath.Join(dir, n)
			}
		}
	}
	return out
}

func TestPublicCorpusVerdicts(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "corpus", "public")
	all := setups(t, dir)
	var names []string
	for repo, files := range all {
		if files[HaCfName] != "" {
			names = append(names, repo)
		}
	}
	sort.Strings(names)
	if len(names) != len(corpusVerdicts) {
		t.Fatalf("corpus has %d setups with an ha.cf, verdict table %d", len(names), len(corpusVerdicts))
	}
	for _, repo := range names {
		files := all[repo]
		t.Run(repo, func(t *testing.T) {
			want, ok := corpusVerdicts[repo]
			if !ok {
				t.Fatalf("no recorded verdict for %s", repo)
			}
			work := t.TempDir()
			cf, err := os.ReadFile(files[HaCfName])
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(work, HaCfName), cf, 0o644)
			ak := []byte("auth 1\n1 sha1 x\n")
			if files[AuthkeysName] != "" {
				if ak, err = os.ReadFile(files[AuthkeysName]); err != nil {
					t.Fatal(err)
				}
			}
			write(t, filepath.Join(work, AuthkeysName), ak, 0o600)
			if files[HaresourcesName] != "" {
				hr, err := os.ReadFile(files[HaresourcesName])
				if err != nil {
					t.Fatal(err)
				}
				write(t, filepath.Join(work, HaresourcesName), hr, 0o644)
			}
			_, probs := Load(work, firstNode(string(cf)), lab(string(cf)))
			if got := probs.Err() == nil; got != want.ok {
				t.Fatalf("accepted=%v, real daemon accepted=%v; problems:\n%v", got, want.ok, probs)
			}
			if !want.ok && !strings.Contains(probs.Err().Error(), want.want) {
				t.Fatalf("rejected, but not for %q:\n%v", want.want, probs.Err())
			}
		})
	}
}

func write(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
