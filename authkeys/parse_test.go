package authkeys

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hbgo/internal/problem"
	"hbgo/internal/testenv"
)

func TestParseKeyring(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		active int
		keys   map[int]Key // Line included
	}{
		{"single sha1", "auth 1\n1 sha1 secret\n", 1,
			map[int]Key{1: {1, SHA1, "secret", 2}}},
		{"comments and blanks", "# c\n\n  \t# indented\nauth 2\n2 md5 k\n", 2,
			map[int]Key{2: {2, MD5, "k", 5}}},
		{"trailing text after key ignored", "auth 1\n1 sha1 key # note\n", 1,
			map[int]Key{1: {1, SHA1, "key", 2}}},
		{"mixed methods, rolling keys", "auth 15\n1 md5 a\n15 sha1 b\n2 crc\n", 15,
			map[int]Key{1: {1, MD5, "a", 2}, 15: {15, SHA1, "b", 3}, 2: {2, CRC, "", 4}}},
		{"auth glued and tabbed", "auth\t3\n3 sha1 x\n", 3, map[int]Key{3: {3, SHA1, "x", 2}}},
		{"index glued to method", "auth 1\n1sha1 x\n", 1, map[int]Key{1: {1, SHA1, "x", 2}}},
		{"CRLF", "auth 1\r\n1 md5 k\r\n", 1, map[int]Key{1: {1, MD5, "k", 2}}},
		{"key starting with #", "auth 1\n1 md5 #\n", 1, map[int]Key{1: {1, MD5, "#", 2}}},
		{"later duplicate replaces", "auth 1\n1 sha1 x\n1 md5 y\n", 1, map[int]Key{1: {1, MD5, "y", 3}}},
		{"second auth before its key wins", "auth 1\nauth 2\n1 sha1 x\n2 sha1 y\n", 2,
			map[int]Key{1: {1, SHA1, "x", 3}, 2: {2, SHA1, "y", 4}}},
		{"late auth does not undo selection", "auth 1\n1 sha1 x\nauth 2\n", 1, map[int]Key{1: {1, SHA1, "x", 2}}},
		{"32-bit wrap of the index", "auth 4294967297\n1 sha1 x\n", 1, map[int]Key{1: {1, SHA1, "x", 2}}},
		{"NUL ends a line", "auth 1\n1 sha1 x\x00junk\n\x00garbage\n", 1, map[int]Key{1: {1, SHA1, "x", 2}}},
		{"no final newline", "auth 0\n0 crc", 0, map[int]Key{0: {0, CRC, "", 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ring, probs := Parse(strings.NewReader(tc.in), "authkeys")
			if err := probs.Err(); err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if ring.Active != tc.active {
				t.Errorf("Active = %d, want %d", ring.Active, tc.active)
			}
			if len(ring.Keys) != len(tc.keys) {
				t.Errorf("keys = %+v, want %+v", ring.Keys, tc.keys)
			}
			for i, want := range tc.keys {
				if got := ring.Keys[i]; got != want {
					t.Errorf("key %d = %+v, want %+v", i, got, want)
				}
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	type want struct {
		sev  problem.Severity
		line int
		msg  string // substring
	}
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"order trap", "1 sha1 x\nauth 1\n", []want{{problem.Error, 2, "Auth Key [1] not found"}}},
		{"missing auth", "1 sha1 x\n", []want{{problem.Error, 0, "Missing auth directive"}}},
		{"empty file", "", []want{{problem.Error, 0, "Missing auth directive"}}},
		{"upper-case Auth is a bad key line", "Auth 1\n1 sha1 x\n", []want{
			{problem.Error, 1, "Auth line [Auth 1] is invalid."}, {problem.Error, 0, "Missing auth directive"}}},
		{"a-line", "abc\nauth 1\n1 sha1 x\n", []want{{problem.Error, 1, "Invalid auth line [abc]"}}},
		{"authentic", "authentic 1\n", []want{{problem.Error, 1, "Invalid auth line"}, {problem.Error, 0, "Missing"}}},
		{"index 16", "auth 1\n1 sha1 x\n16 sha1 y\n", []want{{problem.Error, 3, "Invalid authnum [16]"}}},
		{"negative index", "auth 1\n1 sha1 x\n-1 sha1 y\n", []want{{problem.Error, 3, "Invalid authnum [-1]"}}},
		{"method case-sensitive", "auth 1\n1 SHA1 x\n", []want{
			{problem.Error, 2, "Invalid authtype [SHA1]"}, {problem.Error, 1, "Auth Key [1] not found"}}},
		{"unused unknown method still fatal", "auth 1\n1 sha1 x\n2 sha256 y\n", []want{{problem.Error, 3, "Invalid authtype [sha256]"}}},
		{"md5 needs key", "auth 1\n1 sha1 x\n2 md5\n", []want{{problem.Error, 3, "Auth method [md5] requires a key"}}},
		{"crc takes none", "auth 1\n1 crc k\n", []want{
			{problem.Error, 2, "Auth method [crc] doesn't use a key"}, {problem.Error, 1, "Auth Key [1] not found"}}},
		{"unused invalid line still fatal", "auth 1\n1 sha1 x\nfoo bar\n", []want{{problem.Error, 3, "Auth line [foo bar] is invalid."}}},
		{"index alone", "auth 1\n1 sha1 x\n2\n", []want{{problem.Error, 3, "Auth line [2] is invalid."}}},
		{"auth -1", "auth -1\n1 sha1 x\n", []want{{problem.Error, 0, "Missing auth directive"}}},
		{"crc active warns", "auth 2\n2 crc\n", []want{{problem.Warning, 2, "signing with crc"}}},
		{"duplicate key warns", "auth 1\n1 sha1 x\n1 md5 y\n", []want{{problem.Warning, 3, "key 1 defined again (first on line 2)"}}},
		{"second auth warns", "auth 1\nauth 2\n2 sha1 x\n", []want{{problem.Warning, 2, "auth given again (first on line 1)"}}},
		{"extra text warns", "auth 1\n1 sha1 key extra words\n", []want{{problem.Warning, 2, `text after the key is ignored: "extra words"`}}},
		{"key starting with # warns", "auth 1\n1 md5 # secret\n", []want{{problem.Warning, 2, "key 1 starts with '#'"}}},
		{"index wrap warns", "auth 1\n4294967297 sha1 x\n", []want{{problem.Warning, 2, "3.0.6 reads it as 1"}}},
		{"long line read in pieces", "auth 1\n1 sha1 " + strings.Repeat("k", 5113) + "\n", []want{
			{problem.Warning, 2, "line longer than 5119"}, {problem.Error, 2, "Auth line [k] is invalid."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ring, probs := Parse(strings.NewReader(tc.in), "authkeys")
			if len(probs) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tc.want), probs)
			}
			for i, w := range tc.want {
				p := probs[i]
				if p.Severity != w.sev || p.Line != w.line || !strings.Contains(p.Msg, w.msg) || p.File != "authkeys" {
					t.Errorf("problem %d = %v (%v, line %d), want %v line %d %q", i, p, p.Severity, p.Line, w.sev, w.line, w.msg)
				}
				if p.Hint == "" {
					t.Errorf("problem %d has no hint: %v", i, p)
				}
			}
			if (ring == nil) != (probs.Err() != nil) {
				t.Errorf("keyring nil = %v but errors = %v", ring == nil, probs.Err())
			}
		})
	}
}

