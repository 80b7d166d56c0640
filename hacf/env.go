package hacf

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// Env is the part of the host that 3.0.6 consults while reading ha.cf:
// network interfaces, name resolution, users, files, /etc/services and the
// installed plugins. OSEnv is the real one; FakeEnv serves table tests.
type Env interface {
	// Interface reports whether the named interface exists, whether it has
	// an IPv4 address, and whether that address has a broadcast address.
	Interface(name string) (exists, ipv4, broadcast bool)
	// LookupHost resolves a host name or address literal.
	LookupHost(name string) ([]net.IP, error)
	// UserExists reports whether a user name is known (names only).
	UserExists(name string) bool
	// GroupExists reports whether a group name is known (names only).
	GroupExists(name string) bool
	// Executable reports whether root may execute path (access X_OK):
	// it exists and has an execute bit (directories included).
	Executable(path string) bool
	// SerialPort reports why dev cannot be used as a serial medium (it
	// must open and answer tty requests), or nil.
	SerialPort(dev string) error
	// Exists reports whether path exists (device, config file, directory).
	Exists(path string) bool
	// ReadFile returns a file's contents (the stonith device config file).
	ReadFile(path string) ([]byte, error)
	// ServicePort looks a name up in /etc/services for udp.
	ServicePort(name string) (int, bool)
	// ServiceName returns the udp service registered for port, if any.
	ServiceName(port int) (string, bool)
	// StonithParams returns the parameter names of a STONITH plugin type;
	// ok is false when the type is not installed.
	StonithParams(typ string) (names []string, ok bool)
	// CompressionModule reports whether a compression plugin is installed.
	CompressionModule(name string) bool
}

// OSEnv looks at the real host.
type OSEnv struct {
	// StonithTool is the cluster-glue `stonith` program; default "stonith".
	StonithTool string

	once     sync.Once
	services map[string]int
	ports    map[int]string

	stMu    sync.Mutex
	stCache map[string][]string
	stTypes map[string]bool
}

var _ Env = (*OSEnv)(nil)

// Interface implements Env.
func (e *OSEnv) Interface(name string) (exists, ipv4, broadcast bool) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return false, false, false
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return true, false, false
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
			ipv4 = true
		}
	}
	return true, ipv4, ipv4 && ifi.Flags&net.FlagBroadcast != 0
}

// LookupHost implements Env.
func (e *OSEnv) LookupHost(name string) ([]net.IP, error) {
	if ip := net.ParseIP(name); ip != nil {
		return []net.IP{ip}, nil
	}
	return net.LookupIP(name)
}

// UserExists implements Env: a name known to getpwnam (3.0.6 does not
// accept numeric uids for respawn).
func (e *OSEnv) UserExists(name string) bool {
	_, err := user.Lookup(name)
	return err == nil
}

// GroupExists implements Env: a name known to getgrnam.
func (e *OSEnv) GroupExists(name string) bool {
	_, err := user.LookupGroup(name)
	return err == nil
}

// Executable implements Env with root's access(X_OK) rule.
func (e *OSEnv) Executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Perm()&0o111 != 0
}

// SerialLockDir is where heartbeat's serial medium puts its tty lock files.
const SerialLockDir = "/var/lock"

