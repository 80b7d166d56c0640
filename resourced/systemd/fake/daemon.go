package fake

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Daemon is a private dbus-daemon started for a test.
type Daemon struct {
	Address string
	cmd     *exec.Cmd
}

// StartDaemon starts `dbus-daemon --nofork --print-address` with the stock
// session configuration, listening on a socket in dir. A hand-written
// minimal bus config is known to accept connections and never answer
// Hello, hence the stock file. It fails if the address is not printed
// within timeout.
func StartDaemon(dir string, timeout time.Duration) (*Daemon, error) {
	sock := filepath.Join(dir, "bus")
	cmd := exec.Command("dbus-daemon", "--config-file=/usr/share/dbus-1/session.conf",
		"--nofork", "--print-address", "--address=unix:path="+sock)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stderr = os.Stderr
	// Pdeathsig: a crashed test must not leave the bus running.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dbus-daemon: %w", err)
	}
	d := &Daemon{cmd: cmd}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case addr := <-line:
		if addr == "" {
			d.Stop()
			return nil, fmt.Errorf("dbus-daemon printed no address")
		}
		d.Address = addr
		return d, nil
	case <-time.After(timeout):
		d.Stop()
		return nil, fmt.Errorf("dbus-daemon gave no address within %v", timeout)
	}
}

// Stop kills the daemon (by its PID) and reaps it.
func (d *Daemon) Stop() {
	if d.cmd.Process != nil {
		_ = d.cmd.Process.Kill()
		_ = d.cmd.Wait()
	}
}