func TestOrderTrapHintNamesBothLines(t *testing.T) {
	_, probs := Parse(strings.NewReader("# x\n3 md5 k\nauth 3\n"), "authkeys")
	errs := probs.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Hint, "move 'auth 3' (line 3) above the key line 2") {
		t.Fatalf("got %v", probs)
	}
}

func TestCheckModeMatchesRealDaemon(t *testing.T) {
	f, err := os.Open("testdata/real/modes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		m, err := strconv.ParseUint(fields[0], 8, 32)
		if err != nil {
			t.Fatal(err)
		}
		p := CheckMode(fs.FileMode(m), "/etc/ha.d/authkeys")
		if (p == nil) != (fields[1] == "ACCEPTED") {
			t.Errorf("mode %s: got %v, real daemon %s", fields[0], p, fields[1])
		}
		if p != nil && (p.Hint != "chmod 600 /etc/ha.d/authkeys" || p.Line != 0 || p.Severity != problem.Error ||
			!strings.HasPrefix(p.Msg, "Bad permissions on keyfile [/etc/ha.d/authkeys], 600 recommended")) {
			t.Errorf("mode %s: problem %+v", fields[0], p)
		}
		n++
	}
	if n < 8 {
		t.Fatalf("only %d modes read", n)
	}
	// Type bits and write bits do not matter.
	if p := CheckMode(fs.ModeSymlink|0o622, "a"); p != nil {
		t.Errorf("0622: %v", p)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "auth 1\n1 sha1 s\n", 0o600)
	ring, probs := Load(good)
	if probs.Err() != nil || ring == nil || ring.ActiveKey().Secret != "s" {
		t.Fatalf("good: %v %v", ring, probs)
	}

	open := write("open", "auth 1\n1 sha1 s\n2 foo\n", 0o644)
	ring, probs = Load(open)
	if ring != nil || len(probs.Errors()) != 2 || probs[0].Hint != "chmod 600 "+open || probs[1].Line != 3 {
		t.Fatalf("mode and content problems must both be reported: %v", probs)
	}

	missing := filepath.Join(dir, "nope")
	ring, probs = Load(missing)
	if ring != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "Cannot open keyfile") ||
		!strings.Contains(probs[0].Msg, "no such file") || probs[0].Hint == "" {
		t.Fatalf("missing: %v", probs)
	}

	ring, probs = Load(dir)
	if ring != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "not a regular file") {
		t.Fatalf("directory: %v", probs)
	}
}

