package lrmproxy

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"hbgo/heartbeat/wire"
)

// MsgType is the heartbeat message type ("t" field) of an LRM proxy
// message. Part of the protocol: only append.
type MsgType string

// LRM proxy message types.
const (
	// MsgExec: DC -> node, run an operation. OpID, TransitionKey, the
	// operation (Resource ... Meta).
	MsgExec MsgType = "crm_lrm_exec"
	// MsgResult: node -> requester, the answer to MsgExec or MsgCancel.
	// OpID, RC, OpStatus, ExitReason, ExecMS, QueueMS, CallID.
	MsgResult MsgType = "crm_lrm_result"
	// MsgEvent: node -> DC, a recurring monitor's result changed. The
	// operation (Resource, Agent, Action, IntervalMS, TimeoutMS), RC,
	// RStatus, ExitReason, ExpectedRC, ExecMS, AtMS.
	MsgEvent MsgType = "crm_lrm_event"
	// MsgCancel: DC -> node, stop a recurring operation. OpID, Resource,
	// Action (the cancelled task), IntervalMS.
	MsgCancel MsgType = "crm_lrm_cancel"
)

var knownTypes = map[MsgType]bool{MsgExec: true, MsgResult: true, MsgEvent: true, MsgCancel: true}

// IsLRM reports whether a heartbeat message type belongs to this package,
// so the daemon knows where to route it.
func IsLRM(t string) bool { return knownTypes[MsgType(t)] }

// Field names, carried as string fields after the type. The sender comes
// from heartbeat's "src" field, the addressee from "dest". Part of the
// protocol: only append.
const (
	FieldOpID          = "lrm_opid"      // requester-chosen operation id
	FieldTransitionKey = "lrm_tkey"      // transition key of the action
	FieldResource      = "lrm_rsc"       // resource id (instance name)
	FieldClass         = "lrm_class"     // agent class
	FieldProvider      = "lrm_provider"  // agent provider (OCF)
	FieldAgentType     = "lrm_type"      // agent type
	FieldAction        = "lrm_action"    // operation (start, monitor...)
	FieldInterval      = "lrm_interval"  // interval, milliseconds
	FieldTimeout       = "lrm_timeout"   // timeout, milliseconds
	FieldTargetRC      = "lrm_target_rc" // rc meaning success
	FieldParams        = "lrm_params"    // instance parameters, URL query form
	FieldMeta          = "lrm_meta"      // meta attributes, URL query form
	FieldRC            = "lrm_rc"        // agent exit code
	FieldOpStatus      = "lrm_opstatus"  // CIB op-status (tengine.OpStatus)
	FieldExitReason    = "lrm_reason"    // exit reason, one line
	FieldExecMS        = "lrm_exec_ms"   // time the agent ran
	FieldQueueMS       = "lrm_queue_ms"  // time the request waited
	FieldCallID        = "lrm_call_id"   // node-local call counter
	FieldRStatus       = "lrm_rstatus"   // resourced.Status of an event
	FieldExpectedRC    = "lrm_expected"  // rc the node's manager expected
	FieldAt            = "lrm_at"        // event time, unix milliseconds
)

// MaxMapText bounds the encoded params or meta field, so one message stays
// well within a heartbeat datagram.
const MaxMapText = 48 << 10

// ErrBadMessage is wrapped by Encode's and Decode's errors.
var ErrBadMessage = errors.New("bad LRM proxy message")

// Msg is an LRM proxy message in Go form. Which fields are meaningful
// depends on Type (see the MsgType constants).
type Msg struct {
	Type MsgType
	From string // sender; set by Decode from "src", not encoded
	To   string // addressee

	OpID          string
	TransitionKey string
	Resource      string
	Class         string
	Provider      string
	AgentType     string
	Action        string
	IntervalMS    int64
	TimeoutMS     int64
	TargetRC      int
	Params, Meta  map[string]string

	RC         int
	OpStatus   int
	ExitReason string
	ExecMS     int64
	QueueMS    int64
	CallID     int64
	RStatus    int
	ExpectedRC int
	AtMS       int64
}

