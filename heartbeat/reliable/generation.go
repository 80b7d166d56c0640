package reliable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// GenerationFile is where Heartbeat keeps its generation counter.
const GenerationFile = "/var/lib/heartbeat/hb_generation"

// GenerationStore persists the generation counter between daemon starts.
type GenerationStore interface {
	// Load returns the stored generation; ok is false when none was ever
	// stored.
	Load() (gen uint64, ok bool, err error)
	// Save stores gen.
	Save(gen uint64) error
}

// ErrBadGeneration means the generation file does not hold a number.
var ErrBadGeneration = errors.New("bad generation file")

// FormatGeneration renders gen as 3.0.6 writes the file: decimal, right
// aligned in 15 characters, newline.
func FormatGeneration(gen uint64) []byte {
	return fmt.Appendf(nil, "%15d\n", gen)
}

// ParseGeneration reads the file contents: a decimal number, surrounding
// blanks allowed.
func ParseGeneration(b []byte) (uint64, error) {
	s := strings.TrimSpace(string(b))
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadGeneration, s)
	}
	return n, nil
}

// NextGeneration is what a daemon start does: the stored generation plus
// one, or the current Unix time on the very first start ("No Previous
// generation - starting at ..."); the new value is saved before use.
// first reports the first-start case, for the log.
func NextGeneration(s GenerationStore, now time.Time) (gen uint64, first bool, err error) {
	old, ok, err := s.Load()
	if err != nil {
		return 0, false, err
	}
	if ok {
		gen = old + 1
	} else {
		gen, first = uint64(now.Unix()), true
	}
	if err := s.Save(gen); err != nil {
		return 0, false, err
	}
	return gen, first, nil
}

// FileStore keeps the generation in a file in 3.0.6's format.
type FileStore struct {
	Path string // GenerationFile in production
}

// Load reads the file; a missing file is "no previous generation".
func (f FileStore) Load() (uint64, bool, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, err := ParseGeneration(b)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %w", f.Path, err)
	}
	return n, true, nil
}

// Save writes the file atomically (temporary file, fsync, rename) so a
// crash never leaves a truncated counter that would restart generations.
func (f FileStore) Save(gen uint64) error {
	dir := filepath.Dir(f.Path)
	tmp, err := os.CreateTemp(dir, ".hb_generation.*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(FormatGeneration(gen)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// MemStore is an in-memory GenerationStore for tests.
type MemStore struct {
	Gen     uint64
	Present bool
	Err     error // returned by Load and Save when set
}

// Load returns the stored value.
func (m *MemStore) Load() (uint64, bool, error) { return m.Gen, m.Present, m.Err }

// Save stores gen.
func (m *MemStore) Save(gen uint64) error {
	if m.Err != nil {
		return m.Err
	}
	m.Gen, m.Present = gen, true
	return nil
}
