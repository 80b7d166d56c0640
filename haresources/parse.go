package haresources

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"hbgo/internal/problem"
)

// Group is one resource group: a logical line of haresources.
type Group struct {
	// Node is the home node, lower-cased (ASCII letters) as ResourceManager does.
	Node string
	// Line is the physical line where the group starts (1-based).
	Line int
	// Resources in start order; empty for a line naming only a node, which
	// 3.0.6 accepts and which manages nothing.
	Resources []Resource
	// CheckedName is the word 3.0.6's start-up check compares with the
	// ha.cf node names, as written: the first blank-delimited word of the
	// line, which keeps a glued '#' or '\' (so it may differ from Node).
	// Empty when that check never sees this line: it follows a line whose
	// last character is a '\' inside a comment, which the check takes as a
	// continuation while ResourceManager does not, or it holds only
	// characters the check takes for blanks (form feed, CR).
	CheckedName string
}

// Key is the group key ResourceManager uses (takegroup/givegroup): the first
// resource in canonical form, or "" for a group without resources.
func (g Group) Key() string {
	if len(g.Resources) == 0 {
		return ""
	}
	return g.Resources[0].Raw
}

// Resource is one resource token of a group.
type Resource struct {
	// Name is the script name (before the first "::"): IPaddr for a bare IP.
	Name string
	// Args are the "::"-separated arguments, passed before the action.
	Args []string
	// Raw is the token as written, except that a bare IP is given in its
	// canonical form "IPaddr::TOKEN".
	Raw string
	// Line is the physical line holding the token.
	Line int
}

// IsBareIP reports whether ResourceManager takes token for an IPaddr
// shorthand: it matches the shell glob [0-9]*.[0-9]*.[0-9]*.[0-9]*, i.e. it
// starts with a digit and holds three dots each followed by a digit.
func IsBareIP(token string) bool {
	if token == "" || !isDigit(token[0]) {
		return false
	}
	rest := token[1:]
	for range 3 {
		i := strings.Index(rest, ".")
		for i >= 0 && (i+1 >= len(rest) || !isDigit(rest[i+1])) {
			j := strings.Index(rest[i+1:], ".")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			return false
		}
		rest = rest[i+2:]
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParseResource splits one resource token into script name and arguments,
// expanding the bare-IP shorthand. Empty arguments (from "::::") are dropped,
// as ResourceManager's word splitting drops them.
func ParseResource(token string) Resource {
	raw := token
	if IsBareIP(token) {
		raw = "IPaddr::" + token
	}
	r := Resource{Raw: raw}
	name, rest, found := strings.Cut(raw, "::")
	r.Name = name
	if found {
		for _, a := range strings.Split(rest, "::") {
			if a != "" {
				r.Args = append(r.Args, a)
			}
		}
	}
	return r
}

// Directive names used in problem reports.
const (
	dirNode     = "node"
	dirResource = "resource"
	dirLine     = "line"
)

// Parse reads a haresources file and returns its groups with every problem
// found; file names it in the reports.
//
// Groups are formed as 3.0.6's ResourceManager forms them: a '#' starts a
// comment anywhere, a line whose last character is '\' is joined with the
// next one (the '\' and the newline are removed, so words on both sides may
// glue), blanks separate words, blank lines are skipped and the node name is
// lower-cased. Where ResourceManager would run something nobody meant (a '#'
// on a continuation line is not a comment for it, a trailing '\' at the end
// of the file or before a CR stays a word, a CR ends the last word of each
// DOS line), hbgo takes the evident meaning and warns. The node names are
// checked separately (CheckNodes) because they depend on ha.cf.
func Parse(r io.Reader, file string) ([]Group, problem.List) {
	p := &parser{file: file}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if line != "" || err == nil {
			p.physical(n, line)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				p.probs.Errorf(file, 0, "", "check that the file is readable", "cannot read resources file [%s]: %v", file, err)
			}
			break
		}
	}
	p.eof()
	return p.groups, p.probs
}

// word is a blank-delimited word with the physical line it starts on.
type word struct {
	text string
	line int
}

