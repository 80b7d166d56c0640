//go:build linux && (amd64 || arm64)

package reliable_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"hbgo/authkeys"
	"hbgo/heartbeat/reliable"
	"hbgo/heartbeat/wire"
	"hbgo/internal/testenv"
)

// TestInteropWithRealHeartbeat runs the real 3.0.6 as n1 in a lab
// namespace and plays n2 with this package and hbgo/heartbeat/wire over
// ucast: n1 must accept our signed messages, ask for a seq we hold back
// and get it from our history ("No pkts missing from n2!"); we must verify
// all of n1's messages, ask n1 for one of its messages we drop and get it,
// and have our history released by n1's acks. Finally a message from an
// older generation must be dropped by both n1 ("attempted replay attack")
// and Receive.
func TestInteropWithRealHeartbeat(t *testing.T) {
	testenv.RequireRealHeartbeat(t)
	lab := filepath.Join(testenv.SharedDir(t), "lab")
	var rnd [2]byte
	rand.Read(rnd[:])
	prefix := fmt.Sprintf("w%d%x-", os.Getpid()%100000, rnd)
	const key = "interop-key"
	env := append(os.Environ(), "LAB_PREFIX="+prefix, "LAB_NET=198.51.100",
		"MEDIA=ucast", "AUTH=sha1", "KEY="+key, "KEEPALIVE=200ms", "DEADTIME=2", "WARNTIME=1",
		"INITDEAD=4", "PING=no", "RESOURCES=n1 hbtest")
	run := func(args ...string) string {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	work := t.TempDir()
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(lab, "netns-lab.sh"), "down")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("lab down: %v\n%s", err, out)
		}
	})
	run(filepath.Join(lab, "netns-lab.sh"), "up", "2")
	run(filepath.Join(lab, "real-heartbeat.sh"), "init", work, "n1", "n2")
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(lab, "real-heartbeat.sh"), "stop", "n1", work)
		cmd.Env = env
		cmd.CombinedOutput()
	})
	run(filepath.Join(lab, "real-heartbeat.sh"), "start", "n1", work)

	conn, err := listenInNetns(prefix+"n2", &net.UDPAddr{Port: 694})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n1 := &net.UDPAddr{IP: net.IPv4(198, 51, 100, 1), Port: 694}
	ring := &authkeys.Keyring{Active: 1, Keys: map[int]authkeys.Key{1: {Index: 1, Method: authkeys.SHA1, Secret: key}}}

	uuid := make([]byte, 16)
	rand.Read(uuid)
	now := time.Now()
	gen, _, err := reliable.NextGeneration(&reliable.MemStore{}, now)
	if err != nil {
		t.Fatal(err)
	}
	envl := wire.Envelope{Src: "n2", SrcUUID: uuid, Generation: gen, Load: "0.10 0.20 0.30 1/100 4242"}
	ep := reliable.New(reliable.Config{Self: "n2"})
	ep.AddPeer("n1")
	ep.AddPeer("n2")

	var n1uuid []byte
	const heldBack = 12 // our seq n1 must ask for: numbered and kept, never sent first
	var send func(m *wire.Message, reliableMsg bool)
	send = func(m *wire.Message, reliableMsg bool) {
		var seq uint64
		if reliableMsg {
			seq = ep.NextSeq()
		}
		var dest []byte
		if m.Has(wire.FieldDest) {
			dest = n1uuid
		}
		envl.Stamp(m, seq, dest, time.Now())
		raw, err := m.Encode(ring)
		if err != nil {
			t.Fatal(err)
		}
		if seq > 0 {
			ep.Sent(seq, raw)
		}
		// Loop back, as 3.0.6 does: this is where our self-acks come from.
		for _, c := range ep.Receive(time.Now(), m).Send {
			send(c, false)
		}
		if seq != heldBack {
			if _, err := conn.WriteToUDP(raw, n1); err != nil {
				t.Fatal(err)
			}
		}
	}
	status := func(st string) {
		m := wire.New(wire.TypeStatus)
		m.Set(wire.FieldStatus, st)
		m.SetUint(wire.FieldDeadtime, 2000, 16)
		m.Set(wire.FieldProtocol, "1")
		send(m, true)
	}

	var (
		verified, bad    int
		droppedN1        uint64
		recoveredN1      bool
		rexmitAsked      bool
		nextStatus       = time.Now()
		deadline         = time.Now().Add(25 * time.Second)
		buf              = make([]byte, 65536)
		logPath          = filepath.Join(work, "n1", "log", "ha-log")
		sawNoPktsMissing bool
	)
	status("init")
	status("up")
	status("up")
	for time.Now().Before(deadline) {
		if !time.Now().Before(nextStatus) {
			status("active")
			nextStatus = nextStatus.Add(200 * time.Millisecond)
		}
		if d, ok := ep.NextDeadline(); ok && !d.After(time.Now()) {
			for _, req := range ep.Tick(time.Now()) {
				rexmitAsked = true
				send(req, false)
			}
		}
		conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				goto check
			}
			t.Fatal(err)
		}
		if from.IP.Equal(n1.IP) {
			m, err := wire.Verify(buf[:n], ring)
			if err != nil {
				bad++
				t.Errorf("n1 packet: %v", err)
				goto check
			}
			verified++
			if u, ok := m.Bytes(wire.FieldSrcUUID); ok && n1uuid == nil {
				n1uuid = append([]byte(nil), u...)
			}
			if seq, err := m.Seq(); err == nil && droppedN1 == 0 && seq >= 20 {
				droppedN1 = seq // pretend it was lost
				goto check
			}
			r := ep.Receive(time.Now(), m)
			if seq, _ := m.Seq(); r.Recovered && seq == droppedN1 {
				recoveredN1 = true
			}
			for _, c := range r.Send {
				send(c, false)
			}
			for _, raw := range r.Resend {
				conn.WriteToUDP(raw, n1)
			}
		}
	check:
		if !sawNoPktsMissing {
			if b, _ := os.ReadFile(logPath); bytes.Contains(b, []byte("No pkts missing from n2!")) {
				sawNoPktsMissing = true
			}
		}
		if sawNoPktsMissing && recoveredN1 && ep.AckedSeq() >= heldBack {
			break
		}
	}
	// An older generation is a replay to 3.0.6 too (the wire sheet only
	// inferred it): n1 must drop it, as Receive does.
	old := envl
	old.Generation = gen - 1
	replay := wire.New(wire.TypeStatus)
	replay.Set(wire.FieldStatus, "active")
	old.Stamp(replay, ep.NextSeq(), nil, time.Now())
	if raw, err := replay.Encode(ring); err == nil {
		conn.WriteToUDP(raw, n1)
	}
	if r := ep.Receive(time.Now(), replay); r.Verdict != reliable.Replay {
		t.Errorf("our verdict on an older generation: %v", r.Verdict)
	}
	replayLine := fmt.Sprintf("attempted replay attack [n2]? [gen = %d, curgen = %d]", gen-1, gen)
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		if b, _ := os.ReadFile(logPath); bytes.Contains(b, []byte(replayLine)) {
			break
		}
		conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		conn.ReadFromUDP(buf) // keep draining while waiting for the log
	}

	logText, _ := os.ReadFile(logPath)
	for _, want := range []string{
		replayLine,
		"Status update for node n2: status active",
		fmt.Sprintf("1 lost packet(s) for [n2] [%d:%d]", heldBack-1, heldBack+1),
		"No pkts missing from n2!",
	} {
		if !bytes.Contains(logText, []byte(want)) {
			t.Errorf("n1's log lacks %q", want)
		}
	}
	if bytes.Contains(logText, []byte("authenticat")) && bytes.Contains(logText, []byte("Bad")) {
		t.Errorf("n1 rejected our packets:\n%s", grepLines(logText, "uthentic"))
	}
	if verified < 20 || bad != 0 {
		t.Errorf("verified %d of n1's packets, %d bad", verified, bad)
	}
	if droppedN1 == 0 || !rexmitAsked || !recoveredN1 {
		t.Errorf("dropped n1 seq %d, asked %v, recovered %v", droppedN1, rexmitAsked, recoveredN1)
	}
	if ep.AckedSeq() < heldBack {
		t.Errorf("history released only up to %d", ep.AckedSeq())
	}
	if t.Failed() {
		t.Logf("n1 log:\n%s", logText)
	}
	t.Logf("n1 accepted our messages and recovered our seq %d; we verified %d of n1's packets, recovered its seq %d, history acked to %d",
		heldBack, verified, droppedN1, ep.AckedSeq())
}

func grepLines(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// listenInNetns opens a UDP socket inside the named network namespace: a
// locked thread switches into it, makes the socket and switches back (a
// socket stays in the namespace it was made in). Should the way back fail,
// the thread is left locked so that it ends with its goroutine.
func listenInNetns(name string, addr *net.UDPAddr) (*net.UDPConn, error) {
	type result struct {
		c   *net.UDPConn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		home, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer home.Close()
		f, err := os.Open(filepath.Join("/var/run/netns", name))
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer f.Close()
		if _, _, errno := syscall.RawSyscall(sysSetns, f.Fd(), syscall.CLONE_NEWNET, 0); errno != 0 {
			ch <- result{err: fmt.Errorf("setns %s: %w", name, errno)}
			return
		}
		c, err := net.ListenUDP("udp4", addr)
		if _, _, errno := syscall.RawSyscall(sysSetns, home.Fd(), syscall.CLONE_NEWNET, 0); errno == 0 {
			runtime.UnlockOSThread()
		}
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}
