package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"hbgo/authkeys"
	"hbgo/hacf"
	"hbgo/haresources"
	"hbgo/internal/problem"
)

// File names inside the configuration directory (compiled into 3.0.6).
const (
	HaCfName        = "ha.cf"
	AuthkeysName    = "authkeys"
	HaresourcesName = "haresources"
)

// Loaded is a configuration directory that was read. Fields are nil when
// the corresponding file could not be used.
type Loaded struct {
	Dir       string
	HaCf      *hacf.Config
	Keyring   *authkeys.Keyring
	Resources []haresources.Group // nil in Pacemaker mode
	// PermissionDenied is set when a file could not be opened for lack of
	// privilege (EACCES/EPERM); 3.0.6 then exits with status 4, not 6.
	PermissionDenied bool
}

// denied reports whether path exists but cannot be opened for lack of
// privilege.
func denied(path string) bool {
	f, err := os.Open(path)
	if err == nil {
		f.Close()
		return false
	}
	return errors.Is(err, fs.ErrPermission)
}

// Load reads dir as 3.0.6 does for node nodeName (uname -n; compared
// case-insensitively): ha.cf is parsed (with env answering questions about
// the host; nil means the real host), authkeys is checked and parsed, the
// post-parse cross-checks run, and, when heartbeat manages resources (no
// pacemaker), haresources must exist and name only declared nodes. The
// problems come in that order; the configuration is unusable when the list
// holds an error (problem.List.Err).
func Load(dir, nodeName string, env hacf.Env) (*Loaded, problem.List) {
	var probs problem.List
	ld := &Loaded{Dir: dir}

	cf, p := hacf.ParseFile(filepath.Join(dir, HaCfName), hacf.Options{NodeName: nodeName, Env: env})
	probs = append(probs, p...)
	ld.HaCf = cf

	ld.PermissionDenied = denied(filepath.Join(dir, HaCfName)) || denied(filepath.Join(dir, AuthkeysName))
	ring, p := authkeys.Load(filepath.Join(dir, AuthkeysName))
	probs = append(probs, p...)
	ld.Keyring = ring

	if cf == nil {
		return ld, probs
	}
	probs = append(probs, hacf.Validate(cf, nodeName)...)

	hrPath := filepath.Join(dir, HaresourcesName)
	if !cf.ManagesResources() {
		if _, err := os.Stat(hrPath); err == nil {
			probs.Warnf(hrPath, 0, "", "remove it, or turn pacemaker off to use it",
				"file exists but is not used because pacemaker is enabled")
		}
		return ld, probs
	}
	ld.PermissionDenied = ld.PermissionDenied || denied(hrPath)
	groups, p := haresources.Load(hrPath)
	probs = append(probs, p...)
	if groups != nil || p.Err() == nil {
		names := make([]string, len(cf.Nodes))
		for i, n := range cf.Nodes {
			names[i] = n.Name
		}
		probs = append(probs, haresources.CheckNodes(groups, names, hrPath)...)
	}
	ld.Resources = groups
	return ld, probs
}