type parser struct {
	file   string
	probs  problem.List
	groups []Group

	// The logical line being built, while continuation lines follow.
	open      bool
	startLine int
	words     []word
	gluable   bool   // the text before the last '\' ended in a non-blank
	lastLine  int    // physical line of the last '\'
	checked   string // word 3.0.6's start-up check read at startLine

	hiddenNext bool // 3.0.6's start-up check skips the next physical line
	crWarned   bool
	nulWarned  bool
	ctlWarned  bool
}

// The two readers of haresources in 3.0.6 disagree on blanks: the start-up
// check (C) splits on space, tab, CR, LF and FF; ResourceManager (sed, awk)
// on space and tab only.
func isCheckBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }
func isRMBlank(r rune) bool    { return r == ' ' || r == '\t' }

// firstWord is the word 3.0.6's start-up check compares with the node names.
func firstWord(s string) string {
	s = strings.TrimLeftFunc(cString(s), isCheckBlank)
	if i := strings.IndexFunc(s, isCheckBlank); i >= 0 {
		return s[:i]
	}
	return s
}

// cString cuts s at its first NUL, where a C string ends.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// lineBuf is how many characters 3.0.6's start-up check reads from a line
// at once, measured on the real daemon: it takes the rest of a longer line
// for a new line and checks its first word as a node name.
const lineBuf = 5118

// physical handles one physical line, newline included if present.
func (p *parser) physical(n int, raw string) {
	p.startupCheck(n, raw)
	p.resourceManager(n, strings.TrimSuffix(raw, "\n"))
}

