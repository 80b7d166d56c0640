package stonith

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// paramDelims are the separators of the positional -p/-F string.
const paramDelims = " \t\n\r\f"

// hostDelims separate the names of a hostlist parameter.
const hostDelims = " \t\n\r\f,"

// ErrTooFewValues is returned by ParsePositional when the string holds
// fewer values than the device has parameter names.
var ErrTooFewValues = errors.New("fewer values than parameter names")

// ErrNoConfigLine is returned by ParseConfigFile when the file holds no
// line other than comments and blank lines.
var ErrNoConfigLine = errors.New("no configuration line")

// ParsePositional assigns the white-space separated values of s to names in
// order, as stonith -p does. The last name receives the whole rest of the
// string, white space included, so a multi-word last parameter survives
// (for null, -p "a b" gives hostlist="a b").
func ParsePositional(names []string, s string) (Params, error) {
	p := make(Params, len(names))
	for i, name := range names {
		s = strings.TrimLeft(s, paramDelims)
		if s == "" {
			return nil, fmt.Errorf("parameter %s: %w", name, ErrTooFewValues)
		}
		n := len(s)
		if i < len(names)-1 {
			if j := strings.IndexAny(s, paramDelims); j >= 0 {
				n = j
			}
		}
		p[name] = s[:n]
		s = s[n:]
	}
	return p, nil
}

// ConfigLine returns the line of a -F file that holds the parameters: the
// first line that is neither empty nor starts with '#', without its line
// ending. Like cluster-glue it reads at most 1023 bytes of a line.
func ConfigLine(r io.Reader) (string, error) {
	br := bufio.NewReader(r)
	for {
		line, err := readLimited(br, 1023)
		if line != "" && line[0] != '#' && line[0] != '\n' {
			return strings.TrimSuffix(line, "\n"), nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", ErrNoConfigLine
			}
			return "", err
		}
	}
}

// readLimited reads up to and including '\n' but no more than max bytes,
// the way fgets splits long lines.
func readLimited(br *bufio.Reader, max int) (string, error) {
	var b strings.Builder
	for b.Len() < max {
		c, err := br.ReadByte()
		if err != nil {
			return b.String(), err
		}
		b.WriteByte(c)
		if c == '\n' {
			break
		}
	}
	return b.String(), nil
}

// ParseConfigFile reads a -F file and assigns its line positionally.
func ParseConfigFile(names []string, r io.Reader) (Params, error) {
	line, err := ConfigLine(r)
	if err != nil {
		return nil, err
	}
	return ParsePositional(names, line)
}

// FromEnv takes each parameter from the environment variable of the same
// name (stonith -E). Unset variables are left out, so a device that needs
// them reports a configuration error.
func FromEnv(names []string, lookup func(string) (string, bool)) Params {
	p := make(Params, len(names))
	for _, name := range names {
		if v, ok := lookup(name); ok {
			p[name] = v
		}
	}
	return p
}

// ParseNameValue splits a name=value command-line argument at the first
// '='. ok is false when there is none.
func ParseNameValue(arg string) (name, value string, ok bool) {
	return strings.Cut(arg, "=")
}

// SplitHostList splits a hostlist value at white space and commas and
// lower-cases the names, as cluster-glue's compiled plugins do.
func SplitHostList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(hostDelims, r) })
	for i := range f {
		f[i] = Lower(f[i])
	}
	return f
}

// Lower lower-cases ASCII letters only, like C's tolower in the "C"
// locale that cluster-glue uses for host names.
func Lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
