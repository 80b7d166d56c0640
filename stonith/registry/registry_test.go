package registry

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"hbgo/stonith"
)

func TestTypesAndLookup(t *testing.T) {
	ext, fen := t.TempDir(), t.TempDir()
	for _, f := range []struct {
		dir, name string
		mode      os.FileMode
	}{
		{ext, "zeta", 0o755}, {ext, "alpha", 0o755}, {ext, "notexec", 0o644}, {ext, "groupw", 0o775},
		{fen, "fence_x", 0o755}, {fen, "other", 0o755},
	} {
		p := filepath.Join(f.dir, f.name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 1\n"), f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	r := &Registry{ExternalDir: ext, FenceDir: fen}
	want := []string{"external/alpha", "external/zeta", "meatware", "null", "ssh", "suicide"}
	if got := r.Types(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Types = %v", got)
	}
	r.ListFence = true
	if got := r.Types(); !reflect.DeepEqual(got, []string{"external/alpha", "external/zeta", "meatware", "null", "rhcs/x", "ssh", "suicide"}) {
		t.Fatalf("Types with fence = %v", got)
	}
	for typ, wantType := range map[string]string{
		"null": "null", "external/alpha": "external/alpha", "external/missing": "external/missing", "rhcs/x": "rhcs/x",
	} {
		d, err := r.Lookup(typ)
		if err != nil || d.Type() != wantType {
			t.Fatalf("Lookup(%s) = %v, %v", typ, d, err)
		}
	}
	for _, bad := range []string{"", "nosuch", "external/", "external/../x", "external/a/b", "rhcs/", "NULL"} {
		_, err := r.Lookup(bad)
		if !IsUnknownType(err) || stonith.CodeOf(err) != stonith.Oops {
			t.Fatalf("Lookup(%q) = %v", bad, err)
		}
	}
}

func TestOpenHelpers(t *testing.T) {
	ctx := context.Background()
	r := &Registry{ExternalDir: t.TempDir()}
	dev, err := r.OpenPositional(ctx, "null", "A b")
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := dev.Hosts(ctx); !reflect.DeepEqual(h, []string{"a", "b"}) {
		t.Fatal(h)
	}
	if _, err := r.OpenPositional(ctx, "null", " "); stonith.CodeOf(err) != stonith.BadConfig {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "cfg")
	if err := os.WriteFile(cfg, []byte("# null\nn1 n2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if dev, err = r.OpenFile(ctx, "null", cfg); err != nil {
		t.Fatal(err)
	}
	if h, _ := dev.Hosts(ctx); !reflect.DeepEqual(h, []string{"n1", "n2"}) {
		t.Fatal(h)
	}
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing"), os.DevNull} {
		if _, err := r.OpenFile(ctx, "null", bad); stonith.CodeOf(err) != stonith.BadConfig {
			t.Fatalf("%s: %v", bad, err)
		}
	}
	if _, err := r.Open(ctx, "null", stonith.Params{}); stonith.CodeOf(err) != stonith.Inval {
		t.Fatal(err)
	}
	if _, err := r.Open(ctx, "bogus", nil); !IsUnknownType(err) {
		t.Fatal(err)
	}
}
