package authkeys

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"

	"hbgo/internal/problem"
)

// Directive names used in problem reports.
const (
	dirAuth = "auth"
	dirKey  = "key"
)

// Parse reads an authkeys file with the rules of Heartbeat 3.0.6 and returns
// the keyring with every problem found. file names the file in the reports.
//
// The keyring is nil exactly when the list holds an error: 3.0.6 refuses to
// start on any bad line, even one whose key is never used.
//
// The rules, each checked against the real daemon (testdata/real/):
//   - leading blanks are skipped; a line whose first non-blank character is
//     '#' is a comment, a '#' later on the line is ordinary text;
//   - a line starting with 'a' must be "auth N" (blanks after "auth" are
//     optional, text after N is ignored);
//   - any other line is "N METHOD [KEY]" (N may be glued to METHOD, as C's
//     scanf reads it); N is 0..15, METHOD is crc, md5 or sha1 in lower case,
//     crc takes no key, md5 and sha1 need one, text after KEY is ignored;
//   - the signing key is chosen while reading key line N, so "auth N" must
//     come before that line.
func Parse(r io.Reader, file string) (*Keyring, problem.List) {
	p := parser{file: file, authnum: -1, active: -1, keys: map[int]Key{}}
	br := bufio.NewReader(r)
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadString('\n')
		// 3.0.6 reads with a fixed buffer: a longer line arrives in pieces,
		// each parsed as a line of its own.
		if len(strings.TrimSuffix(line, "\n")) > lineBuf {
			p.probs.Warnf(file, lineNo, "", fmt.Sprintf("keep lines under %d characters", lineBuf),
				"line longer than %d characters: 3.0.6 reads the rest as another line", lineBuf)
		}
		for len(line) > lineBuf {
			p.line(lineNo, line[:lineBuf])
			line = line[lineBuf:]
		}
		if line != "" {
			p.line(lineNo, line)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				p.probs.Errorf(file, 0, "", "check that the file is readable", "cannot read keyfile [%s]: %v", file, err)
			}
			break
		}
	}
	p.finish()
	if p.probs.Err() != nil {
		return nil, p.probs
	}
	return &Keyring{Active: p.active, Keys: p.keys}, p.probs
}

// lineBuf is how many characters 3.0.6 reads from a line at once (its
// buffer, less the terminating NUL), measured on the real daemon: a 5119
// character line (newline excluded) passes, a 5120 one yields an extra line.
const lineBuf = 5119

// parser holds the state 3.0.6 keeps while reading the file.
type parser struct {
	file     string
	probs    problem.List
	authnum  int // value of the last valid auth line; -1 = none yet
	authLine int // line of that auth line
	authSeen int // number of valid auth lines
	active   int // index of the key selected for signing; -1 = none
	keys     map[int]Key
}

// isSpace is C's isspace in the C locale: scanf and the line-start skip use it.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func skipSpace(s string) string {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return s[i:]
}

// scanInt reads an optionally signed decimal integer the way glibc's scanf
// %d does (leading blanks skipped): the value is read as a 64-bit long,
// saturating, then cut to a 32-bit int, so 4294967297 reads as 1 (measured
// on the real daemon). ok is false when no digit follows; wrapped tells that
// the int differs from the number written.
func scanInt(s string) (n int, rest string, ok, wrapped bool) {
	s = skipSpace(s)
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	sat := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			sat = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start {
		return 0, s, false, false
	}
	var l int64
	switch {
	case !neg && (sat || v > math.MaxInt64):
		l = math.MaxInt64
	case neg && (sat || v > 1<<63):
		l = math.MinInt64
	case neg:
		l = -int64(v)
	default:
		l = int64(v)
	}
	n = int(int32(l))
	wrapped = sat || int64(n) != l
	return n, s[i:], true, wrapped
}

