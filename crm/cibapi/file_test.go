package cibapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/crm/status/cibdoc"
)

func TestCheckNewer(t *testing.T) {
	cib := func(a, e, n string) []byte {
		return []byte(`<cib admin_epoch="` + a + `" epoch="` + e + `" num_updates="` + n + `"/>`)
	}
	cases := []struct {
		cur, next []byte
		stale     bool
	}{
		{cib("0", "3", "0"), cib("0", "4", "0"), false},
		{cib("0", "3", "5"), cib("0", "3", "6"), false},
		{cib("0", "9", "9"), cib("1", "0", "0"), false}, // erase moves admin_epoch
		{cib("0", "3", "0"), cib("0", "3", "0"), true},
		{cib("0", "4", "0"), cib("0", "3", "7"), true},
		{cib("1", "0", "0"), cib("0", "9", "9"), true},
		{[]byte(`<cib/>`), cib("0", "0", "1"), false},
	}
	for _, tc := range cases {
		err := CheckNewer(tc.cur, tc.next)
		if got := errors.Is(err, ErrStale); got != tc.stale || (!tc.stale && err != nil) {
			t.Errorf("CheckNewer(%s, %s) = %v, want stale=%v", tc.cur, tc.next, err, tc.stale)
		}
	}
	if err := CheckNewer(cib("0", "1", "0"), []byte("<cib")); !errors.Is(err, ErrRejected) {
		t.Errorf("malformed replacement: %v", err)
	}
}

// TestLostUpdate: two clients read the same CIB and edit it; the second
// store is refused as stale instead of undoing the first.
func TestLostUpdate(t *testing.T) {
	dir := shortDir(t)
	path := filepath.Join(dir, "cib.xml")
	if err := os.WriteFile(path, []byte(testCIB), 0o600); err != nil {
		t.Fatal(err)
	}
	c := Client{Path: SocketPath(dir), Timeout: 5 * time.Second}
	serveAt(t, c.Path, &FileBackend{Path: path})
	a, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(root *cibdoc.Element, id string) error {
		before := root.String()
		root.Child("configuration").Child("resources").Ensure("primitive", id)
		return cibdoc.Commit(c, before, root, cibdoc.ConfigChange)
	}
	if err := edit(a, "first"); err != nil {
		t.Fatal(err)
	}
	err = edit(b, "second")
	if !errors.Is(err, ErrStale) {
		t.Fatalf("second store: %v, want ErrStale", err)
	}
	if code, _ := ExitCode(err); code != ExitOld {
		t.Errorf("exit %d, want %d", code, ExitOld)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `id="first"`) || strings.Contains(string(data), `id="second"`) {
		t.Errorf("file after the refused store:\n%s", data)
	}
}
