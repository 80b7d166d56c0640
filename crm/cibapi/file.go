package cibapi

import (
	"context"
	"fmt"
	"os"
	"sync"

	"hbgo/crm/status/cibdoc"
)

// FileBackend is a Backend over a CIB file: a single-node stand-in for
// the daemon, for tests and for serving a CIB without a cluster. A
// replacement newer than the file (CheckNewer) is committed at once by an
// atomic rename; an older one is refused with ErrStale.
type FileBackend struct {
	Path string
	mu   sync.Mutex
}

// Query reads the file.
func (f *FileBackend) Query(ctx context.Context) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("query CIB: %w", err)
	}
	return data, nil
}

// Replace writes xml to the file, atomically.
func (f *FileBackend) Replace(ctx context.Context, xml []byte) error {
	root, err := cibdoc.Parse(xml)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	current, err := os.ReadFile(f.Path)
	if err != nil {
		return fmt.Errorf("replace CIB: %w", err)
	}
	if err := CheckNewer(current, xml); err != nil {
		return err
	}
	return cibdoc.FileSource{Path: f.Path}.Store(root)
}
