package controller

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"hbgo/crm/cibstore"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
)

// fakeFx records effects; sends go to the peer driver through the signed
// wire codec.
type fakeFx struct {
	t      *testing.T
	self   string
	peer   func() *Driver
	now    *time.Time
	queue  *[]func()
	scheds []Schedule
	probes []string
	done   []CommitDone
	onDone func(CommitDone)
}

func (f *fakeFx) Send(w *wire.Message) error {
	wire.Envelope{Src: f.self}.Stamp(w, 1, nil, *f.now)
	raw, err := w.Encode(testRing)
	if err != nil {
		return err
	}
	*f.queue = append(*f.queue, func() {
		back, err := wire.Verify(raw, testRing)
		if err != nil {
			f.t.Fatal(err)
		}
		if dest := back.Value(wire.FieldDest); dest != "" && dest != f.peer().m.self {
			return
		}
		if err := f.peer().Deliver(*f.now, back); err != nil {
			f.t.Fatal(err)
		}
	})
	return nil
}
func (f *fakeFx) Schedule(s Schedule) { f.scheds = append(f.scheds, s) }
func (f *fakeFx) Probe(node string)   { f.probes = append(f.probes, node) }
func (f *fakeFx) Committed(c CommitDone) {
	f.done = append(f.done, c)
	if f.onDone != nil {
		f.onDone(c)
	}
}

func quietLog() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return logrus.NewEntry(l)
}

func TestDriverTwoNodesOverTheWire(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	var queue []func()
	dirs := map[string]string{"a": filepath.Join(t.TempDir(), "a"), "b": filepath.Join(t.TempDir(), "b")}
	drivers := map[string]*Driver{}
	fxs := map[string]*fakeFx{}
	for _, n := range []string{"a", "b"} {
		peer := map[string]string{"a": "b", "b": "a"}[n]
		doc := LoadCIB(dirs[n], quietLog())
		m, err := New(TestConfig(n, []string{"a", "b"}), doc, now)
		if err != nil {
			t.Fatal(err)
		}
		fxs[n] = &fakeFx{t: t, self: n, peer: func() *Driver { return drivers[peer] }, now: &now, queue: &queue}
		drivers[n] = NewDriver(m, dirs[n], fxs[n], quietLog())
	}
	flush := func() {
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			f()
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(drivers["a"].HeartbeatEvent(now, membership.Event{Kind: membership.NodeUp, Node: "b"}))
	must(drivers["b"].HeartbeatEvent(now, membership.Event{Kind: membership.NodeUp, Node: "a"}))
	flush()
	if !drivers["a"].Machine().IsDC() || drivers["b"].Machine().Membership().DC != "a" {
		t.Fatalf("a: %+v b: %+v", drivers["a"].Machine().Membership(), drivers["b"].Machine().Membership())
	}
	if len(fxs["a"].probes) != 2 || len(fxs["a"].scheds) != 0 {
		t.Fatalf("probes %v scheds %d", fxs["a"].probes, len(fxs["a"].scheds))
	}
	for _, n := range fxs["a"].probes {
		must(drivers["a"].ProbeDone(now, n))
	}
	if len(fxs["a"].scheds) != 1 || len(fxs["b"].scheds) != 0 {
		t.Fatal("the DC schedules once probes are done, the other node never")
	}
	// A change requested on b: when b hears "done", a's disk holds it.
	fxs["b"].onDone = func(c CommitDone) {
		l, err := cibstore.Load(dirs["a"])
		if err != nil || !hasPrimitive(l.Doc, "web") || l.Doc.Version() != c.Version {
			t.Fatalf("done reported but the DC's disk has %v (%v)", l.Doc, err)
		}
	}
	p, _ := cibstore.ParsePath("/cib/configuration/resources/primitive[@id='web']")
	must(drivers["b"].Request(now, "r1", []cibstore.Op{{Kind: cibstore.OpReplace, Path: p,
		Node: &cibstore.Node{Name: "primitive", Attrs: []cibstore.Attr{{Name: "id", Value: "web"}}}}}))
	flush()
	if len(fxs["b"].done) != 1 || fxs["b"].done[0].Err != nil {
		t.Fatalf("done %+v", fxs["b"].done)
	}
	l, err := cibstore.Load(dirs["b"])
	if err != nil || !hasPrimitive(l.Doc, "web") {
		t.Fatalf("b's disk: %v", err)
	}
	if len(fxs["a"].scheds) != 2 {
		t.Fatal("no schedule after the change")
	}
}

func TestDriverWriteFailureStopsAnnouncement(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	m, err := New(TestConfig("a", []string{"a"}), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	var queue []func()
	fx := &fakeFx{t: t, self: "a", now: &now, queue: &queue}
	d := NewDriver(m, t.TempDir(), fx, quietLog())
	if err := d.Tick(now); err != nil {
		t.Fatal(err)
	}
	if !m.IsDC() {
		t.Fatal("single node not DC")
	}
	queue = nil
	diskErr := errors.New("disk full")
	d.Save = func(string, *cibstore.Doc) error { return diskErr }
	p, _ := cibstore.ParsePath("/cib/configuration/resources/primitive[@id='x']")
	err = d.Request(now, "r", []cibstore.Op{{Kind: cibstore.OpReplace, Path: p,
		Node: &cibstore.Node{Name: "primitive", Attrs: []cibstore.Attr{{Name: "id", Value: "x"}}}}})
	if !errors.Is(err, ErrWriteFailed) || !errors.Is(err, diskErr) {
		t.Fatalf("err %v", err)
	}
	if len(fx.done) != 0 || len(queue) != 0 {
		t.Fatalf("after a failed write: done %v, %d sends", fx.done, len(queue))
	}
}

func TestLoadCIB(t *testing.T) {
	dir := t.TempDir()
	log, hook := test.NewNullLogger()
	entry := logrus.NewEntry(log)
	if d := LoadCIB(dir, entry); d.Version() != (cibstore.Version{}) {
		t.Fatal("empty dir")
	}
	if err := cibstore.Save(dir, cibWith(t, cibstore.Empty(), "p")); err != nil {
		t.Fatal(err)
	}
	if d := LoadCIB(dir, entry); !hasPrimitive(d, "p") {
		t.Fatal("saved CIB not loaded")
	}
	hook.Reset()
	os.WriteFile(filepath.Join(dir, cibstore.SigName), []byte("0000"), 0o600)
	if d := LoadCIB(dir, entry); hasPrimitive(d, "p") {
		t.Fatal("tampered CIB loaded")
	}
	if e := hook.LastEntry(); e == nil || e.Level != logrus.ErrorLevel {
		t.Fatalf("rejection not logged as an error: %v", e)
	}
}
