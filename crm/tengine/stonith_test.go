package tengine

import (
	"context"
	"errors"
	"testing"

	"hbgo/stonith"
)

type fakeDevice struct {
	hosts []string
	calls []string
	err   error
}

func (d *fakeDevice) Status(context.Context) error            { return nil }
func (d *fakeDevice) Hosts(context.Context) ([]string, error) { return d.hosts, nil }
func (d *fakeDevice) Fence(_ context.Context, a stonith.Action, host string) error {
	d.calls = append(d.calls, a.String()+" "+host)
	return d.err
}

func TestStonithFencer(t *testing.T) {
	broken := &fakeDevice{hosts: []string{"n1", "n3"}, err: stonith.ErrResetFail}
	good := &fakeDevice{hosts: []string{"N1", "n2"}}
	f := StonithFencer{Devices: []stonith.Named{{Name: "broken", Device: broken}, {Name: "good", Device: good}}}
	ctx := context.Background()
	if err := f.Fence(ctx, "n1", "reboot"); err != nil {
		t.Fatalf("reboot n1: %v", err)
	}
	if err := f.Fence(ctx, "n2", "off"); err != nil {
		t.Fatalf("off n2: %v", err)
	}
	if len(broken.calls) != 1 || len(good.calls) != 2 || good.calls[1] != stonith.Off.String()+" n2" {
		t.Fatalf("calls: broken %v good %v", broken.calls, good.calls)
	}
	if err := f.Fence(ctx, "n9", "reboot"); !errors.Is(err, stonith.ErrBadHost) {
		t.Errorf("unknown host: %v", err)
	}
	if err := f.Fence(ctx, "n9", "on"); !errors.Is(err, stonith.ErrBadHost) {
		t.Errorf("unknown host power on: %v", err)
	}
	if err := f.Fence(ctx, "n3", "off"); !errors.Is(err, stonith.ErrResetFail) {
		t.Errorf("off through the broken device only: %v", err)
	}
	if err := f.Fence(ctx, "n1", "explode"); !errors.Is(err, stonith.ErrInval) {
		t.Errorf("bad action: %v", err)
	}
	if err := (&LRMExecutor{}).Fence(ctx, "n1", "reboot"); !errors.Is(err, ErrNoFencer) {
		t.Errorf("no fencer: %v", err)
	}
}
