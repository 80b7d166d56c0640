package crmsh

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrSyntax is the sentinel every *SyntaxError wraps.
var ErrSyntax = errors.New("syntax error")

// SyntaxError says where a statement could not be read: the line it
// starts on, the offending token and, when one helps, a hint.
type SyntaxError struct {
	Line  int    // 1-based line of the statement in the input
	Token string // the offending token as written ("" at end of statement)
	Msg   string
	Hint  string
}

// Error says where and what: "line N: near TOKEN: message (hint: ...)".
func (e *SyntaxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d: ", e.Line)
	if e.Token == "" {
		b.WriteString("at end of statement: ")
	} else {
		fmt.Fprintf(&b, "near %q: ", e.Token)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

// Unwrap lets errors.Is(err, ErrSyntax) match.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// token is one word of a statement with its quotes removed.
type token struct {
	val    string
	raw    string // as written, for messages
	quoted bool   // some part was quoted: never a keyword
}

// statement is one logical line: physical lines joined where a line ends
// in a backslash.
type statement struct {
	line   int // first physical line, 1-based
	text   string
	tokens []token
}

// Statements splits text into statements: a trailing backslash continues
// a line, a line whose first non-blank character is '#' is a comment, and
// blank lines separate nothing.
func splitStatements(text string) ([]statement, error) {
	var out []statement
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var buf strings.Builder
	start := 0
	for i, l := range lines {
		trim := strings.TrimSpace(l)
		if buf.Len() == 0 {
			start = i + 1
			if trim == "" || strings.HasPrefix(trim, "#") {
				continue
			}
		}
		if strings.HasSuffix(trim, `\`) && !strings.HasSuffix(trim, `\\`) {
			buf.WriteString(strings.TrimSuffix(trim, `\`))
			buf.WriteByte(' ')
			if i < len(lines)-1 {
				continue
			}
		} else {
			buf.WriteString(l)
		}
		text := buf.String()
		buf.Reset()
		if f := strings.Fields(text); len(f) > 0 && f[0] == "xml" {
			// raw XML keeps its quotes: it is parsed as XML, not as words
			out = append(out, statement{line: start, text: text, tokens: []token{{val: "xml", raw: "xml"}}})
			continue
		}
		toks, err := tokenize(text, start)
		if err != nil {
			return nil, err
		}
		if len(toks) > 0 {
			out = append(out, statement{line: start, text: text, tokens: toks})
		}
	}
	return out, nil
}

// tokenize splits one statement into words. Double or single quotes group
// text with blanks into one word (they may start mid-word, as in
// ip="10.0.0.1"); a backslash inside double quotes escapes the next
// character.
func tokenize(s string, line int) ([]token, error) {
	var out []token
	var cur, raw strings.Builder
	in, quoted, have := rune(0), false, false
	flush := func() {
		if have {
			out = append(out, token{val: cur.String(), raw: raw.String(), quoted: quoted})
		}
		cur.Reset()
		raw.Reset()
		quoted, have = false, false
	}
	if !utf8.ValidString(s) {
		return nil, &SyntaxError{Line: line, Msg: "text is not valid UTF-8"}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0xFFFE || r == 0xFFFF {
			return nil, &SyntaxError{Line: line, Token: fmt.Sprintf("%U", r), Msg: "control character", Hint: "a CIB cannot hold it"}
		}
		switch {
		case in != 0:
			raw.WriteRune(r)
			if r == in {
				in = 0
				continue
			}
			if r == '\\' && in == '"' && i+1 < len(rs) {
				i++
				raw.WriteRune(rs[i])
				cur.WriteRune(rs[i])
				continue
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			in, quoted, have = r, true, true
			raw.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n':
			flush()
		default:
			have = true
			cur.WriteRune(r)
			raw.WriteRune(r)
		}
	}
	if in != 0 {
		return nil, &SyntaxError{Line: line, Token: raw.String(), Msg: "unterminated quote", Hint: fmt.Sprintf("close it with %c", in)}
	}
	flush()
	return out, nil
}

// Quote writes a value so tokenize reads it back unchanged: bare when it
// is a plain word, in double quotes otherwise.
func Quote(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\"'\\") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// quoteNV writes name=value with the value quoted when needed.
func quoteNV(name, value string) string { return name + "=" + Quote(value) }

// Words splits one command line into words the way statements are split:
// quotes group blanks into a word and are removed, a backslash inside
// double quotes escapes the next character.
func Words(line string) ([]string, error) {
	toks, err := tokenize(line, 1)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.val
	}
	return out, nil
}
