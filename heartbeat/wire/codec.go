package wire

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"hbgo/authkeys"
)

// Framing markers. Part of the protocol.
const (
	netstringStart = "###\n"
	netstringEnd   = "%%%\n"
	classicStart   = ">>>\n"
	classicEnd     = "<<<\n"
)

// MaxMessageSize bounds what Decode accepts; 3.0.6 messages are a few
// hundred bytes and a UDP datagram cannot exceed 64 KiB.
const MaxMessageSize = 65535

// Errors of decoding and verification.
var (
	// ErrMalformed means the bytes are not a Heartbeat message.
	ErrMalformed = errors.New("malformed heartbeat message")
	// ErrUnsigned means a signature 3.0.6 always sends is absent.
	ErrUnsigned = errors.New("heartbeat message not signed")
	// ErrBadAuth means a signature does not verify (unknown key index or
	// wrong digest). The daemon logs it as "Bad authentication from NODE".
	ErrBadAuth = errors.New("bad authentication")
)

// Signature names which of the two signatures an AuthError is about.
type Signature string

// The two signatures of a netstring message.
const (
	SigAuthField Signature = "auth field" // the in-body auth= field
	SigTrailer   Signature = "trailer"    // the digest after %%%\n
)

// AuthError is returned by Verify when a signature is absent or wrong. It
// matches ErrBadAuth or ErrUnsigned with errors.Is, and the authkeys error
// (ErrUnknownKey, ErrBadDigest) when there is one.
type AuthError struct {
	Sig  Signature
	Key  int    // key index named by the packet, -1 when unreadable
	Src  string // the "src" field, for the log line
	Kind error  // ErrBadAuth or ErrUnsigned
	Err  error  // the keyring's error, may be nil
}

