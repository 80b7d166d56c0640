package api

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type fakeHandler struct {
	mu       sync.Mutex
	standbys []string
}

func (f *fakeHandler) Snapshot() Snapshot {
	return Snapshot{Version: "v", RscStatus: "local", Nodes: []Node{{Name: "n1", Type: "normal", Status: "active"}}}
}
func (f *fakeHandler) Standby(set string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.standbys = append(f.standbys, set)
	return nil
}
func (f *fakeHandler) Takeover(set string) error { return errors.New("peer is in flux") }

func TestServeAnswersSnapshotStandbyAndTakeover(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &fakeHandler{}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, h) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()

	s, err := GetSnapshot(dir)
	if err != nil || s.RscStatus != "local" || s.FindNode("n1") == nil || s.FindNode("n9") != nil {
		t.Fatalf("snapshot %+v %v", s, err)
	}
	if resp, err := Call(dir, Request{Cmd: "standby", Arg: "foreign"}, time.Second); err != nil || resp.Error != "" {
		t.Fatalf("standby: %+v %v", resp, err)
	}
	if resp, _ := Call(dir, Request{Cmd: "takeover", Arg: "all"}, time.Second); resp.Error != "peer is in flux" {
		t.Fatalf("takeover error lost: %+v", resp)
	}
	if resp, _ := Call(dir, Request{Cmd: "bogus"}, time.Second); resp.Error == "" {
		t.Fatal("unknown request accepted")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.standbys) != 1 || h.standbys[0] != "foreign" {
		t.Fatalf("standbys %v", h.standbys)
	}
}

func TestCallWithoutDaemon(t *testing.T) {
	if _, err := GetSnapshot(t.TempDir()); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("err = %v", err)
	}
}