// scanWord reads a blank-delimited word the way scanf's %s does.
func scanWord(s string) (word, rest string) {
	s = skipSpace(s)
	i := 0
	for i < len(s) && !isSpace(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// display is the line as the daemon quotes it in messages.
func display(raw string) string { return strings.TrimRight(raw, "\r\n") }

func (p *parser) line(n int, raw string) {
	// C string semantics: the line ends at a NUL byte.
	if i := strings.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	bp := skipSpace(raw)
	if bp == "" || bp[0] == '#' {
		return
	}
	if bp[0] == 'a' {
		p.authLineAt(n, raw, bp)
		return
	}
	p.keyLine(n, raw, bp)
}

func (p *parser) authLineAt(n int, raw, bp string) {
	rest, ok := strings.CutPrefix(bp, "auth")
	var num int
	var wrapped bool
	if ok {
		num, _, ok, wrapped = scanInt(rest)
	}
	if !ok {
		p.probs.Errorf(p.file, n, dirAuth, "write it as 'auth N', N being the index of a key line below it",
			"Invalid auth line [%s]", display(raw))
		return
	}
	if wrapped {
		p.probs.Warnf(p.file, n, dirAuth, "write the key index as a number from 0 to 15",
			"the number does not fit in 32 bits: 3.0.6 reads it as %d", num)
	}
	if p.authSeen > 0 {
		p.probs.Warnf(p.file, n, dirAuth, "keep a single auth line, above the key lines",
			"auth given again (first on line %d): only an auth line read before its key line selects the signing key", p.authLine)
	}
	p.authnum, p.authLine = num, n
	p.authSeen++
}

func (p *parser) keyLine(n int, raw, bp string) {
	idx, rest, ok, wrapped := scanInt(bp)
	var method, key, extra string
	if ok {
		method, rest = scanWord(rest)
		key, rest = scanWord(rest)
		extra, _ = scanWord(rest)
	}
	if !ok || method == "" {
		p.probs.Errorf(p.file, n, "", "key lines read 'N METHOD [KEY]' (e.g. '1 sha1 SECRET'); comments start with '#'",
			"Auth line [%s] is invalid.", display(raw))
		return
	}
	if wrapped {
		p.probs.Warnf(p.file, n, dirKey, "write the key index as a number from 0 to 15",
			"the index does not fit in 32 bits: 3.0.6 reads it as %d", idx)
	}
	if idx < 0 || idx >= MaxKeys {
		p.probs.Errorf(p.file, n, dirKey, fmt.Sprintf("use a key index from 0 to %d", MaxKeys-1),
			"Invalid authnum [%d] in %s", idx, p.file)
		return
	}
	m := Method(method)
	if !m.Valid() {
		p.probs.Errorf(p.file, n, dirKey, "use crc, md5 or sha1 (lower case); sha1 is the strongest",
			"Invalid authtype [%s]", method)
		return
	}
	if m.NeedsKey() && key == "" {
		p.probs.Errorf(p.file, n, dirKey, fmt.Sprintf("add a secret: '%d %s SECRET'", idx, m),
			"Auth method [%s] requires a key", m)
		return
	}
	if !m.NeedsKey() && key != "" {
		p.probs.Errorf(p.file, n, dirKey, fmt.Sprintf("remove the key ('%d crc'), or sign with it: '%d sha1 KEY'", idx, idx),
			"Auth method [%s] doesn't use a key", m)
		return
	}
	if strings.HasPrefix(key, "#") {
		p.probs.Warnf(p.file, n, dirKey, "a '#' after the method is part of the key, not a comment; put comments on their own line",
			"key %d starts with '#' (the secret is not shown)", idx)
	} else if extra != "" && !strings.HasPrefix(extra, "#") {
		p.probs.Warnf(p.file, n, dirKey, "keys cannot contain blanks; remove the extra text or start it with '#'",
			"text after the key is ignored: %q", strings.TrimSpace(rest))
	}
	if old, dup := p.keys[idx]; dup {
		p.probs.Warnf(p.file, n, dirKey, "keep one line per key index",
			"key %d defined again (first on line %d): this line replaces it", idx, old.Line)
	}
	p.keys[idx] = Key{Index: idx, Method: m, Secret: key, Line: n}
	if idx == p.authnum {
		p.active = idx
	}
}

func (p *parser) finish() {
	// 3.0.6 only complains when no key got selected: a later "auth -1" or
	// "auth 7" does not undo a selection (measured on the real daemon).
	if p.active < 0 {
		if p.authnum < 0 {
			p.probs.Errorf(p.file, 0, dirAuth, "add a line 'auth N' above the key lines, N being the index of the key to sign with",
				"Missing auth directive in keyfile [%s]", p.file)
			return
		}
		hint := fmt.Sprintf("add a key line '%d sha1 SECRET' below the auth line", p.authnum)
		if k, ok := p.keys[p.authnum]; ok && k.Line < p.authLine {
			hint = fmt.Sprintf("move 'auth %d' (line %d) above the key line %d: the key is selected while its line is read",
				p.authnum, p.authLine, k.Line)
		}
		p.probs.Errorf(p.file, p.authLine, dirAuth, hint, "Auth Key [%d] not found in keyfile [%s]", p.authnum, p.file)
		return
	}
	if k := p.keys[p.active]; k.Method == CRC {
		p.probs.Warnf(p.file, k.Line, dirKey, fmt.Sprintf("use '%d sha1 SECRET' unless the network is physically secure", k.Index),
			"signing with crc: packets are protected against corruption only, anyone can forge them")
	}
}

// CheckMode applies 3.0.6's permission rule to the mode of the authkeys file:
// it is refused when group or others may read it (bits 0040 and 0004). Write
// bits and the owner are not checked, as in 3.0.6. It returns nil when the
// mode is acceptable.
func CheckMode(mode fs.FileMode, file string) *problem.Problem {
	if mode.Perm()&0o044 == 0 {
		return nil
	}
	return &problem.Problem{
		Severity: problem.Error,
		File:     file,
		Msg:      fmt.Sprintf("Bad permissions on keyfile [%s], 600 recommended (mode is %04o: readable by group or others)", file, mode.Perm()),
		Hint:     "chmod 600 " + file,
	}
}

// Load reads the authkeys file at path: it must exist, be a regular file
// and pass CheckMode; then it is parsed. Every problem is reported, even
// after a fatal one, so a check run lists them all; the keyring is nil when
// any is an error.
func Load(path string) (*Keyring, problem.List) {
	var probs problem.List
	f, err := os.Open(path)
	if err != nil {
		hint := "create it with the lines 'auth 1' and '1 sha1 SECRET', then chmod 600 " + path
		if !errors.Is(err, fs.ErrNotExist) {
			hint = ""
		}
		probs.Errorf(path, 0, "", hint, "Cannot open keyfile [%s]: %v", path, unwrapPath(err))
		return nil, probs
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		probs.Errorf(path, 0, "", "", "cannot stat keyfile [%s]: %v", path, unwrapPath(err))
		return nil, probs
	}
	if !fi.Mode().IsRegular() {
		probs.Errorf(path, 0, "", "point it at a regular file", "keyfile [%s] is not a regular file (%s)", path, fi.Mode().Type())
		return nil, probs
	}
	if p := CheckMode(fi.Mode(), path); p != nil {
		probs = append(probs, *p)
	}
	ring, more := Parse(f, path)
	probs = append(probs, more...)
	if probs.Err() != nil {
		return nil, probs
	}
	return ring, probs
}

// unwrapPath drops the path os.PathError repeats, since messages name it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
