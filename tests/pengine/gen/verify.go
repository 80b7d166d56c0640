package gen

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Verify runs Pacemaker's crm_verify (the program at path) on the CIB file
// cibPath. It reports whether Pacemaker accepts the CIB and, if not, the
// first message that says why. Warnings are accepted: the generator
// deliberately records failed operations and orphans, which crm_verify
// reports as warnings; errors (an invalid configuration, or the scheduler
// logging an error for the situation) reject the CIB. err is set only when
// crm_verify could not be run.
func Verify(path, cibPath, shadowDir string) (ok bool, why string, err error) {
	cmd := exec.Command(path, "-V", "-x", cibPath)
	cmd.Env = append(os.Environ(), "CIB_shadow_dir="+shadowDir, "LC_ALL=C")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	if runErr != nil {
		if _, exited := runErr.(*exec.ExitError); !exited {
			return false, "", fmt.Errorf("crm_verify: %w", runErr)
		}
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "error:") || strings.Contains(line, "Errors found") ||
			strings.Contains(line, "crit:") {
			return false, strings.Join(strings.Fields(line), " "), nil
		}
	}
	if runErr != nil && cmd.ProcessState.ExitCode() != 78 {
		// 78 is crm_verify's "warnings/errors found"; anything else
		// (a crash) is a rejection too.
		return false, fmt.Sprintf("crm_verify: %v", runErr), nil
	}
	return true, "", nil
}
