package cibapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"hbgo/crm/status/cibdoc"
)

// MaxMessage bounds one request or answer in bytes. Large CIBs with long
// operation histories stay well under it; anything bigger is refused
// rather than buffered.
const MaxMessage = 32 << 20

// Operations a Request can carry.
const (
	OpQuery   = "query"
	OpReplace = "replace"
)

// Request is what a client sends: one operation per connection.
type Request struct {
	Op string `json:"op"`
	// XML is the whole new CIB for OpReplace; empty for OpQuery.
	XML string `json:"xml,omitempty"`
	// TimeoutMS is how long the client waits for the answer; the server
	// bounds the backend call by it so a change that cannot commit is
	// abandoned before the client gives up. 0 means the server default.
	TimeoutMS int64 `json:"timeout_ms,omitempty"`
}

// Response answers a Request. Code is empty on success.
type Response struct {
	Code  string `json:"code,omitempty"`
	Error string `json:"error,omitempty"`
	// XML is the CIB an OpQuery returns.
	XML string `json:"xml,omitempty"`
}

// Answer codes: each names one sentinel error, so the kind of failure
// survives the trip over the socket.
const (
	codeNoDC         = "no-dc"
	codeNoQuorum     = "no-quorum"
	codeTimeout      = "timeout"
	codeNotCommitted = "not-committed"
	codeRejected     = "rejected"
	codeStale        = "stale"
	codeBadRequest   = "bad-request"
	codeFailed       = "failed"
)

// encode renders a message as it goes over the socket: JSON without
// HTML escaping, so the XML inside keeps its size, and at most MaxMessage
// bytes.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if buf.Len() > MaxMessage {
		return nil, fmt.Errorf("message of %d bytes exceeds the %d byte limit", buf.Len(), MaxMessage)
	}
	return buf.Bytes(), nil
}

// errBadRequest marks requests DecodeRequest refuses.
var errBadRequest = errors.New("bad request")

// DecodeRequest parses and checks one request as read from the socket:
// a single JSON object with a known operation, and for OpReplace a
// well-formed document whose root is <cib>. It refuses oversized input,
// trailing data and negative timeouts.
func DecodeRequest(data []byte) (Request, error) {
	var req Request
	if len(data) > MaxMessage {
		return req, fmt.Errorf("%w: %d bytes, limit %d", errBadRequest, len(data), MaxMessage)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return Request{}, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	if dec.More() {
		return Request{}, fmt.Errorf("%w: data after the request", errBadRequest)
	}
	if req.TimeoutMS < 0 {
		return Request{}, fmt.Errorf("%w: negative timeout %d", errBadRequest, req.TimeoutMS)
	}
	switch req.Op {
	case OpQuery:
		if req.XML != "" {
			return Request{}, fmt.Errorf("%w: query carries a document", errBadRequest)
		}
	case OpReplace:
		root, err := cibdoc.Parse([]byte(req.XML))
		if err != nil {
			return Request{}, fmt.Errorf("%w: replacement: %v", errBadRequest, err)
		}
		if root.Name != "cib" {
			return Request{}, fmt.Errorf("%w: replacement root is <%s>, not <cib>", errBadRequest, root.Name)
		}
	default:
		return Request{}, fmt.Errorf("%w: unknown operation %q", errBadRequest, req.Op)
	}
	return req, nil
}

// decodeResponse parses an answer.
func decodeResponse(data []byte, r *Response) error {
	return json.Unmarshal(data, r)
}
