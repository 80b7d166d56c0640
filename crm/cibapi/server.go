package cibapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// SocketName is the CIB socket's file name inside the run directory.
const SocketName = "hbgo-cib.sock"

// SocketPath returns the CIB socket of the daemon using runDir.
func SocketPath(runDir string) string { return filepath.Join(runDir, SocketName) }

// Backend is the daemon's side of the channel. Serve calls it from one
// goroutine per connection, so it must be safe for concurrent use.
type Backend interface {
	// Query returns this node's current CIB replica as XML.
	Query(ctx context.Context) ([]byte, error)
	// Replace makes the CIB equal to xml. It returns nil only once the
	// change is committed; otherwise an error, preferably wrapping
	// ErrNoDC, ErrNoQuorum, ErrTimeout or ErrNotCommitted.
	Replace(ctx context.Context, xml []byte) error
}

// Server limits.
const (
	// readTimeout bounds how long a client may take to send its request.
	readTimeout = 10 * time.Second
	// DefaultCallTimeout bounds a backend call when the client names no
	// timeout; MaxCallTimeout bounds it whatever the client asks.
	DefaultCallTimeout = 30 * time.Second
	MaxCallTimeout     = 10 * time.Minute
	// maxConns bounds connections served at once; more wait in the
	// listen backlog.
	maxConns = 32
)

// Serve answers requests on a Unix socket at path until ctx ends, then
// removes the socket and returns nil once every connection is done. A
// stale socket left by a dead daemon is replaced; a live one (something
// answers on it) or a non-socket file at path is an error. The socket is
// made mode 0600: only root may reach the CIB.
func Serve(ctx context.Context, path string, b Backend, log *logrus.Entry) error {
	l, err := listen(path)
	if err != nil {
		return err
	}
	log = log.WithField("socket", path)
	log.Info("CIB service listening")
	var wg sync.WaitGroup
	connCtx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		wg.Wait()
	}()
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	slots := make(chan struct{}, maxConns)
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				_ = os.Remove(path)
				log.Info("CIB service stopped")
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			l.Close()
			_ = os.Remove(path)
			return fmt.Errorf("CIB socket %s: accept: %w", path, err)
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			c.Close()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			serveConn(connCtx, c, b, log)
		}()
	}
}

// listen creates the socket, replacing a stale one.
func listen(path string) (*net.UnixListener, error) {
	if st, err := os.Lstat(path); err == nil {
		if st.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("CIB socket %s: exists and is not a socket", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("CIB socket %s: another daemon is serving it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("CIB socket %s: remove stale socket: %w", path, err)
		}
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("CIB socket %s: %w", path, err)
	}
	// Close must not unlink: Serve removes the path itself, and only
	// while it still owns it.
	l.SetUnlinkOnClose(false)
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("CIB socket %s: %w", path, err)
	}
	return l, nil
}

// serveConn answers one request.
func serveConn(ctx context.Context, c net.Conn, b Backend, log *logrus.Entry) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(readTimeout))
	data, err := io.ReadAll(io.LimitReader(c, MaxMessage+1))
	var resp Response
	var req Request
	if err == nil {
		req, err = DecodeRequest(data)
	} else {
		err = fmt.Errorf("%w: %v", errBadRequest, err)
	}
	if err != nil {
		log.WithError(err).Warn("refused CIB request")
		resp = Response{Code: codeBadRequest, Error: err.Error()}
	} else {
		resp = handle(ctx, req, b, log)
	}
	timeout := callTimeout(req)
	_ = c.SetWriteDeadline(time.Now().Add(timeout))
	out, err := encode(&resp)
	if err != nil {
		log.WithError(err).Error("encode CIB answer")
		out, _ = encode(&Response{Code: codeFailed, Error: err.Error()})
	}
	if _, err := c.Write(out); err != nil {
		log.WithError(err).Warn("send CIB answer")
	}
}

// callTimeout is the bound on the backend call for req.
func callTimeout(req Request) time.Duration {
	d := time.Duration(req.TimeoutMS) * time.Millisecond
	if d <= 0 {
		d = DefaultCallTimeout
	}
	return min(d, MaxCallTimeout)
}

// handle runs a decoded request against the backend.
func handle(ctx context.Context, req Request, b Backend, log *logrus.Entry) Response {
	ctx, cancel := context.WithTimeout(ctx, callTimeout(req))
	defer cancel()
	switch req.Op {
	case OpQuery:
		xml, err := b.Query(ctx)
		if err != nil {
			log.WithError(err).Warn("CIB query failed")
			return Response{Code: codeOf(err), Error: err.Error()}
		}
		return Response{XML: string(xml)}
	case OpReplace:
		if err := b.Replace(ctx, []byte(req.XML)); err != nil {
			log.WithError(err).Warn("CIB replace not committed")
			return Response{Code: codeOf(err), Error: err.Error()}
		}
		log.Info("CIB replaced")
		return Response{}
	}
	return Response{Code: codeBadRequest, Error: "unknown operation"}
}
