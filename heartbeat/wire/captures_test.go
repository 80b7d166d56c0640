package wire

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"hbgo/heartbeat/wire/wiretest"
	"hbgo/internal/testenv"
)

// TestCapturesVerify decodes every heartbeat payload of every lab capture
// (UDP port 694 and the ping-node ICMP echo data), checks both signatures
// with the capture's authkeys and re-encodes each byte-identically.
func TestCapturesVerify(t *testing.T) {
	lab := filepath.Join(testenv.SharedDir(t), "lab")
	pcaps, _ := filepath.Glob(filepath.Join(lab, "captures", "*.pcap"))
	if len(pcaps) == 0 {
		t.Fatal("no captures")
	}
	total, totalUDP := 0, 0
	for _, p := range pcaps {
		// bcast-sha1-ka1s.pcap was made with configs/bcast-sha1.
		base := strings.TrimSuffix(filepath.Base(p), ".pcap")
		parts := strings.SplitN(base, "-", 3)
		ring, err := wiretest.LoadKeyring(filepath.Join(lab, "configs", parts[0]+"-"+parts[1], "authkeys"))
		if err != nil {
			t.Fatal(err)
		}
		pkts, err := wiretest.ReadPcapFile(p)
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]int{}
		nUDP, nICMP := 0, 0
		for i, pk := range pkts {
			if pk.Proto == wiretest.ICMP && !bytes.HasPrefix(pk.Payload, []byte(netstringStart)) {
				continue // an echo that is not a ping-node probe
			}
			m, err := Verify(pk.Payload, ring)
			if err != nil {
				t.Errorf("%s #%d (%v %s>%s): %v", base, i, pk.Proto, pk.Src, pk.Dst, err)
				continue
			}
			out, err := m.Encode(ring)
			if err != nil || !bytes.Equal(out, pk.Payload) {
				t.Errorf("%s #%d: re-encode differs (%v)", base, i, err)
			}
			types[m.Type()]++
			if pk.Proto == wiretest.UDP {
				nUDP++
			} else {
				nICMP++
			}
		}
		t.Logf("%s: %d UDP + %d ICMP messages verified; types %v", base, nUDP, nICMP, types)
		if nUDP == 0 {
			t.Errorf("%s: no heartbeat packets", base)
		}
		total += nUDP + nICMP
		totalUDP += nUDP
	}
	t.Logf("total %d messages verified (%d UDP)", total, totalUDP)
	if totalUDP < 1400 {
		t.Errorf("only %d UDP messages; the captures hold 1,400+", totalUDP)
	}
}

// TestMsgfmtClassicStillSendsNetstring: a capture of our own of the real
// 3.0.6 with "msgfmt classic" in ha.cf. It still sends the netstring
// framing (the binary uuid fields force it), so Encode's choice holds.
func TestMsgfmtClassicStillSendsNetstring(t *testing.T) {
	dir := filepath.Join("testdata", "msgfmt-classic")
	ring, err := wiretest.LoadKeyring(filepath.Join(dir, "authkeys"))
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := wiretest.ReadPcapFile(filepath.Join(dir, "bcast-md5-msgfmt-classic.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, p := range pkts {
		if p.Proto != wiretest.UDP {
			continue
		}
		if !bytes.HasPrefix(p.Payload, []byte(netstringStart)) {
			t.Errorf("#%d: not netstring: %q", i, p.Payload[:min(len(p.Payload), 16)])
		}
		m, err := Verify(p.Payload, ring)
		if err != nil {
			t.Errorf("#%d: %v", i, err)
			continue
		}
		if out, _ := m.Encode(ring); !bytes.Equal(out, p.Payload) {
			t.Errorf("#%d: re-encode differs", i)
		}
		n++
	}
	if n < 100 {
		t.Errorf("only %d messages", n)
	}
}
