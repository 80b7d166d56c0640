package hacf

import "strings"

// optionDelims separate the values of option directives (3.0.6 DELIMS).
const optionDelims = ", \t"

// blanks separate the directive name from its value and the fields of
// whole-line directives. A vertical tab is not one of them (checked on the
// real daemon: "keepalive\v2" is an illegal directive).
const blanks = " \t\f"

// rawLine is one non-empty ha.cf line after comment stripping.
type rawLine struct {
	num  int
	name string // directive name as written
	rest string // the remainder, leading option delimiters skipped
}

// cutLine applies 3.0.6's lexical rules to one physical line: it ends at
// the first CR, LF or NUL, everything from the first '#' is a comment,
// leading blanks are skipped, and the name is the first run of non-blank
// characters. ok is false for a line with nothing left.
func cutLine(num int, s string) (rawLine, bool) {
	if i := strings.IndexAny(s, "#\r\n\x00"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimLeft(s, blanks)
	if s == "" {
		return rawLine{}, false
	}
	name := s
	rest := ""
	if i := strings.IndexAny(s, blanks); i >= 0 {
		name, rest = s[:i], s[i:]
	}
	rest = strings.TrimLeft(rest, optionDelims+"\f")
	return rawLine{num: num, name: name, rest: rest}, true
}

// optionTokens splits an option directive's value into the tokens its
// handler is called with, once each.
// A form feed separates values too (verified: "node beta\falpha" declares
// alpha); a vertical tab does not.
func optionTokens(rest string) []string {
	return strings.FieldsFunc(rest, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\f'
	})
}

// fields splits a whole-line directive on blanks only.
func fields(rest string) []string {
	return strings.FieldsFunc(rest, func(r rune) bool {
		return strings.ContainsRune(blanks, r)
	})
}

func lower(s string) string { return strings.ToLower(s) }
