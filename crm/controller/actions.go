package controller

import (
	"errors"
	"slices"

	"hbgo/crm/cibstore"
)

// Membership is the agreed view of a partition.
type Membership struct {
	Instance uint64   // grows with every new membership; 0 = none yet
	Members  []string // sorted
	DC       string   // "" while no DC is known
	Quorum   bool
}

// Equal reports whether both views are the same.
func (m Membership) Equal(o Membership) bool {
	return m.Instance == o.Instance && m.DC == o.DC && m.Quorum == o.Quorum && slices.Equal(m.Members, o.Members)
}

// Action is an output of the Machine, to be carried out by the driver in
// the order returned.
type Action interface{ isAction() }

// Send asks the driver to send Msg reliably over the heartbeat layer: to
// Msg.To, or to every node when Msg.To is "".
type Send struct{ Msg Msg }

// WriteCIB asks the driver to save the document (cibstore.Save) before
// carrying out the following actions.
type WriteCIB struct{ Doc *cibstore.Doc }

// Schedule asks the driver (on the DC only) to run the policy engine on
// Doc and execute the resulting transition; Membership says who is up and
// whether the partition has quorum (the caller applies no-quorum-policy).
// A newer Schedule supersedes an unfinished transition.
type Schedule struct {
	Doc        *cibstore.Doc
	Membership Membership
}

// ProbeNode asks the driver (on the DC) to probe the current state of
// every resource on Node (monitor operations with interval 0) and record
// the results in the CIB status; the driver then calls ProbeDone.
type ProbeNode struct{ Node string }

// CommitDone reports the end of a Request: Err nil means the change is
// committed on the DC at Version (or was already there).
type CommitDone struct {
	ReqID   string
	Version cibstore.Version
	Err     error
}

// MembershipChanged reports a new local view (new instance, DC known or
// lost, quorum changed).
type MembershipChanged struct{ Membership Membership }

func (Send) isAction()              {}
func (WriteCIB) isAction()          {}
func (Schedule) isAction()          {}
func (ProbeNode) isAction()         {}
func (CommitDone) isAction()        {}
func (MembershipChanged) isAction() {}

// Errors reported in CommitDone.
var (
	// ErrRequestTimeout: no answer from a DC within RequestTimeout. The
	// change may or may not have been applied.
	ErrRequestTimeout = errors.New("CIB request timed out; outcome unknown")
	// ErrRefused wraps the DC's refusal text (validation failed, bad op).
	ErrRefused = errors.New("CIB change refused by the DC")
	// ErrDuplicateRequest: a request with this id is already pending.
	ErrDuplicateRequest = errors.New("duplicate request id")
)
