package controller

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"hbgo/authkeys"
	"hbgo/crm/cibstore"
	"hbgo/heartbeat/wire"
)

var testRing = &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{1: {Index: 1, Method: authkeys.SHA1, Secret: "crm-test"}}}

func sampleMsgs(t *testing.T) []Msg {
	cib := cibWith(t, cibstore.Empty(), "web")
	_, patch, err := cibstore.Apply(cib, []cibstore.Op{{Kind: cibstore.OpDelete,
		Path: cibstore.Path{{Name: "cib"}, {Name: "configuration"}, {Name: "resources"}, {Name: "primitive", ID: "web"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ops := &cibstore.Patch{Ops: patch.Ops}
	v := cibstore.Version{AdminEpoch: 1, Epoch: 2, NumUpdates: 3}
	return []Msg{
		{Type: MsgJoinOffer, Instance: 7, Members: []string{"a", "b", "c"}},
		{Type: MsgJoinAck, To: "a", Instance: 7, Version: v, Digest: cib.Digest()},
		{Type: MsgJoinNack, To: "a", Instance: 7, MaxInstance: 9, Reason: "stale instance"},
		{Type: MsgJoinConfirm, Instance: 7, Members: []string{"a", "b"}, Quorum: true},
		{Type: MsgJoinConfirm, Instance: 8, Members: []string{"a"}},
		{Type: MsgJoinRequest, To: "a", MaxInstance: 3},
		{Type: MsgQuorum, Instance: 7, Quorum: false},
		{Type: MsgCIBRequest, To: "a", ReqID: "b-17", Patch: ops},
		{Type: MsgCIBReply, To: "b", ReqID: "b-17", RC: RCOK, Version: v},
		{Type: MsgCIBReply, To: "b", ReqID: "b-18", RC: "CIB change refused by validation: no class", Version: v},
		{Type: MsgCIBDiff, Instance: 7, Patch: &patch},
		{Type: MsgCIBFull, To: "c", Instance: 7, CIB: cib},
		{Type: MsgCIBSyncReq, To: "a", Instance: 7, Reason: "patch does not apply"},
		{Type: MsgCIBVersion, Instance: 7, Version: v, Digest: cib.Digest()},
	}
}

// TestMsgRoundTripOnTheWire: each message survives Encode, the heartbeat
// envelope, signing, the wire codec, verification and Decode.
func TestMsgRoundTripOnTheWire(t *testing.T) {
	for _, m := range sampleMsgs(t) {
		w, err := Encode(m)
		if err != nil {
			t.Fatalf("%s: %v", m.Type, err)
		}
		if !IsController(w.Type()) {
			t.Fatalf("%s not recognised", w.Type())
		}
		wire.Envelope{Src: "node-x", Generation: 3}.Stamp(w, 42, nil, time.Unix(1_700_000_000, 0))
		raw, err := w.Encode(testRing)
		if err != nil {
			t.Fatalf("%s: wire encode: %v", m.Type, err)
		}
		back, err := wire.Verify(raw, testRing)
		if err != nil {
			t.Fatalf("%s: verify: %v", m.Type, err)
		}
		got, err := Decode(back)
		if err != nil {
			t.Fatalf("%s: decode: %v", m.Type, err)
		}
		if got.From != "node-x" {
			t.Errorf("%s: from %q", m.Type, got.From)
		}
		want := m
		want.From = "node-x"
		if !msgEqual(got, want) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", m.Type, got, want)
		}
	}
}

func msgEqual(a, b Msg) bool {
	if (a.CIB == nil) != (b.CIB == nil) || (a.CIB != nil && !a.CIB.Equal(b.CIB)) {
		return false
	}
	if (a.Patch == nil) != (b.Patch == nil) || (a.Patch != nil && string(a.Patch.Marshal()) != string(b.Patch.Marshal())) {
		return false
	}
	a.CIB, b.CIB, a.Patch, b.Patch = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

func TestEncodeRefuses(t *testing.T) {
	for _, m := range []Msg{
		{Type: "crm_bogus"},
		{Type: MsgJoinOffer, Members: []string{"a b"}},
		{Type: MsgCIBFull},
		{Type: MsgCIBDiff},
		{Type: MsgCIBRequest, Patch: &cibstore.Patch{}},
		{Type: MsgCIBReply},
	} {
		if _, err := Encode(m); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%+v: %v", m, err)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	mk := func(fields ...string) *wire.Message {
		w := &wire.Message{}
		for i := 0; i+1 < len(fields); i += 2 {
			w.Add(fields[i], fields[i+1])
		}
		return w
	}
	cases := map[string]*wire.Message{
		"unknown type":    mk("t", "status", "src", "a"),
		"no src":          mk("t", "crm_join_request", FieldMaxInstance, "1"),
		"no instance":     mk("t", "crm_join_offer", "src", "a", FieldMembers, "a"),
		"bad instance":    mk("t", "crm_join_offer", "src", "a", FieldInstance, "x", FieldMembers, "a"),
		"no members":      mk("t", "crm_join_offer", "src", "a", FieldInstance, "1", FieldMembers, " "),
		"bad quorum":      mk("t", "crm_quorum", "src", "a", FieldInstance, "1", FieldQuorum, "yes"),
		"bad version":     mk("t", "crm_join_ack", "src", "a", FieldInstance, "1", FieldVersion, "1.2"),
		"no reqid":        mk("t", "crm_cib_reply", "src", "a", FieldVersion, "0.0.0", FieldRC, "ok"),
		"no rc":           mk("t", "crm_cib_reply", "src", "a", FieldVersion, "0.0.0", FieldReqID, "r"),
		"bad cib":         mk("t", "crm_cib_full", "src", "a", FieldInstance, "1", FieldCIB, "<nope/>"),
		"bad patch":       mk("t", "crm_cib_diff", "src", "a", FieldInstance, "1", FieldPatch, "<cib_patch/>"),
		"request no ops":  mk("t", "crm_cib_request", "src", "a", FieldReqID, "r"),
		"nack no maxinst": mk("t", "crm_join_nack", "src", "a", FieldInstance, "1"),
	}
	for name, w := range cases {
		if _, err := Decode(w); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Unknown fields are ignored.
	w := mk("t", "crm_join_request", "src", "a", FieldMaxInstance, "4", "crm_future_field", "x")
	if m, err := Decode(w); err != nil || m.MaxInstance != 4 {
		t.Errorf("unknown field: %+v %v", m, err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, m := range sampleMsgs(&testing.T{}) {
		w, _ := Encode(m)
		w.Add(wire.FieldSrc, "n")
		var b strings.Builder
		for _, fl := range w.Fields {
			b.WriteString(fl.Name + "=" + string(fl.Value) + "\x00")
		}
		f.Add(b.String())
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := &wire.Message{}
		for _, kv := range strings.Split(s, "\x00") {
			name, val, _ := strings.Cut(kv, "=")
			if name != "" {
				w.Add(name, val)
			}
		}
		m, err := Decode(w)
		if err != nil {
			return
		}
		w2, err := Encode(m)
		if err != nil {
			t.Fatalf("decoded message does not encode: %+v: %v", m, err)
		}
		w2.Add(wire.FieldSrc, m.From)
		if w2.Value(wire.FieldDest) != m.To && m.To != "" {
			t.Fatal("dest lost")
		}
		m2, err := Decode(w2)
		if err != nil || !msgEqual(m, m2) {
			t.Fatalf("re-decode differs: %+v vs %+v (%v)", m, m2, err)
		}
	})
}

func TestQuorumRule(t *testing.T) {
	n3 := []string{"a", "b", "c"}
	n4 := []string{"a", "b", "c", "d"}
	n2 := []string{"a", "b"}
	cases := []struct {
		name           string
		nodes, members []string
		pings, up      int
		want           bool
	}{
		{"3 of 3", n3, n3, 0, 0, true},
		{"2 of 3", n3, []string{"b", "c"}, 0, 0, true},
		{"1 of 3", n3, []string{"a"}, 0, 0, false},
		{"2-node one left", n2, []string{"b"}, 0, 0, true},
		{"2-node one left, ping reached", n2, []string{"b"}, 1, 1, true},
		{"2-node one left, ping lost", n2, []string{"b"}, 1, 0, false},
		{"2-node both, ping lost", n2, n2, 1, 0, true},
		{"4-node tie with first node", n4, []string{"a", "d"}, 0, 0, true},
		{"4-node tie without first node", n4, []string{"b", "c"}, 0, 0, false},
		{"4-node tie with first node, half the pings", n4, []string{"a", "b"}, 2, 1, false},
		{"4-node tie with first node, pings", n4, []string{"a", "b"}, 2, 2, true},
		{"3 of 4", n4, []string{"b", "c", "d"}, 3, 0, true},
		{"autojoin node counts", n2, []string{"a", "b", "x"}, 0, 0, true},
		{"autojoin node alone", n2, []string{"x"}, 0, 0, false},
		{"no members", n3, nil, 0, 0, false},
		{"no nodes", nil, nil, 0, 0, false},
	}
	for _, c := range cases {
		if got := Quorum(c.nodes, c.members, c.pings, c.up); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Safety: with more than two nodes, two disjoint member sets never both
	// have quorum, whatever the pings.
	for mask := 0; mask < 1<<5; mask++ {
		nodes := []string{"a", "b", "c", "d", "e"}[:4]
		var in, out []string
		for i, n := range nodes {
			if mask&(1<<i) != 0 {
				in = append(in, n)
			} else {
				out = append(out, n)
			}
		}
		if Quorum(nodes, in, 0, 0) && Quorum(nodes, out, 0, 0) {
			t.Fatalf("both %v and %v have quorum", in, out)
		}
	}
}

func TestBetterAndBest(t *testing.T) {
	prio := map[string]int{"z": -1}
	if !Better(prio, "z", "a") || Better(prio, "a", "z") || !Better(nil, "a", "b") {
		t.Fatal("Better")
	}
	if Best(prio, []string{"b", "a", "z"}) != "z" || Best(nil, []string{"b", "a"}) != "a" || Best(nil, nil) != "" {
		t.Fatal("Best")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, good := range []Config{TestConfig("a", []string{"a", "b"}), DefaultConfig("a", []string{"a", "b"})} {
		if err := good.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []Config{TestConfig("", []string{"a"}), TestConfig("c", []string{"a"}), {Node: "a", Nodes: []string{"a"}}} {
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := New(Config{}, nil, time.Time{}); err == nil {
		t.Error("New accepted a bad config")
	}
}

// TestLargeCIBTravelsCompressed: a CIB far above one datagram's worth of
// XML still fits in one signed heartbeat message, compressed; one that
// cannot fit even compressed is refused with ErrTooLarge.
func TestLargeCIBTravelsCompressed(t *testing.T) {
	d := cibstore.Empty()
	var ops []cibstore.Op
	for i := range 3000 {
		id := fmt.Sprintf("node_state_%04d", i)
		p, _ := cibstore.ParsePath("/cib/status/node_state[@id='" + id + "']")
		ops = append(ops, cibstore.Op{Kind: cibstore.OpReplace, Path: p, Node: &cibstore.Node{Name: "node_state",
			Attrs: []cibstore.Attr{{Name: "id", Value: id}, {Name: "crmd", Value: "online"}, {Name: "join", Value: "member"}}}})
	}
	d, _, err := cibstore.Apply(d, ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Bytes()) < 2*wire.MaxMessageSize {
		t.Fatalf("test CIB only %d bytes", len(d.Bytes()))
	}
	m := Msg{Type: MsgCIBFull, To: "b", Instance: 1, CIB: d}
	w, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if w.Has(FieldCIB) || !w.Has(FieldCIBGz) {
		t.Fatal("large CIB not compressed")
	}
	wire.Envelope{Src: "a"}.Stamp(w, 1, nil, time.Unix(1_700_000_000, 0))
	raw, err := w.Encode(testRing)
	if err != nil || len(raw) > wire.MaxMessageSize {
		t.Fatalf("wire size %d: %v", len(raw), err)
	}
	back, err := wire.Verify(raw, testRing)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(back)
	if err != nil || !got.CIB.Equal(d) {
		t.Fatalf("decode: %v", err)
	}
	t.Logf("%d bytes of CIB XML in a %d byte message", len(d.Bytes()), len(raw))

	// Incompressible content does not fit.
	r := rand.New(rand.NewPCG(1, 1))
	var junk strings.Builder
	for range 120_000 {
		junk.WriteByte(byte('a' + r.IntN(26)))
	}
	p, _ := cibstore.ParsePath("/cib/configuration/crm_config")
	big, _, err := cibstore.Apply(cibstore.Empty(), []cibstore.Op{{Kind: cibstore.OpAttrs, Path: p,
		Node: &cibstore.Node{Name: "crm_config", Attrs: []cibstore.Attr{{Name: "junk", Value: junk.String()}}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Encode(Msg{Type: MsgCIBFull, Instance: 1, CIB: big}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v", err)
	}
	// A compression bomb is refused on decode.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat([]byte{' '}, MaxXML+10))
	zw.Close()
	bomb := wire.New(string(MsgCIBFull))
	bomb.Add(wire.FieldSrc, "a")
	bomb.Add(FieldInstance, "1")
	bomb.Add(FieldCIBGz, base64.StdEncoding.EncodeToString(buf.Bytes()))
	if _, err := Decode(bomb); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("bomb: %v", err)
	}
}
