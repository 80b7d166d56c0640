package main

import (
	"os"

	"hbgo/crm/status/attrtool"
)

func main() {
	os.Exit(attrtool.Run(attrtool.Standby, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
