package stonith

import (
	"context"
	"errors"
	"testing"
)

// fakeDevice is a scripted Device.
type fakeDevice struct {
	hosts    []string
	hostsErr error
	fenceErr error
	fenced   []string
}

func (f *fakeDevice) Status(context.Context) error { return nil }
func (f *fakeDevice) Hosts(context.Context) ([]string, error) {
	return f.hosts, f.hostsErr
}
func (f *fakeDevice) Fence(_ context.Context, a Action, h string) error {
	f.fenced = append(f.fenced, a.String()+" "+h)
	return f.fenceErr
}

func TestResetWithAny(t *testing.T) {
	ctx := context.Background()
	other := &fakeDevice{hosts: []string{"n3"}}
	broken := &fakeDevice{hosts: []string{"n1"}, fenceErr: ErrResetFail}
	good := &fakeDevice{hosts: []string{"N1", "n2"}}
	devs := []Named{{"other", other}, {"broken", broken}, {"good", good}}
	if err := ResetWithAny(ctx, devs, "N1", nil); err != nil {
		t.Fatal(err)
	}
	if len(other.fenced) != 0 || len(broken.fenced) != 1 || len(good.fenced) != 1 || good.fenced[0] != "reset n1" {
		t.Fatalf("other %v broken %v good %v", other.fenced, broken.fenced, good.fenced)
	}
	err := ResetWithAny(ctx, devs, "n9", nil)
	if !errors.Is(err, ErrNoDevice) || CodeOf(err) != BadHost {
		t.Fatalf("unknown host: %v", err)
	}
	err = ResetWithAny(ctx, devs[:2], "n1", nil)
	if CodeOf(err) != ResetFail {
		t.Fatalf("only a failing device: %v", err)
	}
	unlisting := &fakeDevice{hostsErr: ErrUnexpected}
	if err := ResetWithAny(ctx, []Named{{"u", unlisting}}, "n1", nil); CodeOf(err) != Unexpected {
		t.Fatalf("hosts failure: %v", err)
	}
}
