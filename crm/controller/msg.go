package controller

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"hbgo/crm/cibstore"
	"hbgo/heartbeat/wire"
)

// MsgType is the heartbeat message type ("t" field) of a controller
// message. Part of the protocol: only append.
type MsgType string

// Controller message types.
const (
	// MsgJoinOffer: coordinator -> all. Instance, Members.
	MsgJoinOffer MsgType = "crm_join_offer"
	// MsgJoinAck: member -> coordinator. Instance, Version, Digest.
	MsgJoinAck MsgType = "crm_join_ack"
	// MsgJoinNack: member -> coordinator, the offer's instance is stale.
	// Instance (the offer's), MaxInstance, Reason.
	MsgJoinNack MsgType = "crm_join_nack"
	// MsgJoinConfirm: DC -> all. Instance, Members, Quorum.
	MsgJoinConfirm MsgType = "crm_join_confirm"
	// MsgJoinRequest: node left out -> the node it ranks first. MaxInstance.
	MsgJoinRequest MsgType = "crm_join_request"
	// MsgQuorum: DC -> all, quorum changed within an instance. Instance, Quorum.
	MsgQuorum MsgType = "crm_quorum"
	// MsgCIBRequest: any node -> DC, a change to apply. ReqID, Patch (ops
	// only; versions 0.0.0).
	MsgCIBRequest MsgType = "crm_cib_request"
	// MsgCIBReply: DC -> requester. ReqID, RC ("ok" or the refusal), Version.
	MsgCIBReply MsgType = "crm_cib_reply"
	// MsgCIBDiff: DC -> all, a committed change. Instance, Patch.
	MsgCIBDiff MsgType = "crm_cib_diff"
	// MsgCIBFull: a full copy, DC -> member or member -> DC when pulled.
	// Instance, CIB.
	MsgCIBFull MsgType = "crm_cib_full"
	// MsgCIBSyncReq: ask for a full copy (member -> DC, or DC -> the
	// member holding the newest CIB). Instance.
	MsgCIBSyncReq MsgType = "crm_cib_sync_req"
	// MsgCIBVersion: DC -> all, every RetryInterval, so a member that
	// missed a diff finds out without waiting for the next one.
	// Instance, Version, Digest.
	MsgCIBVersion MsgType = "crm_cib_version"
)

var knownTypes = map[MsgType]bool{MsgJoinOffer: true, MsgJoinAck: true, MsgJoinNack: true, MsgJoinConfirm: true,
	MsgJoinRequest: true, MsgQuorum: true, MsgCIBRequest: true, MsgCIBReply: true, MsgCIBDiff: true,
	MsgCIBFull: true, MsgCIBSyncReq: true, MsgCIBVersion: true}

// Field names of controller messages, carried as string fields after the
// type. The sender comes from heartbeat's own "src" field, the addressee
// from "dest". Part of the protocol: only append.
const (
	FieldInstance    = "crm_instance"    // membership instance, decimal
	FieldMaxInstance = "crm_maxinstance" // highest instance the sender saw, decimal
	FieldMembers     = "crm_members"     // member names, space separated, sorted
	FieldQuorum      = "crm_quorum"      // "1" or "0"
	FieldVersion     = "cib_version"     // admin_epoch.epoch.num_updates
	FieldDigest      = "cib_digest"      // md5 hex of the canonical CIB
	FieldReqID       = "crm_reqid"       // requester-chosen request id
	FieldRC          = "crm_rc"          // "ok" or refusal text
	FieldReason      = "crm_reason"      // free text
	FieldCIB         = "cib"             // full CIB XML
	FieldPatch       = "cib_patch"       // cib_patch XML
	FieldCIBGz       = "cib_gz"          // full CIB XML, gzip then base64 (large CIBs)
	FieldPatchGz     = "cib_patch_gz"    // cib_patch XML, gzip then base64
)

// Size limits. A heartbeat message travels in one UDP datagram (at most
// wire.MaxMessageSize bytes with its envelope and signatures).
const (
	// CompressAbove: XML payloads longer than this travel gzipped.
	CompressAbove = 8 << 10
	// MaxPayload bounds the (possibly compressed) payload field.
	MaxPayload = 56 << 10
	// MaxXML bounds a decompressed payload, against compression bombs.
	MaxXML = 16 << 20
)

// ErrTooLarge means a CIB or patch does not fit in one heartbeat message
// even compressed.
var ErrTooLarge = errors.New("CIB payload too large for one heartbeat message")

