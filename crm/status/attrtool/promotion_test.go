package attrtool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/crm/cibapi"
	"hbgo/internal/testenv"
)

// TestPromotionCompareWithPacemaker runs the promotion-score command lines
// a resource agent uses (ocf:pacemaker:Stateful) with Pacemaker's
// crm_attribute and ours on copies of one CIB, with the agent's
// environment, and compares output, exit codes and attributes.
func TestPromotionCompareWithPacemaker(t *testing.T) {
	shared := testenv.SharedDir(t)
	testenv.RequireProgram(t, "/usr/sbin/crm_attribute")
	input := filepath.Join(shared, "scheduler/cases/on-fail-ignore/input.xml")
	dir := t.TempDir()
	realCIB, ourCIB := filepath.Join(dir, "real.xml"), filepath.Join(dir, "ours.xml")
	copyFile(t, input, realCIB)
	copyFile(t, input, ourCIB)
	const node = "407892-db2"
	steps := []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--promotion=fs", "-N", node, "-v", "10"}},
		{nil, []string{"-p", "fs", "-N", node, "-G"}},
		{nil, []string{"--promotion=fs", "-N", node, "-G", "-q"}},
		{map[string]string{"OCF_RESOURCE_INSTANCE": "st:2"}, []string{"--promotion", "-N", node, "-v", "5"}},
		{map[string]string{"OCF_RESOURCE_INSTANCE": "st:1"}, []string{"--promotion", "-N", node, "-G", "-q"}},
		{nil, []string{"--promotion", "-N", node, "-v", "1"}},
		{map[string]string{"OCF_RESOURCE_INSTANCE": "st"}, []string{"--promotion", "-N", node, "-v", "5"}},
		{map[string]string{"OCF_RESOURCE_INSTANCE": "st"}, []string{"--promotion", "-N", node, "-D"}},
		{map[string]string{"OCF_RESOURCE_INSTANCE": "st"}, []string{"--promotion", "-N", node, "-D"}},
		{nil, []string{"-p", "nope", "-N", node, "-G"}},
		// Inside an agent there is no -N: the node is the one the daemon names.
		{map[string]string{"OCF_RESOURCE_INSTANCE": "zz", "OCF_RESKEY_CRM_meta_on_node": node}, []string{"--promotion", "-v", "3"}},
		{nil, []string{"-p", "fs", "-N", node, "-l", "forever", "-v", "7"}},
		{nil, []string{"-p", "fs", "-N", node, "-l", "forever", "-G"}},
		{nil, []string{"-p", "fs", "-N", node, "-G"}},
	}
	for i, s := range steps {
		cmd := exec.Command("/usr/sbin/crm_attribute", s.args...)
		cmd.Env = append(os.Environ(), "CIB_file="+realCIB)
		for k, v := range s.env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var rout, rerr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &rout, &rerr
		rrc := 0
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatal(err)
			}
			rrc = ee.ExitCode()
		}
		var out, errb bytes.Buffer
		rc := Run(Attribute, s.args, func(k string) string {
			if k == "CIB_file" {
				return ourCIB
			}
			return s.env[k]
		}, &out, &errb)
		if rc != rrc || out.String() != rout.String() || errb.String() != rerr.String() {
			t.Errorf("step %d %v: real rc=%d out=%q err=%q; ours rc=%d out=%q err=%q", i, s.args, rrc, rout.String(), rerr.String(), rc, out.String(), errb.String())
		}
		want, got := nvFacts(t, realCIB), nvFacts(t, ourCIB)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Fatalf("step %d %v: CIB differs\nreal: %v\nours: %v", i, s.args, want, got)
		}
	}
}

func TestLocalNode(t *testing.T) {
	host := func() (string, error) { return "box", nil }
	noHost := func() (string, error) { return "", errors.New("no uname") }
	for _, c := range []struct {
		env  map[string]string
		host func() (string, error)
		want string
	}{
		{map[string]string{"OCF_RESKEY_CRM_meta_on_node": "n2", "HBGO_NODE_NAME": "n1"}, host, "n2"},
		{map[string]string{"HBGO_NODE_NAME": "n1"}, host, "n1"},
		{nil, host, "box"},
		{nil, noHost, ""},
	} {
		if got := LocalNode(func(k string) string { return c.env[k] }, c.host); got != c.want {
			t.Errorf("%v: got %q, want %q", c.env, got, c.want)
		}
	}
}

