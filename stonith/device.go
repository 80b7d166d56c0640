package stonith

import (
	"context"
	"fmt"
)

// Action is what a fencing request asks the device to do to a host.
type Action int

// The three requests of cluster-glue (ST_GENERIC_RESET, ST_POWERON,
// ST_POWEROFF).
const (
	Reset Action = iota
	On
	Off
)

// String returns the name used on the stonith command line and by
// external scripts: reset, on, off.
func (a Action) String() string {
	switch a {
	case Reset:
		return "reset"
	case On:
		return "on"
	case Off:
		return "off"
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// ParseAction parses "reset", "on" or "off" (exactly, as cluster-glue).
func ParseAction(s string) (Action, error) {
	switch s {
	case "reset":
		return Reset, nil
	case "on":
		return On, nil
	case "off":
		return Off, nil
	}
	return 0, fmt.Errorf("bad reset type %q: %w", s, ErrInval)
}

// InfoKind selects one of a device type's descriptive strings.
type InfoKind int

// The info strings of cluster-glue (ST_DEVICEID ... ST_CONF_XML).
const (
	InfoDevID    InfoKind = iota // short id, e.g. "NULL STONITH device"
	InfoDevName                  // device name
	InfoDevDescr                 // long description
	InfoDevURL                   // URL for more information
	InfoXML                      // <parameters> fragment for meta-data
)

// Params are a device's configuration, parameter name to value.
type Params map[string]string

// Driver is one device type (e.g. "null", "external/ssh"): it knows its
// parameter names and descriptions and creates configured Devices.
type Driver interface {
	// Type is the name given to stonith -t.
	Type() string
	// ConfigNames lists the parameter names in the order -p and -F
	// assign positional values to them.
	ConfigNames(ctx context.Context) ([]string, error)
	// Info returns one descriptive string; an error when the type has none.
	Info(ctx context.Context, kind InfoKind) (string, error)
	// New validates params and returns a configured device.
	New(ctx context.Context, params Params) (Device, error)
}

// Device is a configured fencing device. Errors carry a Code (CodeOf).
type Device interface {
	// Status checks that the device is reachable and working.
	Status(ctx context.Context) error
	// Hosts lists the hosts the device controls.
	Hosts(ctx context.Context) ([]string, error)
	// Fence asks the device to reset, power on or power off host. Host
	// names are compared case-insensitively; callers pass them lower-cased
	// as cluster-glue does.
	Fence(ctx context.Context, action Action, host string) error
}

// ResetHost resets host through d.
func ResetHost(ctx context.Context, d Device, host string) error { return d.Fence(ctx, Reset, host) }

// PowerOn powers host on through d.
func PowerOn(ctx context.Context, d Device, host string) error { return d.Fence(ctx, On, host) }

// PowerOff powers host off through d.
func PowerOff(ctx context.Context, d Device, host string) error { return d.Fence(ctx, Off, host) }
