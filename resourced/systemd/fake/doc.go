// Package fake serves an in-process stand-in for systemd's
// org.freedesktop.systemd1 on a D-Bus bus, for tests of code that drives
// units: Manager methods LoadUnit, GetUnit, StartUnit, StopUnit, Reload and
// Subscribe; per-unit ActiveState/SubState/LoadState/Id properties; and
// JobRemoved signals. Each unit's behaviour is scriptable (slow jobs,
// failed jobs, units stuck in a pending state, JobRemoved before the
// method reply, missing units). StartDaemon runs a private dbus-daemon.
package fake
