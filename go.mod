module hbgo

go 1.25

require (
	github.com/godbus/dbus/v5 v5.2.4
	github.com/sirupsen/logrus v1.10.2
	github.com/spf13/pflag v1.0.10
	golang.org/x/net v0.47.0
)

require golang.org/x/sys v0.38.0 // indirect