// TestPublicCorpus parses every authkeys file of the public corpus: all
// fifteen were accepted by the real daemon at mode 0600.
func TestPublicCorpus(t *testing.T) {
	shared := testenv.SharedDir(t)
	files, _ := filepath.Glob(filepath.Join(shared, "corpus", "public", "*.authkeys"))
	if len(files) != 15 {
		t.Fatalf("found %d authkeys files, want 15", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ring, probs := Parse(strings.NewReader(string(b)), filepath.Base(f))
		if probs.Err() != nil {
			t.Errorf("%s: %v", filepath.Base(f), probs.Err())
			continue
		}
		if !ring.ActiveKey().Method.Valid() || CheckMode(0o600, f) != nil {
			t.Errorf("%s: bad keyring %+v", filepath.Base(f), ring)
		}
		for _, w := range probs.Warnings() {
			t.Logf("%v", w)
		}
	}
}

func TestLineBufferBoundary(t *testing.T) {
	// 5119 characters before the newline: one line for 3.0.6, no warning.
	in := "auth 1\n1 sha1 " + strings.Repeat("k", 5119-7) + "\n"
	ring, probs := Parse(strings.NewReader(in), "authkeys")
	if ring == nil || len(probs) != 0 || len(ring.ActiveKey().Secret) != 5112 {
		t.Fatalf("5119-character line: %v", probs)
	}
	// One more character spills into a second line.
	in = "auth 1\n1 sha1 " + strings.Repeat("k", 5120-7) + "\n"
	if ring, probs = Parse(strings.NewReader(in), "authkeys"); ring != nil || len(probs.Warnings()) != 1 {
		t.Fatalf("5120-character line: %v", probs)
	}
}

// TestSecretsStayOutOfReports: no message or hint repeats a secret, since
// reports end up in logs.
func TestSecretsStayOutOfReports(t *testing.T) {
	const secret = "s3cr3t-Value"
	for _, in := range []string{
		"auth 1\n1 crc " + secret + "\n",
		"auth 1\n1 md5 #" + secret + "\n",
		"auth 1\n1 sha1 " + secret + "\n1 md5 " + secret + "\n",
		"1 sha1 " + secret + "\nauth 1\n",
		"auth 1\n1 sha1 " + secret + "\n16 sha1 " + secret + "\n",
		"auth 1\n1 sha256 " + secret + "\n",
	} {
		_, probs := Parse(strings.NewReader(in), "authkeys")
		if len(probs) == 0 {
			t.Fatalf("%q: expected problems", in)
		}
		for _, p := range probs {
			if strings.Contains(p.Error(), secret) {
				t.Errorf("%q: report shows the secret: %v", in, p)
			}
		}
	}
}

func TestKeyringStringHidesSecrets(t *testing.T) {
	ring, probs := Parse(strings.NewReader("auth 15\n1 md5 topsecret\n15 sha1 alsosecret\n2 crc\n"), "authkeys")
	if ring == nil {
		t.Fatal(probs)
	}
	got := fmt.Sprintf("%v %+v", ring, ring.Keys[1])
	if strings.Contains(got, "secret\n") || strings.Contains(got, "topsecret") || strings.Contains(got, "alsosecret") {
		t.Fatalf("secret shown: %s", got)
	}
	want := "keyring[1 md5 <secret hidden>, 2 crc, 15 sha1 <secret hidden> (active)] 1 md5 <secret hidden>"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
