package cibstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// On-disk names, as Heartbeat 2.x used them under its state directory.
const (
	// DefaultDir is where Heartbeat 2.x and 3.0.x with Pacemaker 1.0 keep the CIB.
	DefaultDir = "/var/lib/heartbeat/crm"
	// FileName is the CIB file.
	FileName = "cib.xml"
	// SigName is the digest file: md5 hex of FileName's content.
	SigName = "cib.xml.sig"
	// LastName is the previous CIB, kept on each save.
	LastName = "cib.xml.last"
)

// ErrDigestMismatch means cib.xml does not match cib.xml.sig (a hand edit
// or a torn write). Load moves both files aside and returns an error
// wrapping this one, so the node starts without a CIB and gets a full copy
// from the DC.
var ErrDigestMismatch = errors.New("CIB digest mismatch")

// Loaded is the result of Load.
type Loaded struct {
	Doc *Doc
	// Unsigned is true when cib.xml had no cib.xml.sig next to it: the file
	// was written by a tool (haresources2cib writes none) and is accepted,
	// as 2.x did; the next Save adds the digest.
	Unsigned bool
	// Recovered is set when cib.xml failed its digest check but
	// cib.xml.last matches the digest: a save was torn between writing
	// cib.xml and cib.xml.sig. The previous copy is returned (older, but
	// whole; the cluster's newest copy wins on join) and Recovered says
	// where the rejected file went, for the log.
	Recovered string
}

// Load reads dir/cib.xml and checks it against dir/cib.xml.sig. A missing
// cib.xml returns an error matching fs.ErrNotExist (start with Empty()).
// A digest mismatch or an unparsable file moves the file (and its sig)
// aside to cib.xml.bad-N / cib.xml.sig.bad-N and returns an error naming
// them, unless cib.xml.last matches the digest (see Loaded.Recovered).
func Load(dir string) (Loaded, error) {
	p := filepath.Join(dir, FileName)
	b, err := os.ReadFile(p)
	if err != nil {
		return Loaded{}, fmt.Errorf("cib: %w", err)
	}
	sig, err := os.ReadFile(filepath.Join(dir, SigName))
	unsigned := false
	switch {
	case errors.Is(err, fs.ErrNotExist):
		unsigned = true
	case err != nil:
		return Loaded{}, fmt.Errorf("cib: %w", err)
	default:
		want := strings.TrimSpace(string(sig))
		if got := Digest(b); got != want {
			aside, aerr := moveAside(dir)
			if last, err := os.ReadFile(filepath.Join(dir, LastName)); err == nil && aerr == nil && Digest(last) == want {
				if d, err := Parse(last); err == nil {
					// Put the consistent pair back so a second crash
					// before the next save still finds it.
					msg := fmt.Sprintf("%s did not match %s (moved to %s); using %s", FileName, SigName, aside, LastName)
					if err := writeAtomic(dir, FileName, last); err != nil {
						msg += " (restore failed: " + err.Error() + ")"
					} else if err := writeAtomic(dir, SigName, []byte(want)); err != nil {
						msg += " (restore failed: " + err.Error() + ")"
					}
					return Loaded{Doc: d, Recovered: msg}, nil
				}
			}
			return Loaded{}, fmt.Errorf("%s: %w: file md5 %s, %s says %s; moved to %s%s",
				p, ErrDigestMismatch, got, SigName, want, aside, errSuffix(aerr))
		}
	}
	d, err := Parse(b)
	if err != nil {
		aside, aerr := moveAside(dir)
		return Loaded{}, fmt.Errorf("%s: %w; moved to %s%s", p, err, aside, errSuffix(aerr))
	}
	return Loaded{Doc: d, Unsigned: unsigned}, nil
}

func errSuffix(err error) string {
	if err != nil {
		return " (move failed: " + err.Error() + ")"
	}
	return ""
}

// moveAside renames cib.xml and cib.xml.sig to the first free .bad-N name.
func moveAside(dir string) (string, error) {
	for n := 0; n < 1000; n++ {
		dst := filepath.Join(dir, FileName+".bad-"+strconv.Itoa(n))
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if err := os.Rename(filepath.Join(dir, FileName), dst); err != nil {
			return dst, err
		}
		err := os.Rename(filepath.Join(dir, SigName), filepath.Join(dir, SigName+".bad-"+strconv.Itoa(n)))
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		return dst, err
	}
	return "", errors.New("no free .bad-N name")
}

// Save writes d to dir/cib.xml and its digest to dir/cib.xml.sig, each
// atomically (temporary file, fsync, rename, directory fsync), mode 0600.
// The previous cib.xml is kept as cib.xml.last. cib.xml is renamed into
// place before the sig: a crash in between leaves a mismatch that Load
// detects, never a wrong CIB accepted as signed.
func Save(dir string, d *Doc) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cib: %w", err)
	}
	b := d.Bytes()
	cur := filepath.Join(dir, FileName)
	if old, err := os.ReadFile(cur); err == nil && !bytes.Equal(old, b) {
		if err := writeAtomic(dir, LastName, old); err != nil {
			return err
		}
	}
	if err := writeAtomic(dir, FileName, b); err != nil {
		return err
	}
	if err := writeAtomic(dir, SigName, []byte(Digest(b))); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeAtomic(dir, name string, b []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("cib: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("cib: write %s: %w", name, err)
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := f.Write(b); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cib: write %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cib: write %s: %w", name, err)
	}
	return nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("cib: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cib: sync %s: %w", dir, err)
	}
	return nil
}
