package lrmproxy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"hbgo/authkeys"
	"hbgo/heartbeat/wire"
)

var testRing = &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{1: {Index: 1, Method: authkeys.SHA1, Secret: "lrm-test"}}}

// overWire encodes m, signs it as the daemon would (with src n1) and
// verifies and decodes it again.
func overWire(t testing.TB, m Msg) (Msg, error) {
	w, err := Encode(m)
	if err != nil {
		return Msg{}, err
	}
	w.Add(wire.FieldSrc, "n1")
	raw, err := w.Encode(testRing)
	if err != nil {
		t.Fatal(err)
	}
	back, err := wire.Verify(raw, testRing)
	if err != nil {
		t.Fatal(err)
	}
	return Decode(back)
}

func TestRoundTrip(t *testing.T) {
	cases := []Msg{
		{Type: MsgExec, To: "n2", OpID: "n1-7-1", TransitionKey: "3:1:0:dc", Resource: "ip:1", Class: "ocf", Provider: "heartbeat",
			AgentType: "IPaddr2", Action: "start", TimeoutMS: 20000, TargetRC: 0,
			Params: map[string]string{"ip": "198.51.100.9", "odd name": "a=b&c;d\nline"}, Meta: map[string]string{"clone_max": "3"}},
		{Type: MsgExec, To: "n3", OpID: "x", Resource: "web", Class: "lsb", AgentType: "nginx", Action: "monitor", IntervalMS: 10000, TargetRC: 7},
		{Type: MsgResult, To: "n1", OpID: "n1-7-1", RC: 1, OpStatus: 2, ExitReason: "timed out", ExecMS: 20000, QueueMS: 3, CallID: 42},
		{Type: MsgEvent, To: "n1", Resource: "web", Class: "ocf", Provider: "pacemaker", AgentType: "Dummy", Action: "monitor",
			IntervalMS: 10000, TimeoutMS: 20000, RC: 7, RStatus: 0, ExpectedRC: 0, ExecMS: 12, AtMS: 1700000000123},
		{Type: MsgCancel, To: "n2", OpID: "n1-7-2", Resource: "web", Action: "monitor", IntervalMS: 10000},
	}
	for _, m := range cases {
		got, err := overWire(t, m)
		if err != nil {
			t.Fatalf("%s: %v", m.Type, err)
		}
		want := m
		want.From = "n1"
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", m.Type, got, want)
		}
	}
}

func TestExitReasonOneLine(t *testing.T) {
	got, err := overWire(t, Msg{Type: MsgResult, To: "n1", OpID: "a", ExitReason: "line one\nline two"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ExitReason != "line one line two" {
		t.Errorf("exit reason %q", got.ExitReason)
	}
}

func TestEncodeRejects(t *testing.T) {
	for name, m := range map[string]Msg{
		"unknown type":  {Type: "crm_lrm_nope", To: "n1", OpID: "a"},
		"no addressee":  {Type: MsgResult, OpID: "a"},
		"no op id":      {Type: MsgExec, To: "n1", Resource: "r", Action: "start"},
		"no resource":   {Type: MsgExec, To: "n1", OpID: "a", Action: "start"},
		"line in field": {Type: MsgCancel, To: "n1", OpID: "a", Resource: "r\nx", Action: "monitor"},
		"huge params":   {Type: MsgExec, To: "n1", OpID: "a", Resource: "r", Action: "start", Params: map[string]string{"p": strings.Repeat("x", MaxMapText)}},
	} {
		if _, err := Encode(m); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: err %v, want ErrBadMessage", name, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := Encode(Msg{Type: MsgResult, To: "n1", OpID: "a", RC: 0})
	for name, edit := range map[string]func(w *wire.Message){
		"unknown type": func(w *wire.Message) { w.Set(wire.FieldType, "crm_join_offer") },
		"no op id":     func(w *wire.Message) { w.Del(FieldOpID) },
		"bad rc":       func(w *wire.Message) { w.Set(FieldRC, "zero") },
		"rc too big":   func(w *wire.Message) { w.Set(FieldRC, "99999999999") },
		"no call id":   func(w *wire.Message) { w.Del(FieldCallID) },
		"negative ms":  func(w *wire.Message) { w.Set(FieldExecMS, "-5") },
	} {
		w := good.Clone()
		edit(w)
		if _, err := Decode(w); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: err %v, want ErrBadMessage", name, err)
		}
	}
	if IsLRM("crm_join_offer") || !IsLRM(string(MsgEvent)) {
		t.Error("IsLRM misroutes")
	}
}

// FuzzDecode feeds arbitrary heartbeat messages to Decode: it must not
// panic, and what it accepts must encode and decode to the same message.
func FuzzDecode(f *testing.F) {
	for _, m := range []Msg{
		{Type: MsgExec, To: "n2", OpID: "o", Resource: "r", Class: "ocf", Provider: "heartbeat", AgentType: "Dummy", Action: "start", Params: map[string]string{"a": "b"}},
		{Type: MsgResult, To: "n1", OpID: "o", RC: 7, ExitReason: "why"},
		{Type: MsgEvent, To: "n1", Resource: "r", Action: "monitor", IntervalMS: 1000},
		{Type: MsgCancel, To: "n2", OpID: "o", Resource: "r", Action: "monitor", IntervalMS: 1000},
	} {
		w, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		w.Add(wire.FieldSrc, "n1")
		raw, err := w.Encode(testRing)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := wire.Decode(b)
		if err != nil {
			return
		}
		m, err := Decode(w)
		if err != nil {
			return
		}
		w2, err := Encode(m)
		if err != nil {
			if m.To == "" || strings.ContainsAny(m.To+m.OpID+m.Resource+m.Action+m.Class+m.Provider+m.AgentType+m.TransitionKey, "\r\n\x00") ||
				len(w.Value(FieldParams)) > 0 || len(w.Value(FieldMeta)) > 0 {
				return // accepted on input, refused on output: allowed
			}
			t.Fatalf("decoded %+v does not encode: %v", m, err)
		}
		w2.Add(wire.FieldSrc, m.From)
		m2, err := Decode(w2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		m.ExitReason = oneLine(m.ExitReason)
		if len(m.Params) == 0 {
			m.Params = nil
		}
		if len(m.Meta) == 0 {
			m.Meta = nil
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v", m2, m)
		}
	})
}
