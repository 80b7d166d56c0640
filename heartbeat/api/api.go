package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// SocketName is the socket's file name inside the run directory.
const SocketName = "hbgo-api.sock"

// SocketPath returns the socket path for a run directory.
func SocketPath(runDir string) string { return filepath.Join(runDir, SocketName) }

// Link is one heartbeat link (medium) to a node, as cl_status shows it.
type Link struct {
	Name   string `json:"name"`
	Status string `json:"status"` // up or dead
}

// Node is one cluster member or ping node.
type Node struct {
	Name   string `json:"name"`
	Type   string `json:"type"`   // normal or ping
	Status string `json:"status"` // init, up, active, dead, ping
	Weight int    `json:"weight"`
	Site   string `json:"site"`
	Links  []Link `json:"links"`
}

// Snapshot is the daemon's state as clients see it. Nodes are in the order
// cl_status lists them.
type Snapshot struct {
	Version   string            `json:"version"`
	ManagedBy string            `json:"managed_by"` // "haresources" or "pacemaker"
	CRMValue  string            `json:"crm_value,omitempty"`
	Nodes     []Node            `json:"nodes"`
	RscStatus string            `json:"rscstatus"`         // none, local, foreign, all, transition
	Params    map[string]string `json:"params"`            // hbparameter values, as recorded
	Clients   map[string]string `json:"clients,omitempty"` // "node/client" -> online|offline|join|leave
}

// FindNode returns the node named name, or nil.
func (s *Snapshot) FindNode(name string) *Node {
	for i := range s.Nodes {
		if s.Nodes[i].Name == name {
			return &s.Nodes[i]
		}
	}
	return nil
}

// Request is one client request.
type Request struct {
	Cmd string `json:"cmd"` // snapshot, standby, takeover
	Arg string `json:"arg,omitempty"`
}

// Response answers a Request.
type Response struct {
	Error    string    `json:"error,omitempty"`
	Snapshot *Snapshot `json:"snapshot,omitempty"`
}

// Handler is what the daemon offers its clients.
type Handler interface {
	Snapshot() Snapshot
	// Standby asks to give the set (all, local, foreign) to the peer.
	Standby(set string) error
	// Takeover asks the peer to hand the set over to this node.
	Takeover(set string) error
}

// ErrNotRunning means no daemon answers on the socket.
var ErrNotRunning = errors.New("heartbeat is not running (no API socket)")

// Serve answers requests on l until ctx ends or l is closed.
func Serve(ctx context.Context, l net.Listener, h Handler) error {
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		go serveConn(c, h)
	}
}

func serveConn(c net.Conn, h Handler) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	var req Request
	if err := json.NewDecoder(c).Decode(&req); err != nil {
		return
	}
	var resp Response
	switch req.Cmd {
	case "snapshot":
		s := h.Snapshot()
		resp.Snapshot = &s
	case "standby":
		if err := h.Standby(req.Arg); err != nil {
			resp.Error = err.Error()
		}
	case "takeover":
		if err := h.Takeover(req.Arg); err != nil {
			resp.Error = err.Error()
		}
	default:
		resp.Error = fmt.Sprintf("unknown request %q", req.Cmd)
	}
	_ = json.NewEncoder(c).Encode(&resp)
}

// Listen creates the socket in runDir (replacing a stale one), readable
// by root and the haclient group only.
func Listen(runDir string) (net.Listener, error) {
	p := SocketPath(runDir)
	if err := os.MkdirAll(runDir, 0o750); err != nil {
		return nil, err
	}
	_ = os.Remove(p)
	l, err := net.Listen("unix", p)
	if err != nil {
		return nil, err
	}
	_ = os.Chmod(p, 0o660)
	return l, nil
}

// Call sends one request to the daemon of runDir.
func Call(runDir string, req Request, timeout time.Duration) (*Response, error) {
	c, err := net.DialTimeout("unix", SocketPath(runDir), timeout)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRunning, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if err := json.NewEncoder(c).Encode(&req); err != nil {
		return nil, err
	}
	var resp Response
	if err := json.NewDecoder(c).Decode(&resp); err != nil {
		return nil, fmt.Errorf("reading the daemon's answer: %w", err)
	}
	return &resp, nil
}

// GetSnapshot fetches the daemon's snapshot.
func GetSnapshot(runDir string) (*Snapshot, error) {
	resp, err := Call(runDir, Request{Cmd: "snapshot"}, 3*time.Second)
	if err != nil {
		return nil, err
	}
	if resp.Error != "" || resp.Snapshot == nil {
		return nil, fmt.Errorf("daemon: %s", resp.Error)
	}
	return resp.Snapshot, nil
}

// Ask sends a standby or takeover request for set to the daemon of
// runDir and returns the daemon's refusal as an error.
func Ask(runDir, cmd, set string) error {
	resp, err := Call(runDir, Request{Cmd: cmd, Arg: set}, 5*time.Second)
	if err != nil {
		return err
	}
	if resp.Error != "" {
		return errors.New(resp.Error)
	}
	return nil
}