// RCOK is the RC of a committed change.
const RCOK = "ok"

// Msg is a controller message in Go form. Which fields are meaningful
// depends on Type (see the MsgType constants).
type Msg struct {
	Type        MsgType
	From        string // sender; set by Decode from "src", not encoded
	To          string // addressee, "" for everybody
	Instance    uint64
	MaxInstance uint64
	Members     []string
	Quorum      bool
	Version     cibstore.Version
	Digest      string
	ReqID       string
	RC          string
	Reason      string
	CIB         *cibstore.Doc
	Patch       *cibstore.Patch
}

// ErrBadMessage is wrapped by Decode's errors.
var ErrBadMessage = errors.New("bad controller message")

// IsController reports whether a heartbeat message type belongs to the
// controller, so the daemon knows where to route it.
func IsController(t string) bool { return knownTypes[MsgType(t)] }

// Encode builds the heartbeat message for m. Fields that are zero for the
// type are left out; the daemon appends the envelope (src, seq, ...) and
// sends it reliably.
func Encode(m Msg) (*wire.Message, error) {
	if !knownTypes[m.Type] {
		return nil, fmt.Errorf("%w: unknown type %q", ErrBadMessage, m.Type)
	}
	w := wire.New(string(m.Type))
	if m.To != "" {
		w.Add(wire.FieldDest, m.To)
	}
	switch m.Type {
	case MsgJoinOffer, MsgJoinAck, MsgJoinNack, MsgJoinConfirm, MsgQuorum, MsgCIBDiff, MsgCIBFull, MsgCIBSyncReq, MsgCIBVersion:
		w.Add(FieldInstance, strconv.FormatUint(m.Instance, 10))
	}
	if m.Type == MsgJoinNack || m.Type == MsgJoinRequest {
		w.Add(FieldMaxInstance, strconv.FormatUint(m.MaxInstance, 10))
	}
	if m.Type == MsgJoinOffer || m.Type == MsgJoinConfirm {
		for _, n := range m.Members {
			if n == "" || strings.ContainsAny(n, " \t\n") {
				return nil, fmt.Errorf("%w: member name %q", ErrBadMessage, n)
			}
		}
		w.Add(FieldMembers, strings.Join(m.Members, " "))
	}
	if m.Type == MsgJoinConfirm || m.Type == MsgQuorum {
		w.Add(FieldQuorum, boolStr(m.Quorum))
	}
	if m.Type == MsgJoinAck || m.Type == MsgCIBReply || m.Type == MsgCIBVersion {
		w.Add(FieldVersion, m.Version.String())
	}
	if m.Type == MsgJoinAck || m.Type == MsgCIBVersion {
		w.Add(FieldDigest, m.Digest)
	}
	if m.Type == MsgCIBRequest || m.Type == MsgCIBReply {
		if m.ReqID == "" {
			return nil, fmt.Errorf("%w: %s without request id", ErrBadMessage, m.Type)
		}
		w.Add(FieldReqID, m.ReqID)
	}
	if m.Type == MsgCIBReply {
		w.Add(FieldRC, m.RC)
	}
	if m.Reason != "" {
		w.Add(FieldReason, m.Reason)
	}
	if m.Type == MsgCIBFull {
		if m.CIB == nil {
			return nil, fmt.Errorf("%w: %s without CIB", ErrBadMessage, m.Type)
		}
		if err := addXML(w, FieldCIB, FieldCIBGz, m.CIB.Bytes()); err != nil {
			return nil, err
		}
	}
	if m.Type == MsgCIBRequest || m.Type == MsgCIBDiff {
		if m.Patch == nil {
			return nil, fmt.Errorf("%w: %s without patch", ErrBadMessage, m.Type)
		}
		if err := addXML(w, FieldPatch, FieldPatchGz, m.Patch.Marshal()); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// addXML adds an XML payload, plain when short, gzipped and base64-encoded
// (to stay a printable string field) when long.
func addXML(w *wire.Message, plain, gz string, b []byte) error {
	if len(b) <= CompressAbove {
		w.Add(plain, string(b))
		return nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b) //nolint:errcheck // writes to a bytes.Buffer do not fail
	zw.Close()  //nolint:errcheck
	enc := base64.StdEncoding.EncodeToString(buf.Bytes())
	if len(enc) > MaxPayload {
		return fmt.Errorf("%w: %d bytes of XML, %d compressed", ErrTooLarge, len(b), len(enc))
	}
	w.Add(gz, enc)
	return nil
}

// getXML reads a payload written by addXML.
func getXML(w *wire.Message, plain, gz string) ([]byte, error) {
	if v, ok := w.Get(plain); ok {
		return []byte(v), nil
	}
	v, ok := w.Get(gz)
	if !ok {
		return nil, wire.ErrNoField
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(zr, MaxXML+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxXML {
		return nil, fmt.Errorf("%w: more than %d bytes decompressed", ErrTooLarge, MaxXML)
	}
	return b, nil
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Decode reads a controller message. Unknown fields are ignored; missing
// or malformed required ones are errors wrapping ErrBadMessage.
func Decode(w *wire.Message) (Msg, error) {
	m := Msg{Type: MsgType(w.Type())}
	if !knownTypes[m.Type] {
		return Msg{}, fmt.Errorf("%w: unknown type %q", ErrBadMessage, m.Type)
	}
	bad := func(f string, err error) (Msg, error) {
		return Msg{}, fmt.Errorf("%w: %s field %s: %w", ErrBadMessage, m.Type, f, err)
	}
	m.From = w.Value(wire.FieldSrc)
	if m.From == "" {
		return bad(wire.FieldSrc, wire.ErrNoField)
	}
	m.To = w.Value(wire.FieldDest)
	need := func(f string) (string, error) {
		v, ok := w.Get(f)
		if !ok {
			return "", wire.ErrNoField
		}
		return v, nil
	}
	var err error
	uint := func(f string) (uint64, error) {
		v, err := need(f)
		if err != nil {
			return 0, err
		}
		return strconv.ParseUint(v, 10, 64)
	}
	switch m.Type {
	case MsgJoinOffer, MsgJoinAck, MsgJoinNack, MsgJoinConfirm, MsgQuorum, MsgCIBDiff, MsgCIBFull, MsgCIBSyncReq, MsgCIBVersion:
		if m.Instance, err = uint(FieldInstance); err != nil {
			return bad(FieldInstance, err)
		}
	}
	if m.Type == MsgJoinNack || m.Type == MsgJoinRequest {
		if m.MaxInstance, err = uint(FieldMaxInstance); err != nil {
			return bad(FieldMaxInstance, err)
		}
	}
	if m.Type == MsgJoinOffer || m.Type == MsgJoinConfirm {
		v, err := need(FieldMembers)
		if err != nil {
			return bad(FieldMembers, err)
		}
		m.Members = strings.Fields(v)
		if len(m.Members) == 0 {
			return bad(FieldMembers, errors.New("empty"))
		}
	}
	if m.Type == MsgJoinConfirm || m.Type == MsgQuorum {
		v, err := need(FieldQuorum)
		if err != nil {
			return bad(FieldQuorum, err)
		}
		switch v {
		case "1":
			m.Quorum = true
		case "0":
		default:
			return bad(FieldQuorum, fmt.Errorf("value %q", v))
		}
	}
	if m.Type == MsgJoinAck || m.Type == MsgCIBReply || m.Type == MsgCIBVersion {
		v, err := need(FieldVersion)
		if err != nil {
			return bad(FieldVersion, err)
		}
		if m.Version, err = cibstore.ParseVersion(v); err != nil {
			return bad(FieldVersion, err)
		}
	}
	if m.Type == MsgJoinAck || m.Type == MsgCIBVersion {
		m.Digest = w.Value(FieldDigest)
	}
	if m.Type == MsgCIBRequest || m.Type == MsgCIBReply {
		if m.ReqID, err = need(FieldReqID); err != nil || m.ReqID == "" {
			return bad(FieldReqID, wire.ErrNoField)
		}
	}
	if m.Type == MsgCIBReply {
		if m.RC, err = need(FieldRC); err != nil {
			return bad(FieldRC, err)
		}
	}
	m.Reason = w.Value(FieldReason)
	if m.Type == MsgCIBFull {
		v, err := getXML(w, FieldCIB, FieldCIBGz)
		if err != nil {
			return bad(FieldCIB, err)
		}
		if m.CIB, err = cibstore.Parse(v); err != nil {
			return bad(FieldCIB, err)
		}
	}
	if m.Type == MsgCIBRequest || m.Type == MsgCIBDiff {
		v, err := getXML(w, FieldPatch, FieldPatchGz)
		if err != nil {
			return bad(FieldPatch, err)
		}
		p, err := cibstore.ParsePatch(v)
		if err != nil {
			return bad(FieldPatch, err)
		}
		m.Patch = &p
	}
	return m, nil
}
