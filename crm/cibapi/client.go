package cibapi

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"hbgo/crm/status/cibdoc"
	"hbgo/heartbeat/api"
)

// DefaultTimeout is how long a Client waits for an answer when its
// Timeout is zero. A replacement waits for the cluster to commit it, which
// can take a DC election.
const DefaultTimeout = 30 * time.Second

// Client reaches the CIB service of a running daemon. It satisfies
// cibdoc.Source: Load queries this node's replica, Store replaces the CIB
// and returns nil only once the daemon confirmed the commit.
type Client struct {
	// Path is the CIB socket, normally SocketPath(runDir).
	Path string
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration
}

var _ cibdoc.Source = Client{}

// Load returns the daemon's current CIB.
func (c Client) Load() (*cibdoc.Element, error) {
	resp, err := c.call(Request{Op: OpQuery})
	if err != nil {
		return nil, err
	}
	root, err := cibdoc.Parse([]byte(resp.XML))
	if err != nil {
		return nil, fmt.Errorf("CIB from %s: %w", c.Path, err)
	}
	return root, nil
}

// Store asks the daemon to make the CIB equal to root and waits for the
// commit.
func (c Client) Store(root *cibdoc.Element) error {
	_, err := c.call(Request{Op: OpReplace, XML: root.String()})
	return err
}

func (c Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// call sends one request and returns the answer, or an error wrapping
// one of the package's sentinels and naming the socket.
func (c Client) call(req Request) (*Response, error) {
	timeout := c.timeout()
	// the daemon gives up on the backend a little before we give up on
	// the daemon, so a timeout arrives as an answer, not a dropped call
	req.TimeoutMS = max(int64(timeout/time.Millisecond)*9/10, 1)
	data, err := encode(&req)
	if err != nil {
		return nil, fmt.Errorf("CIB request to %s: %w", c.Path, err)
	}
	conn, err := net.DialTimeout("unix", c.Path, timeout)
	if err != nil {
		return nil, c.unreachable(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(data); err != nil {
		return nil, fmt.Errorf("CIB socket %s: send: %w: %v", c.Path, ErrNoAnswer, err)
	}
	if uc, ok := conn.(*net.UnixConn); ok {
		if err := uc.CloseWrite(); err != nil {
			return nil, fmt.Errorf("CIB socket %s: send: %w: %v", c.Path, ErrNoAnswer, err)
		}
	}
	answer, err := io.ReadAll(io.LimitReader(conn, MaxMessage+1))
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("CIB socket %s: no answer within %v: %w", c.Path, timeout, ErrTimeout)
		}
		return nil, fmt.Errorf("CIB socket %s: %w: %v", c.Path, ErrNoAnswer, err)
	}
	if len(answer) == 0 {
		return nil, fmt.Errorf("CIB socket %s: %w: connection closed", c.Path, ErrNoAnswer)
	}
	if len(answer) > MaxMessage {
		return nil, fmt.Errorf("CIB socket %s: answer exceeds %d bytes", c.Path, MaxMessage)
	}
	var resp Response
	if err := decodeResponse(answer, &resp); err != nil {
		return nil, fmt.Errorf("CIB socket %s: %w: undecodable answer: %v", c.Path, ErrNoAnswer, err)
	}
	if resp.Code != "" {
		return nil, fmt.Errorf("CIB socket %s: %w (daemon: %s)", c.Path, errOf(resp.Code), resp.Error)
	}
	return &resp, nil
}

// unreachable explains a failed connection: no permission, heartbeat
// down, or heartbeat up without crm mode (its API socket in the same
// directory answers).
func (c Client) unreachable(err error) error {
	cause := err
	var se *os.SyscallError
	if errors.As(err, &se) {
		cause = se.Err
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("cannot reach the CIB at %s (%v): %w", c.Path, cause, ErrPermission)
	}
	apiSock := api.SocketPath(filepath.Dir(c.Path))
	if conn, aerr := net.DialTimeout("unix", apiSock, time.Second); aerr == nil {
		conn.Close()
		return fmt.Errorf("cannot reach the CIB at %s (%v): %w", c.Path, cause, ErrCRMOff)
	}
	return fmt.Errorf("cannot reach the CIB at %s (%v): %w (nothing answers on %s either)", c.Path, cause, ErrNotRunning, apiSock)
}