// SerialPort implements Env: the device must open without becoming the
// controlling tty and answer TCGETS, as heartbeat's serial medium needs.
func (e *OSEnv) SerialPort(dev string) error {
	// heartbeat locks the tty with a UUCP lock file; without the lock
	// directory the serial child fails and 3.0.6 exits with status 1.
	if fi, err := os.Stat(SerialLockDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("lock directory %s is missing", SerialLockDir)
	}
	f, err := os.OpenFile(dev, os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return unwrapPathErr(err)
	}
	defer f.Close()
	var t syscall.Termios
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t))); errno != 0 {
		return errno
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile implements Env.
func (e *OSEnv) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// Exists implements Env.
func (e *OSEnv) Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (e *OSEnv) loadServices() {
	e.services, e.ports = map[string]int{}, map[int]string{}
	f, err := os.Open("/etc/services")
	if err != nil {
		return
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line, _, _ := strings.Cut(s.Text(), "#")
		fs := strings.Fields(line)
		if len(fs) < 2 {
			continue
		}
		portStr, proto, ok := strings.Cut(fs[1], "/")
		port, err := strconv.Atoi(portStr)
		if !ok || proto != "udp" || err != nil {
			continue
		}
		if _, dup := e.ports[port]; !dup {
			e.ports[port] = fs[0]
		}
		for _, n := range fs {
			if n == fs[1] {
				continue
			}
			if _, dup := e.services[n]; !dup {
				e.services[n] = port
			}
		}
	}
}

// ServicePort implements Env.
func (e *OSEnv) ServicePort(name string) (int, bool) {
	e.once.Do(e.loadServices)
	p, ok := e.services[name]
	return p, ok
}

// ServiceName implements Env.
func (e *OSEnv) ServiceName(port int) (string, bool) {
	e.once.Do(e.loadServices)
	n, ok := e.ports[port]
	return n, ok
}

// StonithParams implements Env by asking cluster-glue's stonith tool
// (`stonith -L` for the types, `stonith -t TYPE -n` for the parameters).
func (e *OSEnv) StonithParams(typ string) ([]string, bool) {
	e.stMu.Lock()
	defer e.stMu.Unlock()
	tool := e.StonithTool
	if tool == "" {
		tool = "stonith"
	}
	if e.stTypes == nil {
		e.stTypes, e.stCache = map[string]bool{}, map[string][]string{}
		if out, err := exec.Command(tool, "-L").Output(); err == nil {
			for _, t := range strings.Fields(string(out)) {
				e.stTypes[t] = true
			}
		}
	}
	if !e.stTypes[typ] {
		return nil, false
	}
	if names, ok := e.stCache[typ]; ok {
		return names, true
	}
	out, err := exec.Command(tool, "-t", typ, "-n").Output()
	if err != nil {
		return nil, false
	}
	names := strings.Fields(string(out))
	e.stCache[typ] = names
	return names, true
}

// compressDirs are where the Debian build looks for HBcompress plugins.
var compressDirs = []string{
	"/usr/lib/heartbeat/plugins/HBcompress",
	"/usr/lib/x86_64-linux-gnu/heartbeat/plugins/HBcompress",
	"/usr/lib/x86_64-linux-gnu/pils/plugins/HBcompress",
	"/usr/lib/pils/plugins/HBcompress",
}

// CompressionModule implements Env: the plugin file must be installed.
// The Debian build resolves zlib and bz2 even when no HBcompress
// directory is present, so those two are always accepted.
func (e *OSEnv) CompressionModule(name string) bool {
	if name == "zlib" || name == "bz2" {
		return true
	}
	for _, d := range compressDirs {
		if e.Exists(filepath.Join(d, name+".so")) {
			return true
		}
	}
	return false
}

// FakeEnv is an in-memory Env for tests. Zero value: nothing exists.
type FakeEnv struct {
	// Ifaces maps an interface name to its state.
	Ifaces map[string]FakeIface
	// Hosts maps names to addresses; IP literals always resolve.
	Hosts map[string][]net.IP
	// Users and Groups are the known names (numeric ids are matched as
	// written).
	Users, Groups map[string]bool
	// Files lists existing paths; true = executable.
	Files map[string]bool
	// Contents holds file contents for ReadFile (a listed file without
	// contents reads as empty).
	Contents map[string]string
	// Services maps udp service names to ports.
	Services map[string]int
	// StonithTypes maps installed STONITH types to their parameter names.
	StonithTypes map[string][]string
	// Compress lists installed compression plugins.
	Compress map[string]bool
	// Ttys lists the devices that work as serial ports.
	Ttys map[string]bool
}

// FakeIface describes one fake interface.
type FakeIface struct{ IPv4, Broadcast bool }

var _ Env = (*FakeEnv)(nil)

// errNoHost is the fake resolver's failure.
var errNoHost = errors.New("no such host")

// Interface implements Env.
func (f *FakeEnv) Interface(name string) (bool, bool, bool) {
	i, ok := f.Ifaces[name]
	return ok, ok && i.IPv4, ok && i.IPv4 && i.Broadcast
}

// LookupHost implements Env.
func (f *FakeEnv) LookupHost(name string) ([]net.IP, error) {
	if ip := net.ParseIP(name); ip != nil {
		return []net.IP{ip}, nil
	}
	if ips, ok := f.Hosts[name]; ok {
		return ips, nil
	}
	return nil, errNoHost
}

// UserExists implements Env.
func (f *FakeEnv) UserExists(name string) bool { return f.Users[name] }

// GroupExists implements Env.
func (f *FakeEnv) GroupExists(name string) bool { return f.Groups[name] }

// Executable implements Env.
func (f *FakeEnv) Executable(path string) bool { return f.Files[path] }

// ReadFile implements Env.
func (f *FakeEnv) ReadFile(path string) ([]byte, error) {
	if c, ok := f.Contents[path]; ok {
		return []byte(c), nil
	}
	if _, ok := f.Files[path]; ok {
		return nil, nil
	}
	return nil, os.ErrNotExist
}

// SerialPort implements Env: paths listed in Ttys are working ports.
func (f *FakeEnv) SerialPort(dev string) error {
	if f.Ttys[dev] {
		return nil
	}
	return errNotTTY
}

var errNotTTY = errors.New("inappropriate ioctl for device")

// Exists implements Env.
func (f *FakeEnv) Exists(path string) bool { _, ok := f.Files[path]; return ok }

// ServicePort implements Env.
func (f *FakeEnv) ServicePort(name string) (int, bool) { p, ok := f.Services[name]; return p, ok }

// ServiceName implements Env.
func (f *FakeEnv) ServiceName(port int) (string, bool) {
	for n, p := range f.Services {
		if p == port {
			return n, true
		}
	}
	return "", false
}

// StonithParams implements Env.
func (f *FakeEnv) StonithParams(typ string) ([]string, bool) {
	n, ok := f.StonithTypes[typ]
	return n, ok
}

// CompressionModule implements Env.
func (f *FakeEnv) CompressionModule(name string) bool { return f.Compress[name] }