// TestPromotionFromAgentReachesItsDaemon: an agent's crm_attribute, with
// no --run-dir and no --node, writes to the daemon named by HBGO_RUN_DIR
// for the node named by OCF_RESKEY_CRM_meta_on_node.
func TestPromotionFromAgentReachesItsDaemon(t *testing.T) {
	b := &memBackend{xml: liveCIB}
	dir := serveDaemon(t, b)
	env := map[string]string{EnvRunDir: dir, "OCF_RESOURCE_INSTANCE": "drbd", "OCF_RESKEY_CRM_meta_on_node": "beta"}
	getenv := func(k string) string { return env[k] }
	var out, errb bytes.Buffer
	if rc := Run(Attribute, []string{"--promotion", "-v", "10"}, getenv, &out, &errb); rc != ExitOK {
		t.Fatalf("set: exit %d %s", rc, errb.String())
	}
	cur := b.current()
	if !strings.Contains(cur, `name="master-drbd" value="10"`) || !strings.Contains(cur, "transient_attributes") {
		t.Fatalf("promotion score not stored as beta's transient attribute:\n%s", cur)
	}
	out.Reset()
	if rc := Run(Attribute, []string{"--promotion", "-G", "-q"}, getenv, &out, &errb); rc != ExitOK || out.String() != "10\n" {
		t.Errorf("query: exit %d %q %s", rc, out.String(), errb.String())
	}
	if rc := Run(Attribute, []string{"--promotion", "-D"}, getenv, &out, &errb); rc != ExitOK {
		t.Fatalf("delete: exit %d %s", rc, errb.String())
	}
	if strings.Contains(b.current(), "master-drbd") {
		t.Errorf("promotion score not deleted:\n%s", b.current())
	}
	// An explicit --run-dir still wins over the environment.
	errb.Reset()
	rc := Run(Attribute, []string{"--promotion", "-v", "1", "--run-dir", t.TempDir()}, getenv, &out, &errb)
	if rc == ExitOK {
		t.Errorf("--run-dir of no daemon: exit 0")
	}
}

// staleBackend answers the first stale replacements with ErrStale, as the
// daemon does when another client committed in between.
type staleBackend struct {
	*memBackend
	stale int
}

func (s *staleBackend) Replace(ctx context.Context, xml []byte) error {
	s.mu.Lock()
	if s.stale > 0 {
		s.stale--
		s.mu.Unlock()
		return cibapi.ErrStale
	}
	s.mu.Unlock()
	return s.memBackend.Replace(ctx, xml)
}

// TestEditRedoneWhenStale: a write that lost the race to another client is
// redone on a fresh copy; one that keeps losing fails with the reason.
func TestEditRedoneWhenStale(t *testing.T) {
	b := &staleBackend{memBackend: &memBackend{xml: liveCIB}, stale: staleAttempts - 1}
	dir := serveDaemon(t, b)
	var out, errb bytes.Buffer
	if rc := Run(Attribute, []string{"-p", "drbd", "-N", "alpha", "-v", "5", "--run-dir", dir}, noEnv, &out, &errb); rc != ExitOK {
		t.Fatalf("set after %d stale answers: exit %d %s", staleAttempts-1, rc, errb.String())
	}
	if !strings.Contains(b.current(), `name="master-drbd" value="5"`) {
		t.Fatalf("not stored:\n%s", b.current())
	}
	b.mu.Lock()
	b.stale = staleAttempts
	b.mu.Unlock()
	if rc := Run(Attribute, []string{"-p", "drbd", "-N", "alpha", "-D", "--run-dir", dir}, noEnv, &out, &errb); rc == ExitOK {
		t.Fatalf("delete reported done although every attempt was stale")
	}
	if !strings.Contains(errb.String(), "changed since it was read") {
		t.Errorf("stderr lacks the reason: %q", errb.String())
	}
	if !strings.Contains(b.current(), "master-drbd") {
		t.Errorf("deleted although never committed")
	}
}
