package meatware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
)

// DefaultDir is the directory of the FIFOs (HA_VARRUNDIR on Debian).
const DefaultDir = "/run"

// RecordSize is the fixed size of a reply record.
const RecordSize = 256

// DefaultTimeout is how long a reset waits for the operator, like
// cluster-glue's alarm(600).
const DefaultTimeout = 600 * time.Second

// ErrFormat is returned (wrapped) for a reply that is not three words.
var ErrFormat = errors.New("meatware reply format error")

// ErrMismatch is returned (wrapped) for a reply for another host or with
// the wrong keywords.
var ErrMismatch = errors.New("meatware reply does not confirm this host")

// FIFOPath is the FIFO for host under dir.
func FIFOPath(dir, host string) string {
	if dir == "" {
		dir = DefaultDir
	}
	return filepath.Join(dir, "meatware."+host)
}

// Record returns the 256-byte reply confirming host, NUL padded; a name
// too long to fit is cut so the record keeps its size and a final NUL.
func Record(host string) []byte {
	b := make([]byte, RecordSize)
	copy(b[:RecordSize-1], "meatware reply "+host)
	return b
}

// CheckReply validates a reply record for host with cluster-glue's rules:
// the text up to the first NUL must hold at least three white-space
// separated words, the first starting with "meatware", the second with
// "reply", and the third (compared case-insensitively) must be a prefix
// of host.
func CheckReply(rec []byte, host string) error {
	if i := bytes.IndexByte(rec, 0); i >= 0 {
		rec = rec[:i]
	}
	f := strings.Fields(string(rec))
	if len(f) < 3 {
		return fmt.Errorf("%q: %w", rec, ErrFormat)
	}
	addr := stonith.Lower(f[2])
	if !strings.HasPrefix(f[0], "meatware") || !strings.HasPrefix(f[1], "reply") ||
		!strings.HasPrefix(stonith.Lower(host), addr) {
		return fmt.Errorf("%q for %s: %w", rec, host, ErrMismatch)
	}
	return nil
}

// Wait creates the FIFO for host, logs the operator instructions, and
// blocks until a reply arrives, ctx ends, or timeout (DefaultTimeout when
// zero) passes. It removes the FIFO when done.
func Wait(ctx context.Context, dir, host string, timeout time.Duration, log *logrus.Entry) error {
	log = stonith.OrDiscard(log)
	path := FIFOPath(dir, host)
	_ = os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		stonith.Crit(log).Error("cannot create FIFO for Meatware_reset_host")
		return fmt.Errorf("mkfifo %s: %w: %w", path, stonith.ErrOops, err)
	}
	defer os.Remove(path)
	// Mkfifo applies the umask; the operator's meatclient needs exactly
	// owner read/write.
	_ = os.Chmod(path, 0o600)
	// Open read-only without blocking, so a client can connect at once
	// (its non-blocking write open needs a reader). Reading right away
	// would see EOF while no writer exists; instead wait for the poller:
	// a FIFO reports readable only once a writer has written, or has come
	// and gone without writing (the operator answered no), which then
	// reads as EOF: a format error, as with cluster-glue.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		stonith.Crit(log).Error("cannot open FIFO for Meatware_reset_host")
		return fmt.Errorf("open %s: %w: %w", path, stonith.ErrOops, err)
	}
	defer f.Close()
	// Instructions only once a client can connect.
	stonith.Crit(log).Errorf("OPERATOR INTERVENTION REQUIRED to reset %s.", host)
	stonith.Crit(log).Errorf("Run \"meatclient -c %s\" AFTER power-cycling the machine.", host)
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	rec := make([]byte, RecordSize)
	n, err := readWhenReady(f, rec)
	if err != nil {
		if ctx.Err() != nil {
			stonith.Crit(log).Errorf("no operator confirmation for %s", host)
			return fmt.Errorf("waiting on %s: %w", path, stonith.ErrTimeout)
		}
		stonith.Crit(log).Error("read error on FIFO for Meatware_reset_host")
		return fmt.Errorf("read %s: %w: %w", path, stonith.ErrOops, err)
	}
	if err := CheckReply(rec[:n], host); err != nil {
		if errors.Is(err, ErrFormat) {
			stonith.Crit(log).Errorf("Format error - failed to Meatware-reset node %s", host)
		} else {
			stonith.Crit(log).Errorf("failed to Meatware-reset node %s", host)
		}
		return fmt.Errorf("%w: %w", stonith.ErrResetFail, err)
	}
	log.Infof("node Meatware-reset: %s", host)
	return nil
}

// readWhenReady performs one read on f once the FIFO is readable in
// poll(2)'s sense; n is 0 at EOF. The check is made with poll rather than
// by attempting the read, because a read on a FIFO without writers
// returns EOF at once, while poll only reports a hang-up after a writer
// has come and gone.
func readWhenReady(f *os.File, buf []byte) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		if !readable(fd) {
			return false // wait for the poller
		}
		n, rerr = syscall.Read(int(fd), buf)
		return rerr != syscall.EAGAIN
	})
	if err != nil {
		return 0, err
	}
	if rerr != nil {
		return 0, rerr
	}
	return n, nil
}

// pollFd is struct pollfd.
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const (
	pollIn  = 0x1
	pollErr = 0x8
	pollHup = 0x10
)

// readable asks poll(2), without waiting, whether fd has data or a
// hang-up to report.
func readable(fd uintptr) bool {
	p := pollFd{fd: int32(fd), events: pollIn}
	var ts syscall.Timespec
	n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1,
		uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if errno != 0 {
		return true // let the read report the problem
	}
	return n > 0 && p.revents&(pollIn|pollHup|pollErr) != 0
}

// ErrNoFIFO is returned (wrapped) by Confirm when nobody waits for host.
var ErrNoFIFO = errors.New("no meatware request pending")

// Open opens the FIFO for host for writing without blocking, as
// meatclient does; it fails when no device is waiting.
func Open(dir, host string) (*os.File, error) {
	path := FIFOPath(dir, host)
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoFIFO, err)
	}
	return f, nil
}

// Confirm writes the reply record for host into f.
func Confirm(f *os.File, host string) error {
	if _, err := f.Write(Record(host)); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return nil
}
