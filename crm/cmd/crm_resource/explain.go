package main

import (
	"fmt"
	"io"

	"hbgo/crm/cib"
	"hbgo/crm/pengine"
	"hbgo/crm/pengine/explain"
)

// explain prints the "why" view of package explain for rsc: the
// scheduler's scores per node and the constraints behind them.
func (e *environment) explain(c *cib.CIB, rsc string) int {
	res, err := pengine.Schedule(c, e.now)
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return exitError
	}
	rep, err := explain.Explain(c, res, rsc, e.now)
	if err != nil {
		fmt.Fprintf(e.stderr, "crm_resource: %v\n", err)
		return exitNotFound
	}
	io.WriteString(e.stdout, rep.String())
	return exitOK
}