// Error says which signature failed, for which sender and key.
func (e *AuthError) Error() string {
	s := fmt.Sprintf("%v from %q: %s", e.Kind, e.Src, e.Sig)
	if e.Key >= 0 {
		s += fmt.Sprintf(" (key %d)", e.Key)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the sentinel and the keyring's error.
func (e *AuthError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// frame is a decoded message plus where its signatures sit in the input.
type frame struct {
	msg     *Message
	classic bool
	bodyEnd int    // netstring: offset just after "%%%\n"
	trailer []byte // netstring: content of the trailer netstring, nil if absent
}

// Decode parses a message in either framing. Values are copied: b may be
// reused by the caller. Signatures are not checked (see Verify).
func Decode(b []byte) (*Message, error) {
	f, err := decode(b)
	if err != nil {
		return nil, err
	}
	return f.msg, nil
}

func decode(b []byte) (frame, error) {
	if len(b) > MaxMessageSize {
		return frame{}, fmt.Errorf("%w: %d bytes", ErrMalformed, len(b))
	}
	switch {
	case bytes.HasPrefix(b, []byte(netstringStart)):
		return decodeNetstring(b)
	case bytes.HasPrefix(b, []byte(classicStart)):
		return decodeClassic(b)
	}
	return frame{}, fmt.Errorf("%w: unknown framing", ErrMalformed)
}

// readNetstring reads "<len>:<body>," at b[i:] and returns body and the
// offset after the comma.
func readNetstring(b []byte, i int) ([]byte, int, error) {
	c := i
	for c < len(b) && b[c] >= '0' && b[c] <= '9' {
		c++
	}
	if c == i || c-i > 6 || c >= len(b) || b[c] != ':' {
		return nil, 0, fmt.Errorf("%w: bad netstring length at byte %d", ErrMalformed, i)
	}
	n, _ := strconv.Atoi(string(b[i:c]))
	start := c + 1
	end := start + n
	if end >= len(b) || b[end] != ',' {
		return nil, 0, fmt.Errorf("%w: netstring at byte %d overruns or lacks ','", ErrMalformed, i)
	}
	return b[start:end], end + 1, nil
}

func decodeNetstring(in []byte) (frame, error) {
	b := append([]byte(nil), in...) // one copy; fields slice into it
	m := &Message{Fields: make([]Field, 0, countFields(b))}
	i := len(netstringStart)
	for {
		if bytes.HasPrefix(b[i:], []byte(netstringEnd)) {
			break
		}
		if i >= len(b) {
			return frame{}, fmt.Errorf("%w: no %q end marker", ErrMalformed, netstringEnd)
		}
		body, next, err := readNetstring(b, i)
		if err != nil {
			return frame{}, err
		}
		f, err := parseField(body, false)
		if err != nil {
			return frame{}, fmt.Errorf("field at byte %d: %w", i, err)
		}
		m.Fields = append(m.Fields, f)
		i = next
	}
	fr := frame{msg: m, bodyEnd: i + len(netstringEnd)}
	if fr.bodyEnd < len(b) {
		tr, next, err := readNetstring(b, fr.bodyEnd)
		if err != nil {
			return frame{}, fmt.Errorf("trailer: %w", err)
		}
		if next != len(b) {
			return frame{}, fmt.Errorf("%w: %d bytes after the trailer", ErrMalformed, len(b)-next)
		}
		fr.trailer = tr
	}
	return fr, nil
}

// countFields estimates the field count to size the slice once.
func countFields(b []byte) int { return bytes.Count(b, []byte(":(")) }

// parseField splits "(T)name=value" (the "(T)" is optional, string when
// absent). In the classic framing binary values are base64.
func parseField(body []byte, classic bool) (Field, error) {
	f := Field{Kind: KindString}
	if len(body) >= 3 && body[0] == '(' && body[2] == ')' && body[1] >= '0' && body[1] <= '9' {
		f.Kind = Kind(body[1] - '0')
		body = body[3:]
	}
	eq := bytes.IndexByte(body, '=')
	if eq <= 0 {
		return Field{}, fmt.Errorf("%w: field %q has no name=value", ErrMalformed, body)
	}
	f.Name = internName(body[:eq])
	f.Value = body[eq+1:]
	if classic && f.Kind == KindBinary {
		v, err := base64.StdEncoding.DecodeString(string(f.Value))
		if err != nil {
			return Field{}, fmt.Errorf("%w: binary field %s: %v", ErrMalformed, f.Name, err)
		}
		f.Value = v
	}
	return f, nil
}

// knownNames lets decoding reuse the constant strings instead of
// allocating one per field.
var knownNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{FieldType, FieldStatus, FieldDeadtime, FieldProtocol,
		FieldSrc, FieldSrcUUID, FieldDest, FieldDestUUID, FieldSeq, FieldGeneration,
		FieldTimestamp, FieldLoad, FieldTTL, FieldAuth, FieldAckSeq, FieldFirstSeq,
		FieldLastSeq, FieldComment, FieldInfo, FieldNodeList, FieldDelNodeList,
		FieldRscHold, FieldRType, FieldIsStable, FieldIPAddr, FieldWeOwn, FieldOK,
		FieldNode, FieldResult} {
		m[n] = n
	}
	return m
}()

func internName(b []byte) string {
	if s, ok := knownNames[string(b)]; ok {
		return s
	}
	return string(b)
}

func decodeClassic(in []byte) (frame, error) {
	b := append([]byte(nil), in...)
	m := &Message{}
	rest := b[len(classicStart):]
	for {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return frame{}, fmt.Errorf("%w: no %q end marker", ErrMalformed, classicEnd)
		}
		line := rest[:nl]
		rest = rest[nl+1:]
		if string(line) == classicEnd[:3] {
			break
		}
		if len(line) == 0 {
			continue
		}
		f, err := parseField(line, true)
		if err != nil {
			return frame{}, err
		}
		m.Fields = append(m.Fields, f)
	}
	if len(rest) != 0 {
		return frame{}, fmt.Errorf("%w: %d bytes after %q", ErrMalformed, len(rest), classicEnd)
	}
	return frame{msg: m, classic: true}, nil
}

// appendSignedText appends the classic rendering the in-body auth= field
// signs: every field but the auth field, "name=value\n" for strings,
// "(1)name=<base64>\n" for binary, "(T)name=value\n" for the other kinds
// (not observed on the wire).
func appendSignedText(dst []byte, m *Message) []byte {
	for _, f := range m.Fields {
		if f.Name == FieldAuth {
			continue
		}
		if f.Kind != KindString {
			dst = append(dst, '(', '0'+byte(f.Kind), ')')
		}
		dst = append(dst, f.Name...)
		dst = append(dst, '=')
		if f.Kind == KindBinary {
			dst = base64.StdEncoding.AppendEncode(dst, f.Value)
		} else {
			dst = append(dst, f.Value...)
		}
		dst = append(dst, '\n')
	}
	return dst
}

// SignedText returns the bytes the in-body auth= field is computed over.
func (m *Message) SignedText() []byte { return appendSignedText(nil, m) }

func appendNetstringField(dst []byte, f Field) []byte {
	n := 3 + len(f.Name) + 1 + len(f.Value)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, ':', '(', '0'+byte(f.Kind), ')')
	dst = append(dst, f.Name...)
	dst = append(dst, '=')
	dst = append(dst, f.Value...)
	return append(dst, ',')
}

