package wire

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Kind is the type digit of a netstring field, "(0)name=value". The digits
// are part of the protocol: only append.
type Kind byte

// The field kinds cluster-glue defines. 3.0.6 was only seen sending string
// and binary fields; the others are kept as raw bytes and never interpreted.
const (
	KindString       Kind = 0 // printable text
	KindBinary       Kind = 1 // raw bytes (UUIDs)
	KindStruct       Kind = 2 // nested message
	KindList         Kind = 3 // list of strings
	KindCompressed   Kind = 4 // compressed nested message
	KindUncompressed Kind = 5 // uncompressed marker
)

// Field is one name=value pair of a message.
type Field struct {
	Name  string
	Kind  Kind
	Value []byte
}

// Message is a Heartbeat message: fields in wire order. Order matters for
// the signatures, so the helpers keep it: Set replaces in place, Add appends.
// Field names may repeat; getters see the first occurrence.
type Message struct {
	Fields []Field
}

// ErrNoField is returned by the typed getters when the field is absent.
var ErrNoField = errors.New("field absent")

// New returns a message whose first field is t=typ, as 3.0.6 builds them.
func New(typ string) *Message {
	m := &Message{Fields: make([]Field, 0, 12)}
	m.Add(FieldType, typ)
	return m
}

func (m *Message) index(name string) int {
	for i := range m.Fields {
		if m.Fields[i].Name == name {
			return i
		}
	}
	return -1
}

// Has reports whether a field named name is present.
func (m *Message) Has(name string) bool { return m.index(name) >= 0 }

// Get returns the value of the first field named name, whatever its kind.
func (m *Message) Get(name string) (string, bool) {
	i := m.index(name)
	if i < 0 {
		return "", false
	}
	return string(m.Fields[i].Value), true
}

// Value returns the value of field name, or "" when it is absent.
func (m *Message) Value(name string) string {
	v, _ := m.Get(name)
	return v
}

// Bytes returns the raw value of the first field named name (not a copy).
func (m *Message) Bytes(name string) ([]byte, bool) {
	i := m.index(name)
	if i < 0 {
		return nil, false
	}
	return m.Fields[i].Value, true
}

// Type returns the message type, the "t" field.
func (m *Message) Type() string { return m.Value(FieldType) }

// SetField replaces the first field named f.Name in place, or appends f.
func (m *Message) SetField(f Field) {
	if i := m.index(f.Name); i >= 0 {
		m.Fields[i] = f
		return
	}
	m.Fields = append(m.Fields, f)
}

// Set sets a string field, keeping its position when it already exists.
func (m *Message) Set(name, value string) {
	m.SetField(Field{Name: name, Kind: KindString, Value: []byte(value)})
}

// SetBinary sets a binary field, keeping its position when it exists.
func (m *Message) SetBinary(name string, value []byte) {
	m.SetField(Field{Name: name, Kind: KindBinary, Value: append([]byte(nil), value...)})
}

// Add appends a string field, even when one of that name exists.
func (m *Message) Add(name, value string) {
	m.Fields = append(m.Fields, Field{Name: name, Kind: KindString, Value: []byte(value)})
}

// AddBinary appends a binary field.
func (m *Message) AddBinary(name string, value []byte) {
	m.Fields = append(m.Fields, Field{Name: name, Kind: KindBinary, Value: append([]byte(nil), value...)})
}

// Del removes every field named name.
func (m *Message) Del(name string) {
	out := m.Fields[:0]
	for _, f := range m.Fields {
		if f.Name != name {
			out = append(out, f)
		}
	}
	m.Fields = out
}

// Clone returns a deep copy.
func (m *Message) Clone() *Message {
	c := &Message{Fields: make([]Field, len(m.Fields))}
	for i, f := range m.Fields {
		c.Fields[i] = Field{Name: f.Name, Kind: f.Kind, Value: append([]byte(nil), f.Value...)}
	}
	return c
}

// Equal reports whether both messages have the same fields in the same order.
func (m *Message) Equal(o *Message) bool {
	if len(m.Fields) != len(o.Fields) {
		return false
	}
	for i, f := range m.Fields {
		g := o.Fields[i]
		if f.Name != g.Name || f.Kind != g.Kind || !bytes.Equal(f.Value, g.Value) {
			return false
		}
	}
	return true
}

// String renders the message for logs: name=value pairs, binary values in
// hex, the signature left out.
func (m *Message) String() string {
	var b bytes.Buffer
	for i, f := range m.Fields {
		if f.Name == FieldAuth {
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Name)
		b.WriteByte('=')
		if f.Kind == KindString {
			b.Write(f.Value)
		} else {
			fmt.Fprintf(&b, "(%d)%x", f.Kind, f.Value)
		}
	}
	return b.String()
}

// Uint parses field name as an unsigned number in base (16 or 10).
func (m *Message) Uint(name string, base int) (uint64, error) {
	v, ok := m.Bytes(name)
	if !ok {
		return 0, fmt.Errorf("%s: %w", name, ErrNoField)
	}
	n, err := strconv.ParseUint(string(v), base, 64)
	if err != nil {
		return 0, fmt.Errorf("field %s=%q: %w", name, v, err)
	}
	return n, nil
}

// SetUint sets field name to n in base (16 or 10), lower-case, no leading
// zeros: the form 3.0.6 writes.
func (m *Message) SetUint(name string, n uint64, base int) {
	m.SetField(Field{Name: name, Kind: KindString, Value: strconv.AppendUint(nil, n, base)})
}

// Seq returns the sender's sequence number (hex "seq").
func (m *Message) Seq() (uint64, error) { return m.Uint(FieldSeq, 16) }

// Generation returns the sender's generation (hex "hg").
func (m *Message) Generation() (uint64, error) { return m.Uint(FieldGeneration, 16) }

// Timestamp returns the sender's clock in Unix seconds (hex "ts").
func (m *Message) Timestamp() (uint64, error) { return m.Uint(FieldTimestamp, 16) }

// Deadtime returns the sender's advertised deadtime in ms (hex "dt").
func (m *Message) Deadtime() (uint64, error) { return m.Uint(FieldDeadtime, 16) }

// AckSeq returns the acknowledged sequence number (hex "ackseq").
func (m *Message) AckSeq() (uint64, error) { return m.Uint(FieldAckSeq, 16) }

// FirstSeq returns the first requested sequence number of NS_rexmit
// (decimal "firstseq").
func (m *Message) FirstSeq() (uint64, error) { return m.Uint(FieldFirstSeq, 10) }

// LastSeq returns the last requested sequence number of NS_rexmit (decimal
// "lastseq").
func (m *Message) LastSeq() (uint64, error) { return m.Uint(FieldLastSeq, 10) }
