package main

import (
	"fmt"
	"io"
	"strings"

	"hbgo/stonith"
)

// usage prints the usage (when devtype is empty) and, for status 0, the
// configuration help of every type or of devtype; then exits with status.
func (c *cli) usage(status int, devtype string) {
	var w io.Writer = c.stderr
	if status == 0 {
		w = c.stdout
	}
	if devtype == "" {
		p := c.cmdname
		fmt.Fprintf(w, "usage:\n")
		fmt.Fprintf(w, "\t %s [-svh] -L\n", p)
		fmt.Fprintf(w, "\t %s [-svh] -t stonith-device-type -n\n", p)
		fmt.Fprintf(w, "\t %s [-svh] -t stonith-device-type -m\n", p)
		params := "{-p stonith-device-parameters | -F stonith-device-parameters-file | -E | name=value...} [-c count]"
		fmt.Fprintf(w, "\t %s [-svh] -t stonith-device-type %s -lS\n", p, params)
		fmt.Fprintf(w, "\t %s [-svh] -t stonith-device-type %s -T {reset|on|off} nodename\n", p, params)
		fmt.Fprintf(w, "\nwhere:\n")
		fmt.Fprintf(w, "\t-L\tlist supported stonith device types\n")
		fmt.Fprintf(w, "\t-l\tlist hosts controlled by this stonith device\n")
		fmt.Fprintf(w, "\t-S\treport stonith device status\n")
		fmt.Fprintf(w, "\t-s\tsilent\n")
		fmt.Fprintf(w, "\t-v\tverbose\n")
		fmt.Fprintf(w, "\t-n\toutput the config names of stonith-device-parameters\n")
		fmt.Fprintf(w, "\t-m\tdisplay meta-data of the stonith device type\n")
		fmt.Fprintf(w, "\t-h\tdisplay detailed help message with stonith device description(s)\n")
	}
	if status == 0 {
		c.confhelp(w, devtype)
	}
	c.exit(status)
}

// confhelp describes every type (devtype empty) or just devtype.
func (c *cli) confhelp(w io.Writer, devtype string) {
	if devtype == "" {
		fmt.Fprintf(w, "\nSTONITH -t device types and associated configuration details:\n")
	}
	found := false
	for _, typ := range c.reg.Types() {
		if devtype != "" && typ != devtype {
			continue
		}
		found = true
		drv, err := c.reg.Lookup(typ)
		if err != nil {
			fmt.Fprintf(c.stderr, "Invalid STONITH type %s(!)\n", typ)
			continue
		}
		fmt.Fprintf(w, "\n\nSTONITH Device: %s - ", typ)
		if s, err := drv.Info(c.ctx, stonith.InfoDevDescr); err == nil {
			fmt.Fprintf(w, "%s\n", s)
		}
		if s, err := drv.Info(c.ctx, stonith.InfoDevURL); err == nil {
			fmt.Fprintf(w, "For more information see %s\n", s)
		}
		names, err := drv.ConfigNames(c.ctx)
		if err != nil {
			continue
		}
		fmt.Fprintf(w, "List of valid parameter names for %s STONITH device:\n", typ)
		for _, n := range names {
			fmt.Fprintf(w, "\t%s\n", n)
		}
		fmt.Fprintf(w, "For Config info [-p] syntax, give each of the above parameters in order as\nthe -p value.\nArguments are separated by white space.")
		fmt.Fprintf(w, "\nConfig file [-F] syntax is the same as -p, except # at the start of a line\ndenotes a comment\n")
		if devtype != "" {
			break
		}
	}
	if devtype != "" && !found {
		_ = c.stdout.Flush()
		fmt.Fprintf(c.stderr, "Invalid device type: '%s'\n", devtype)
	}
}

const metaTemplate = `<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="%s">
<version>1.0</version>
<longdesc lang="en">
%s
</longdesc>
<shortdesc lang="en">%s</shortdesc>
%s
<actions>
<action name="start"   timeout="20" />
<action name="stop"    timeout="15" />
<action name="status"  timeout="20" />
<action name="monitor" timeout="20" interval="3600" />
<action name="meta-data"  timeout="15" />
</actions>
<special tag="heartbeat">
<version>2.0</version>
</special>
</resource-agent>
`

const noValue = "<!-- no value -->"

// printMeta prints the meta-data document cluster-glue assembles from the
// description, the id and the parameter XML.
func (c *cli) printMeta(drv stonith.Driver, typ string) {
	get := func(k stonith.InfoKind, what string) string {
		s, err := drv.Info(c.ctx, k)
		if err != nil {
			fmt.Fprintf(c.stderr, "stonithRA plugin: no %s", what)
			return noValue
		}
		return s
	}
	long := encodeEntities(get(stonith.InfoDevDescr, "long description"))
	short := encodeEntities(get(stonith.InfoDevID, "short description"))
	params := get(stonith.InfoXML, "list of parameters")
	fmt.Fprintf(c.stdout, metaTemplate, typ, long, short, params)
}

// encodeEntities escapes text like libxml2's xmlEncodeEntitiesReentrant
// without a document: &, <, > and CR as entities, non-ASCII as numeric
// character references; quotes stay.
func encodeEntities(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#13;")
		case r >= 0x80:
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
