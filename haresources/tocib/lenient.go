package tocib

import (
	"net"

	"hbgo/hacf"
)

// LenientEnv is an hacf.Env for reading an ha.cf written for other
// machines: the conversion needs only its nodes, auto_failback and STONITH
// lines, so interfaces, host names, users, programs and files are all
// taken to exist (host names resolve to 198.51.100.1). STONITH parameter
// names still come from the installed plugins, as the CIB needs them.
type LenientEnv struct{ hacf.OSEnv }

// Interface implements hacf.Env: every interface exists with IPv4 and a
// broadcast address.
func (*LenientEnv) Interface(string) (exists, ipv4, broadcast bool) { return true, true, true }

// LookupHost implements hacf.Env: literals as written, names to 198.51.100.1.
func (*LenientEnv) LookupHost(name string) ([]net.IP, error) {
	if ip := net.ParseIP(name); ip != nil {
		return []net.IP{ip}, nil
	}
	return []net.IP{net.IPv4(198, 51, 100, 1)}, nil
}

// UserExists implements hacf.Env.
func (*LenientEnv) UserExists(string) bool { return true }

// GroupExists implements hacf.Env.
func (*LenientEnv) GroupExists(string) bool { return true }

// Executable implements hacf.Env.
func (*LenientEnv) Executable(string) bool { return true }

// Exists implements hacf.Env.
func (*LenientEnv) Exists(string) bool { return true }

// CompressionModule implements hacf.Env.
func (*LenientEnv) CompressionModule(string) bool { return true }
