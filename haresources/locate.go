package haresources

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultInitDir is where Locate looks after resource.d when no init
// directory is given (Debian's layout, as in 3.0.6's Debian build).
const DefaultInitDir = "/etc/init.d"

// ErrScriptNotFound means no regular executable file of that name exists in
// the resource.d directory or the init directories.
var ErrScriptNotFound = errors.New("Cannot locate resource script")

// Locate finds the script of a resource named name: configDir/resource.d
// first, then each of initDirs in order (DefaultInitDir when none is given).
// A candidate must be a regular file (symbolic links are followed) with an
// execute bit set. The error wraps ErrScriptNotFound.
func Locate(name, configDir string, initDirs ...string) (string, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') {
		return "", fmt.Errorf("%w %s: not a plain script name", ErrScriptNotFound, name)
	}
	if len(initDirs) == 0 {
		initDirs = []string{DefaultInitDir}
	}
	dirs := append([]string{filepath.Join(configDir, "resource.d")}, initDirs...)
	for _, d := range dirs {
		p := filepath.Join(d, name)
		fi, err := os.Stat(p)
		if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w %s (looked in %s)", ErrScriptNotFound, name, strings.Join(dirs, ", "))
}
