package membership

import "fmt"

// Severity is the log level 3.0.6 uses for an event's line.
type Severity int

// Severities.
const (
	Info Severity = iota
	Warn
)

// LogText returns the line Heartbeat 3.0.6 logs for the event (as found in
// the lab's ha-log), so admins' greps and monitoring keep working. It
// returns "" for a NodeUp whose status is active: the NodeActive event that
// follows it carries the one "Status update" line.
func (e Event) LogText() (Severity, string) {
	switch e.Kind {
	case LinkUp:
		return Info, fmt.Sprintf("Link %s:%s up.", e.Node, e.Medium)
	case LinkDead:
		return Info, fmt.Sprintf("Link %s:%s dead.", e.Node, e.Medium)
	case NodeUp, NodeStatusChanged, NodeActive:
		if e.Kind == NodeUp && e.Status == StatusActive {
			return Info, ""
		}
		if e.Local {
			return Info, fmt.Sprintf("Local status now set to: '%s'", e.Status)
		}
		return Info, fmt.Sprintf("Status update for node %s: status %s", e.Node, e.Status)
	case NodeDead:
		return Warn, fmt.Sprintf("node %s: is dead", e.Node)
	case NodeRestarted:
		return Info, fmt.Sprintf("Heartbeat restart on node %s", e.Node)
	case LateHeartbeat:
		return Warn, fmt.Sprintf("Late heartbeat: Node %s: interval %d ms", e.Node, e.Gap.Milliseconds())
	case NodeLeft:
		return Info, fmt.Sprintf("Received shutdown notice from '%s'.", e.Node)
	}
	return Info, ""
}
