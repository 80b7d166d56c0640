module hbgo

go 1.25

require github.com/spf13/pflag v1.0.10 // indirect
