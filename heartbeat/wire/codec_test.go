package wire

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"hbgo/authkeys"
)

var testRing = &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{
	1: {Index: 1, Method: authkeys.SHA1, Secret: "k"},
	3: {Index: 3, Method: authkeys.MD5, Secret: "old"},
}}

func TestDecodeMalformed(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"unknown framing", "hello"},
		{"no end marker", "###\n11:(0)t=status,"},
		{"length not digits", "###\nx:(0)t=a,%%%\n"},
		{"length too long", "###\n99:(0)t=a,%%%\n"},
		{"length too short", "###\n3:(0)t=a,%%%\n"},
		{"missing comma", "###\n7:(0)t=ab%%%\n"},
		{"no equals", "###\n4:(0)t,%%%\n"},
		{"empty name", "###\n5:(0)=ab,%%%\n"},
		{"garbage after trailer", "###\n7:(0)t=a,%%%\n3:1 0,x"},
		{"bad trailer", "###\n7:(0)t=a,%%%\nzz"},
		{"classic no end", ">>>\nt=a\n"},
		{"classic no equals", ">>>\nt\n<<<\n"},
		{"classic bad base64", ">>>\n(1)u=!!\n<<<\n"},
		{"classic trailing", ">>>\nt=a\n<<<\nx"},
		{"huge", "###\n" + string(make([]byte, MaxMessageSize))},
	}
	for _, tc := range tests {
		if m, err := Decode([]byte(tc.in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Decode = %v, %v; want ErrMalformed", tc.name, m, err)
		}
	}
}

func TestDecodeKeepsUnknownKindsAndFields(t *testing.T) {
	in := "###\n6:(0)t=x,12:(2)sub=a,b=c,7:(5)zz=q,7:plain=v,10:(0)odd=x=y,%%%\n"
	m, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{
		{"t", KindString, []byte("x")},
		{"sub", KindStruct, []byte("a,b=c")},
		{"zz", KindUncompressed, []byte("q")},
		{"plain", KindString, []byte("v")},
		{"odd", KindString, []byte("x=y")},
	}
	if !m.Equal(&Message{Fields: want}) {
		t.Fatalf("got %v", m.Fields)
	}
	out, err := m.Clone().Encode(testRing)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Verify(out, testRing)
	if err != nil {
		t.Fatal(err)
	}
	back.Del(FieldAuth)
	if !back.Equal(m) {
		t.Errorf("round trip %v != %v", back.Fields, m.Fields)
	}
}

func TestDecodeCopiesInput(t *testing.T) {
	in := []byte("###\n9:(0)src=n1,%%%\n")
	m, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	copy(in, bytes.Repeat([]byte{'x'}, len(in)))
	if m.Value(FieldSrc) != "n1" {
		t.Errorf("value aliases the input buffer: %q", m.Value(FieldSrc))
	}
}

func TestMessageHelpers(t *testing.T) {
	m := New(TypeStatus)
	m.Set(FieldStatus, "up")
	m.SetUint(FieldSeq, 0x2a, 16)
	m.AddBinary(FieldSrcUUID, []byte{1, 2})
	m.Set(FieldStatus, "active") // in place
	m.Add(FieldInfo, "a")
	m.Add(FieldInfo, "b") // duplicates kept, first wins on Get
	m.SetUint(FieldFirstSeq, 38, 10)
	if got := m.String(); got != "t=status st=active seq=2a srcuuid=(1)0102 info=a info=b firstseq=38" {
		t.Errorf("String = %q", got)
	}
	if v, ok := m.Get(FieldInfo); !ok || v != "a" {
		t.Errorf("Get info = %q %v", v, ok)
	}
	if s, err := m.Seq(); err != nil || s != 42 {
		t.Errorf("Seq = %d %v", s, err)
	}
	if s, err := m.FirstSeq(); err != nil || s != 38 {
		t.Errorf("FirstSeq = %d %v", s, err)
	}
	m.Del(FieldInfo)
	if m.Has(FieldInfo) || len(m.Fields) != 5 {
		t.Errorf("Del left %v", m.Fields)
	}
	m.Set(FieldAckSeq, "zz")
	if _, err := m.AckSeq(); err == nil || errors.Is(err, ErrNoField) {
		t.Errorf("AckSeq on garbage = %v", err)
	}
	if _, err := m.LastSeq(); !errors.Is(err, ErrNoField) {
		t.Errorf("LastSeq absent = %v", err)
	}
	c := m.Clone()
	c.Fields[0].Value[0] = 'X'
	if m.Type() != TypeStatus {
		t.Error("Clone shares values")
	}
}

func TestEncodeSignsWithActiveKeyAndVerifiesWithOthers(t *testing.T) {
	m := New(TypeStatus)
	m.Set(FieldSrc, "n1")
	m.Set(FieldAuth, "9 stale") // replaced, moved last
	m.Set(FieldTTL, "4")
	out, err := m.Encode(testRing)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(bytes.SplitN(out, []byte("%%%\n"), 2)[0], []byte(",")) ||
		!bytes.Contains(out, []byte("(0)ttl=4,50:(0)auth=1 ")) {
		t.Errorf("auth not last: %q", out)
	}
	if _, err := Verify(out, testRing); err != nil {
		t.Fatal(err)
	}
	// A node still on key 3 signs with it; we accept any listed key.
	old := &authkeys.Keyring{Active: 3, Keys: testRing.Keys}
	out3, _ := New(TypeStatus).Encode(old)
	if _, err := Verify(out3, testRing); err != nil {
		t.Errorf("key 3: %v", err)
	}
	// The auth field is found wherever it is (3.0.6 always puts it last).
	moved, _ := Decode(out)
	moved.Fields = append(moved.Fields[len(moved.Fields)-1:], moved.Fields[:len(moved.Fields)-1]...)
	pkt := []byte(netstringStart)
	for _, f := range moved.Fields {
		pkt = appendNetstringField(pkt, f)
	}
	pkt = append(pkt, netstringEnd...)
	idx, digest := testRing.Sign(pkt)
	sig := appendSig(nil, idx, digest)
	pkt = append(strconv.AppendInt(pkt, int64(len(sig)), 10), ':')
	pkt = append(append(pkt, sig...), ',')
	if _, err := Verify(pkt, testRing); err != nil || !bytes.HasPrefix(pkt, []byte("###\n50:(0)auth=1 ")) {
		t.Errorf("auth field first: %v\n%q", err, pkt)
	}
	if _, err := New("x").Encode(&authkeys.Keyring{Active: 5}); !errors.Is(err, ErrUnsigned) {
		t.Errorf("Encode without active key: %v", err)
	}
	bad := &Message{Fields: []Field{{Name: "a=b", Value: []byte("c")}}}
	if _, err := bad.Encode(testRing); err == nil {
		t.Error("name with '=' encoded")
	}
}