// Encode builds the heartbeat message for m. The daemon appends the
// envelope (src, seq, ...) and sends it reliably. Line breaks in the exit
// reason become spaces; other text fields must not hold them.
func Encode(m Msg) (*wire.Message, error) {
	if !knownTypes[m.Type] {
		return nil, fmt.Errorf("%w: unknown type %q", ErrBadMessage, m.Type)
	}
	if m.To == "" {
		return nil, fmt.Errorf("%w: %s without addressee", ErrBadMessage, m.Type)
	}
	w := wire.New(string(m.Type))
	var err error
	add := func(name, v string) {
		if err == nil && strings.ContainsAny(v, "\r\n\x00") {
			err = fmt.Errorf("%w: %s field %s holds a line break", ErrBadMessage, m.Type, name)
		}
		w.Add(name, v)
	}
	num := func(name string, n int64) { w.Add(name, strconv.FormatInt(n, 10)) }
	add(wire.FieldDest, m.To)
	if m.Type != MsgEvent {
		if m.OpID == "" {
			return nil, fmt.Errorf("%w: %s without op id", ErrBadMessage, m.Type)
		}
		add(FieldOpID, m.OpID)
	}
	if m.Type != MsgResult {
		if m.Resource == "" || m.Action == "" {
			return nil, fmt.Errorf("%w: %s without resource or action", ErrBadMessage, m.Type)
		}
		add(FieldResource, m.Resource)
		add(FieldAction, m.Action)
		num(FieldInterval, m.IntervalMS)
	}
	if m.Type == MsgExec || m.Type == MsgEvent {
		add(FieldClass, m.Class)
		add(FieldProvider, m.Provider)
		add(FieldAgentType, m.AgentType)
		num(FieldTimeout, m.TimeoutMS)
	}
	if m.Type == MsgExec {
		add(FieldTransitionKey, m.TransitionKey)
		num(FieldTargetRC, int64(m.TargetRC))
		for _, f := range []struct {
			name string
			m    map[string]string
		}{{FieldParams, m.Params}, {FieldMeta, m.Meta}} {
			if len(f.m) == 0 {
				continue
			}
			v := url.Values{}
			for k, s := range f.m {
				v.Set(k, s)
			}
			text := v.Encode()
			if len(text) > MaxMapText {
				return nil, fmt.Errorf("%w: %s field %s is %d bytes", ErrBadMessage, m.Type, f.name, len(text))
			}
			add(f.name, text)
		}
	}
	if m.Type == MsgResult || m.Type == MsgEvent {
		num(FieldRC, int64(m.RC))
		num(FieldExecMS, m.ExecMS)
		if m.ExitReason != "" {
			add(FieldExitReason, oneLine(m.ExitReason))
		}
	}
	if m.Type == MsgResult {
		num(FieldOpStatus, int64(m.OpStatus))
		num(FieldQueueMS, m.QueueMS)
		num(FieldCallID, m.CallID)
	}
	if m.Type == MsgEvent {
		num(FieldRStatus, int64(m.RStatus))
		num(FieldExpectedRC, int64(m.ExpectedRC))
		num(FieldAt, m.AtMS)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\x00", " ").Replace(s)
}

// Decode reads an LRM proxy message. Unknown fields are ignored; missing
// or malformed required ones are errors wrapping ErrBadMessage.
func Decode(w *wire.Message) (Msg, error) {
	m := Msg{Type: MsgType(w.Type())}
	if !knownTypes[m.Type] {
		return Msg{}, fmt.Errorf("%w: unknown type %q", ErrBadMessage, m.Type)
	}
	m.From = w.Value(wire.FieldSrc)
	m.To = w.Value(wire.FieldDest)
	var err error
	str := func(name string, required bool) string {
		v, ok := w.Get(name)
		if err == nil && required && (!ok || v == "") {
			err = fmt.Errorf("%w: %s without field %s", ErrBadMessage, m.Type, name)
		}
		return v
	}
	num := func(name string) int64 {
		v, ok := w.Get(name)
		if !ok {
			if err == nil {
				err = fmt.Errorf("%w: %s without field %s", ErrBadMessage, m.Type, name)
			}
			return 0
		}
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil && err == nil {
			err = fmt.Errorf("%w: %s field %s: %w", ErrBadMessage, m.Type, name, perr)
		}
		return n
	}
	small := func(name string) int {
		n := num(name)
		if (n < -1<<31 || n > 1<<31-1) && err == nil {
			err = fmt.Errorf("%w: %s field %s out of range", ErrBadMessage, m.Type, name)
		}
		return int(n)
	}
	if m.Type != MsgEvent {
		m.OpID = str(FieldOpID, true)
	}
	if m.Type != MsgResult {
		m.Resource = str(FieldResource, true)
		m.Action = str(FieldAction, true)
		m.IntervalMS = num(FieldInterval)
	}
	if m.Type == MsgExec || m.Type == MsgEvent {
		m.Class = str(FieldClass, false)
		m.Provider = str(FieldProvider, false)
		m.AgentType = str(FieldAgentType, false)
		m.TimeoutMS = num(FieldTimeout)
	}
	if m.Type == MsgExec {
		m.TransitionKey = str(FieldTransitionKey, false)
		m.TargetRC = small(FieldTargetRC)
		m.Params = decodeMap(w, FieldParams, &err, m.Type)
		m.Meta = decodeMap(w, FieldMeta, &err, m.Type)
	}
	if m.Type == MsgResult || m.Type == MsgEvent {
		m.RC = small(FieldRC)
		m.ExecMS = num(FieldExecMS)
		m.ExitReason = str(FieldExitReason, false)
	}
	if m.Type == MsgResult {
		m.OpStatus = small(FieldOpStatus)
		m.QueueMS = num(FieldQueueMS)
		m.CallID = num(FieldCallID)
	}
	if m.Type == MsgEvent {
		m.RStatus = small(FieldRStatus)
		m.ExpectedRC = small(FieldExpectedRC)
		m.AtMS = num(FieldAt)
	}
	if err == nil && (m.IntervalMS < 0 || m.TimeoutMS < 0 || m.ExecMS < 0 || m.QueueMS < 0) {
		err = fmt.Errorf("%w: %s with a negative duration", ErrBadMessage, m.Type)
	}
	if err != nil {
		return Msg{}, err
	}
	return m, nil
}

func decodeMap(w *wire.Message, name string, errp *error, t MsgType) map[string]string {
	v, ok := w.Get(name)
	if !ok {
		return nil
	}
	if len(v) > MaxMapText {
		if *errp == nil {
			*errp = fmt.Errorf("%w: %s field %s is %d bytes", ErrBadMessage, t, name, len(v))
		}
		return nil
	}
	q, err := url.ParseQuery(v)
	if err != nil {
		if *errp == nil {
			*errp = fmt.Errorf("%w: %s field %s: %w", ErrBadMessage, t, name, err)
		}
		return nil
	}
	out := make(map[string]string, len(q))
	for k, vs := range q {
		out[k] = vs[len(vs)-1]
	}
	return out
}
