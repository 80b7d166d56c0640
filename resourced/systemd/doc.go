// Package systemd drives systemd units over D-Bus for the resource class
// "systemd:<unit>": LoadUnit, StartUnit/StopUnit in "replace" mode followed
// to their JobRemoved signal, ActiveState for monitors (waiting out the
// pending states), and a runtime drop-in that stops systemd from
// restarting a unit the cluster manages. Every D-Bus call has a timeout.
//
// Sub-package fake serves an in-process org.freedesktop.systemd1 with
// scriptable behaviour for tests.
package systemd
