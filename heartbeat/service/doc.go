// Package service holds the operating-system edges of the daemon: opening
// the configured media and ping probers, the node UUID and generation
// files, the pid file, systemd readiness notification, and the adapter
// that runs haresources resources through the local resource manager.
package service
