package resourced

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"hbgo/resourced/ocf"
)

// InitInfo is the LSB "### BEGIN INIT INFO" header of an init script.
type InitInfo struct {
	Provides         []string
	RequiredStart    []string
	RequiredStop     []string
	ShortDescription string
	Description      string
	// Found is false when the script has no header block.
	Found bool
}

var initKeyRE = regexp.MustCompile(`^ ?([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$`)

// ParseInitInfo reads the LSB header block from an init script. Keywords
// are matched case-sensitively as the LSB spec writes them; Description
// continuation lines ("#" followed by a tab or two spaces) are joined with
// single spaces. Unknown keywords are ignored.
func ParseInitInfo(r io.Reader) InitInfo {
	var info InitInfo
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	in, last := false, ""
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case strings.HasPrefix(line, "### BEGIN INIT INFO"):
			in, info.Found = true, true
			continue
		case strings.HasPrefix(line, "### END INIT INFO"):
			return info
		case !in:
			continue
		case !strings.HasPrefix(line, "#"):
			return info // the block ended without its END line
		}
		rest := line[1:]
		if m := initKeyRE.FindStringSubmatch(rest); m != nil {
			last = m[1]
			val := strings.TrimSpace(m[2])
			switch last {
			case "Provides":
				info.Provides = strings.Fields(val)
			case "Required-Start":
				info.RequiredStart = strings.Fields(val)
			case "Required-Stop":
				info.RequiredStop = strings.Fields(val)
			case "Short-Description":
				info.ShortDescription = val
			case "Description":
				info.Description = val
			}
			continue
		}
		if last == "Description" && (strings.HasPrefix(rest, "\t") || strings.HasPrefix(rest, "  ")) {
			if t := strings.TrimSpace(rest); t != "" {
				info.Description = strings.TrimSpace(info.Description + " " + t)
			}
		}
	}
	return info
}

// lsbTimeout is the advisory timeout synthesised for LSB actions (what
// Pacemaker advertises for the class).
const lsbTimeout = 15 * time.Second

// MetaData synthesises agent meta-data for an LSB script named name.
func (i InitInfo) MetaData(name string) *ocf.MetaData {
	md := &ocf.MetaData{Name: name, Version: "0.1", APIVersion: "1.0", ShortDesc: i.ShortDescription}
	if md.ShortDesc == "" {
		md.ShortDesc = name
	}
	for _, a := range []string{ActionStart, ActionStop, ActionStatus, "restart", "force-reload", ActionMonitor, ActionMetaData} {
		act := ocf.Action{Name: a, Timeout: lsbTimeout}
		if a == ActionMonitor {
			act.Interval = lsbTimeout
		}
		md.Actions = append(md.Actions, act)
	}
	return md
}

func (e *Executor) lsbMetaData(a Agent) (*ocf.MetaData, error) {
	path := filepath.Join(e.cfg.InitDir, a.Type)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseInitInfo(bytes.NewReader(data)).MetaData(a.Type), nil
}
