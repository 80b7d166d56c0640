package registry

import (
	"context"
	"fmt"
	"os"

	"hbgo/stonith"
)

// Open resolves typ and configures a device from name=value params.
func (r *Registry) Open(ctx context.Context, typ string, params stonith.Params) (stonith.Device, error) {
	d, err := r.Lookup(typ)
	if err != nil {
		return nil, err
	}
	dev, err := d.New(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("configure %s: %w", typ, err)
	}
	return dev, nil
}

// OpenPositional configures typ from positional values, as ha.cf's
// "stonith_host <from> <type> <values...>" and stonith -p give them.
func (r *Registry) OpenPositional(ctx context.Context, typ, values string) (stonith.Device, error) {
	d, err := r.Lookup(typ)
	if err != nil {
		return nil, err
	}
	names, err := d.ConfigNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s parameter names: %w", typ, err)
	}
	p, err := stonith.ParsePositional(names, values)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", typ, stonith.ErrBadConfig, err)
	}
	return r.Open(ctx, typ, p)
}

// OpenFile configures typ from a parameter file, as ha.cf's
// "stonith <type> <file>" and stonith -F read it; every failure is
// S_BADCONFIG.
func (r *Registry) OpenFile(ctx context.Context, typ, path string) (stonith.Device, error) {
	d, err := r.Lookup(typ)
	if err != nil {
		return nil, err
	}
	names, err := d.ConfigNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s parameter names: %w: %w", typ, stonith.ErrBadConfig, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", typ, stonith.ErrBadConfig, err)
	}
	defer f.Close()
	p, err := stonith.ParseConfigFile(names, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w: %w", typ, path, stonith.ErrBadConfig, err)
	}
	dev, err := d.New(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w: %w", typ, path, stonith.ErrBadConfig, err)
	}
	return dev, nil
}
