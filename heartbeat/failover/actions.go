package failover

import "fmt"

// Action is an output of the machine for the driver to carry out.
type Action interface{ isAction() }

// Send asks the messaging layer to send a cluster message.
type Send struct{ Msg Outgoing }

// RunJob asks the driver to run resource work in the background and report
// it with JobDone. Jobs never overlap: the machine starts one at a time.
type RunJob struct{ Job Job }

// Fence asks the driver to reset a node with the STONITH device and report
// the outcome with FenceDone.
type Fence struct{ Node string }

// Log is a line for the ha-log, in 3.0.6's wording.
type Log struct {
	Level Level
	Text  string
}

// Exit tells the driver the graceful shutdown is complete.
type Exit struct{}

func (Send) isAction()   {}
func (RunJob) isAction() {}
func (Fence) isAction()  {}
func (Log) isAction()    {}
func (Exit) isAction()   {}

// Level of a log line.
type Level int

// Levels, as ha-log prints them.
const (
	Debug Level = iota
	Info
	Warn
	Err
	Crit
)

func (l Level) String() string {
	return [...]string{"debug", "info", "WARN", "ERROR", "CRIT"}[l]
}

func (l Log) String() string { return fmt.Sprintf("%s: %s", l.Level, l.Text) }

// JobKind is the resource work a job does. Each is the work of one of
// 3.0.6's resource children (ResourceManager sub-commands).
type JobKind int

// Job kinds.
const (
	// CheckGroups runs the status of each group key and reports the keys
	// that are not running (req_resource's first step).
	CheckGroups JobKind = iota
	// TakeGroups acquires each group in order (ResourceManager takegroup):
	// resources left to right, skipping those already running; a group
	// whose start fails is released again and reported in Failed.
	TakeGroups
	// GiveGroups releases each group in order (ResourceManager givegroup):
	// resources right to left, with 3.0.6's stop retry and reboot rule.
	GiveGroups
	// ReleaseIfOwned releases the single group in Keys if its key resource
	// is running and reports Owned (the ip-request handler).
	ReleaseIfOwned
)

func (k JobKind) String() string {
	return [...]string{"check", "takegroup", "givegroup", "release-if-owned"}[k]
}

// Job is one piece of background resource work.
type Job struct {
	ID   int
	Name string // the 3.0.6 child's name, for logs
	Kind JobKind
	Keys []string
}

// JobResult reports a finished job.
type JobResult struct {
	ID         int
	NotRunning []string // CheckGroups: keys whose status says stopped
	Owned      bool     // ReleaseIfOwned: the group was ours and was released
	Failed     []string // TakeGroups: groups given up because a start failed
}
