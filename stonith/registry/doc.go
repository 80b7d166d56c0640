// Package registry maps STONITH type names to drivers: the built-ins
// (null, ssh, meatware, suicide), external/<script> for every usable
// script in the external plugin directory, and rhcs/<agent> for
// fence-agents. Directories and helpers are injected so tests can point
// them at testdata.
package registry