// startupCheck follows 3.0.6's own reading of the line (the node-name check
// it runs at start-up): it notes the word checked for a group starting here,
// and whether the next physical line is skipped as a continuation, which it
// decides on the line's last character even inside a comment.
func (p *parser) startupCheck(n int, raw string) {
	for rest := raw; len(rest) > lineBuf; {
		rest = rest[lineBuf:]
		if w := firstWord(rest); w != "" && w[0] != '#' {
			p.probs.Errorf(p.file, n, dirLine,
				fmt.Sprintf("the line is longer than %d characters and 3.0.6 reads the rest as a new line: split it with '\\\\' continuations", lineBuf),
				"Bad nodename in %s [%s]", p.file, w)
		}
	}
	body := cString(strings.TrimSuffix(raw, "\n"))
	hidden := p.hiddenNext
	trimmed := strings.TrimLeftFunc(body, isCheckBlank)
	comment := trimmed == "" || trimmed[0] == '#'
	p.hiddenNext = (hidden || !comment) && strings.HasSuffix(body, `\`)
	if !p.open {
		p.checked = ""
		if !hidden && !comment {
			p.checked = firstWord(trimmed)
		}
	}
}

// resourceManager follows 3.0.6's ResourceManager, which forms the groups:
// comments are cut before continuations are joined (so a '\' inside a
// comment continues nothing), and joined lines keep their '#'.
func (p *parser) resourceManager(n int, text string) {
	if i := strings.IndexByte(text, 0); i >= 0 {
		text = text[:i]
		if !p.nulWarned {
			p.nulWarned = true
			p.probs.Warnf(p.file, n, dirLine, "remove the NUL bytes from the file",
				"NUL byte: 3.0.6's ResourceManager then finds no group in the whole file; hbgo ignores the rest of the line")
		}
	}
	if strings.HasSuffix(text, "\r") {
		text = strings.TrimSuffix(text, "\r")
		if !p.crWarned {
			p.crWarned = true
			p.probs.Warnf(p.file, n, dirLine, "convert the file to Unix line ends (dos2unix)",
				"DOS line end (CR LF): 3.0.6's ResourceManager keeps the CR in the last word of the line, so that resource's script is not found; hbgo drops the CR")
		}
		if strings.HasSuffix(text, `\`) {
			// Neither reader of 3.0.6 continues such a line.
			text = strings.TrimSuffix(text, `\`)
			p.probs.Warnf(p.file, n, dirLine, "convert the file to Unix line ends (dos2unix)",
				"'\\' before a CR line end does not continue the line in 3.0.6; hbgo ignores the '\\'")
		}
	}
	continued := p.open
	if !continued {
		p.startLine = n
		p.words = nil
	}
	cont := false
	hadComment := false
	if i := strings.IndexByte(text, '#'); i >= 0 {
		comment := text[i:]
		text = text[:i]
		hadComment = true
		trimmed := strings.TrimLeftFunc(text, isCheckBlank)
		switch {
		case continued:
			p.probs.Warnf(p.file, n, dirLine, "put comments on lines of their own, outside continued lines",
				"'#' on a continuation line: 3.0.6's ResourceManager does not treat it as a comment and would run the words after it as resources; hbgo ignores them")
			// ResourceManager tests the joined line, comment included.
			cont = strings.HasSuffix(comment, `\`)
		case strings.HasSuffix(comment, `\`) && trimmed != "":
			p.probs.Warnf(p.file, n, dirLine, "remove the '\\' from the comment, or move the comment to its own line",
				"the '\\' ending this line is inside a comment: no continuation for ResourceManager, but 3.0.6's start-up check skips the next line")
		}
	} else {
		cont = strings.HasSuffix(text, `\`)
		text = strings.TrimSuffix(text, `\`)
	}
	p.addWords(n, text, continued)
	if cont {
		p.open = true
		p.gluable = !hadComment && text != "" && !isRMBlank(rune(text[len(text)-1]))
		p.lastLine = n
		return
	}
	p.open = false
	p.finishGroup()
}

// addWords appends the words of one piece of a logical line; on a
// continuation line a word touching the removed '\' glues to the previous one.
func (p *parser) addWords(n int, text string, continued bool) {
	fields := strings.FieldsFunc(text, isRMBlank)
	for _, f := range fields {
		if !p.ctlWarned && strings.IndexFunc(f, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
			p.ctlWarned = true
			p.probs.Warnf(p.file, n, dirLine, "separate words with spaces or tabs only",
				"word %q contains a control character; 3.0.6's ResourceManager keeps it in the word", f)
		}
	}
	if continued && p.gluable && len(fields) > 0 && len(p.words) > 0 && !isRMBlank(rune(text[0])) {
		last := &p.words[len(p.words)-1]
		p.probs.Warnf(p.file, n, dirLine, "put a blank before the '\\' if two words were meant",
			"continuation joins %q and %q into one word %q", last.text, fields[0], last.text+fields[0])
		last.text += fields[0]
		fields = fields[1:]
	}
	for _, f := range fields {
		p.words = append(p.words, word{f, n})
	}
}

func (p *parser) eof() {
	if p.open {
		p.probs.Warnf(p.file, p.lastLine, dirLine, "remove the final '\\'",
			"the file ends with a continuation '\\': 3.0.6's ResourceManager keeps it as a resource named '\\'; hbgo ignores it")
		p.open = false
		p.finishGroup()
	}
}

func (p *parser) finishGroup() {
	words := p.words
	p.words = nil
	if len(words) == 0 {
		if p.checked != "" {
			// 3.0.6 checked a word that leaves no group behind (a lone
			// '\' continuing into nothing): report its verdict here.
			p.probs.Errorf(p.file, p.startLine, dirNode, "remove the stray '\\'",
				"Bad nodename in %s [%s]", p.file, p.checked)
		}
		return
	}
	g := Group{Node: asciiLower(words[0].text), Line: p.startLine, CheckedName: p.checked}
	if len(words) == 1 {
		p.probs.Warnf(p.file, g.Line, dirNode, "list the node's resources after its name, or delete the line",
			"node %s has no resources on this line: 3.0.6 accepts it and manages nothing for it", g.Node)
	}
	for _, w := range words[1:] {
		r := ParseResource(w.text)
		r.Line = w.line
		p.checkResource(r, w.text)
		g.Resources = append(g.Resources, r)
	}
	if k := g.Key(); k != "" {
		for _, o := range p.groups {
			if o.Key() == k {
				p.probs.Warnf(p.file, g.Line, dirResource, "make the first resource of each line unique",
					"group key %s already used by the group on line %d: takegroup/givegroup %s would act on both", k, o.Line, k)
				break
			}
		}
	}
	p.groups = append(p.groups, g)
}

// checkResource reports what would make a resource fail when run.
func (p *parser) checkResource(r Resource, token string) {
	if strings.Contains(token, "::::") || strings.HasSuffix(token, "::") {
		p.probs.Warnf(p.file, r.Line, dirResource, "remove the empty argument",
			"resource %s has an empty argument: 3.0.6 drops it and shifts the arguments after it", token)
	}
	if r.Name == "" {
		p.probs.Warnf(p.file, r.Line, dirResource, "write NAME::ARG",
			"resource %s has no script name", token)
		return
	}
	if strings.Contains(r.Name, "/") {
		p.probs.Warnf(p.file, r.Line, dirResource, "name the script only; it is looked up in resource.d, then the init directory",
			"resource script name %q contains '/'", r.Name)
	}
	if r.Name == "IPaddr" || r.Name == "IPaddr2" {
		if len(r.Args) != 1 {
			p.probs.Warnf(p.file, r.Line, dirResource, "write IP[/MASK[/IFACE[/BROADCAST]]] as a single argument",
				"%s takes exactly one argument, %s has %d: the script prints its usage and fails", r.Name, token, len(r.Args))
			return
		}
		if _, err := ParseIPaddrArg(r.Args[0]); err != nil {
			p.probs.Warnf(p.file, r.Line, dirResource, "write IP[/MASK[/IFACE[/BROADCAST]]], e.g. 192.168.1.10/24/eth0",
				"%s: %v", token, err)
		}
	}
}

// Load reads the haresources file at path. A missing file is an error:
// 3.0.6 refuses to start without one (an empty file is fine).
func Load(path string) ([]Group, problem.List) {
	var probs problem.List
	f, err := os.Open(path)
	if err != nil {
		hint := "create it (it may be empty) and make it identical on all nodes"
		if !errors.Is(err, fs.ErrNotExist) {
			hint = ""
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		probs.Errorf(path, 0, "", hint, "Cannot open resources file [%s]: %v", path, err)
		return nil, probs
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		probs.Errorf(path, 0, "", "point it at a regular file", "resources file [%s] is a directory", path)
		return nil, probs
	}
	return Parse(f, path)
}

// CheckNodes applies 3.0.6's start-up check: the first word of each line
// must be a node declared in ha.cf, compared without regard to case. nodes
// are the ha.cf node names; file names haresources in the reports.
func CheckNodes(groups []Group, nodes []string, file string) problem.List {
	var probs problem.List
	known := func(name string) bool {
		for _, n := range nodes {
			if asciiEqualFold(n, name) {
				return true
			}
		}
		return false
	}
	hint := fmt.Sprintf("the first word must be one of the ha.cf node names (%s)", strings.Join(nodes, ", "))
	if len(nodes) == 0 {
		hint = "declare the nodes in ha.cf with 'node NAME ...'"
	}
	for _, g := range groups {
		switch {
		case g.CheckedName != "" && !known(g.CheckedName):
			probs.Errorf(file, g.Line, dirNode, hint, "Bad nodename in %s [%s]", file, g.CheckedName)
		case known(g.Node):
		case g.CheckedName == "":
			probs.Warnf(file, g.Line, dirNode, hint,
				"node %q is not declared in ha.cf, so no node runs this group; 3.0.6's start-up check does not see it (the line follows a '\\' ending a comment, or is blank to it)", g.Node)
		default:
			probs.Warnf(file, g.Line, dirNode, hint,
				"node %q is not declared in ha.cf, so no node runs this group; 3.0.6 does not notice because its check reads the name as %q", g.Node, g.CheckedName)
		}
	}
	return probs
}

// asciiLower lower-cases ASCII letters only, as awk's tolower does in the C
// locale ResourceManager runs in; other bytes are kept as they are.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// asciiEqualFold compares like C's strcasecmp in the C locale.
func asciiEqualFold(a, b string) bool { return asciiLower(a) == asciiLower(b) }