func appendSig(dst []byte, idx int, digest string) []byte {
	dst = strconv.AppendInt(dst, int64(idx), 10)
	dst = append(dst, ' ')
	return append(dst, digest...)
}

// Encode signs m with the keyring's active key and returns the netstring
// form 3.0.6 sends. Any auth field in m is replaced by a fresh one appended
// last (m is updated), then the trailer is added.
func (m *Message) Encode(ring *authkeys.Keyring) ([]byte, error) {
	if ring == nil {
		return nil, fmt.Errorf("encode: %w: no keyring", ErrUnsigned)
	}
	if _, ok := ring.Keys[ring.Active]; !ok {
		return nil, fmt.Errorf("encode: %w: active key %d not in keyring", ErrUnsigned, ring.Active)
	}
	size := len(netstringStart) + len(netstringEnd) + 64
	for _, f := range m.Fields {
		if f.Name == "" || strings.IndexByte(f.Name, '=') >= 0 || f.Kind > 9 {
			return nil, fmt.Errorf("encode: field %q kind %d cannot be represented", f.Name, f.Kind)
		}
		size += 12 + len(f.Name) + 2*len(f.Value)
	}
	buf := make([]byte, 0, size)
	// The signed text is built in the tail of the same buffer to save an
	// allocation; it is overwritten by the netstring form afterwards.
	m.Del(FieldAuth)
	text := appendSignedText(buf[len(buf):], m)
	idx, digest := ring.Sign(text)
	m.Fields = append(m.Fields, Field{Name: FieldAuth, Kind: KindString, Value: appendSig(nil, idx, digest)})

	buf = append(buf, netstringStart...)
	for _, f := range m.Fields {
		buf = appendNetstringField(buf, f)
	}
	buf = append(buf, netstringEnd...)
	idx, digest = ring.Sign(buf)
	var sig [64]byte
	s := appendSig(sig[:0], idx, digest)
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, ':')
	buf = append(buf, s...)
	return append(buf, ','), nil
}

// parseSig splits "IDX HEX".
func parseSig(v []byte) (int, string, bool) {
	sp := bytes.IndexByte(v, ' ')
	if sp <= 0 || sp > 2 {
		return -1, "", false
	}
	idx, err := strconv.Atoi(string(v[:sp]))
	if err != nil || idx < 0 {
		return -1, "", false
	}
	return idx, string(v[sp+1:]), true
}

// Verify decodes raw and checks its signatures against ring: the in-body
// auth= field always, and for the netstring framing the trailer too (3.0.6
// sends both). On failure the message is still returned when it decoded, so
// the caller can name the sender; the error is an *AuthError.
func Verify(raw []byte, ring *authkeys.Keyring) (*Message, error) {
	fr, err := decode(raw)
	if err != nil {
		return nil, err
	}
	m := fr.msg
	src := m.Value(FieldSrc)
	authErr := func(sig Signature, key int, kind, err error) error {
		return &AuthError{Sig: sig, Key: key, Src: src, Kind: kind, Err: err}
	}
	// 3.0.6 puts auth last; its receiver looks it up by name, and the
	// last one counts when there are several.
	var auth []byte
	ok := false
	for _, f := range m.Fields {
		if f.Name == FieldAuth {
			auth, ok = f.Value, true
		}
	}
	if !ok {
		return m, authErr(SigAuthField, -1, ErrUnsigned, nil)
	}
	idx, digest, ok := parseSig(auth)
	if !ok {
		return m, authErr(SigAuthField, -1, ErrBadAuth, fmt.Errorf("unreadable %q", auth))
	}
	var stack [512]byte
	if err := ring.Verify(idx, appendSignedText(stack[:0], m), digest); err != nil {
		return m, authErr(SigAuthField, idx, ErrBadAuth, err)
	}
	if fr.classic {
		return m, nil
	}
	if fr.trailer == nil {
		return m, authErr(SigTrailer, -1, ErrUnsigned, nil)
	}
	idx, digest, ok = parseSig(fr.trailer)
	if !ok {
		return m, authErr(SigTrailer, -1, ErrBadAuth, fmt.Errorf("unreadable %q", fr.trailer))
	}
	if err := ring.Verify(idx, raw[:fr.bodyEnd], digest); err != nil {
		return m, authErr(SigTrailer, idx, ErrBadAuth, err)
	}
	return m, nil
}
