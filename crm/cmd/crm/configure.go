package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hbgo/crm/cib"
	"hbgo/crm/crmsh"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
)

// working returns the document commands change, loading it when nothing
// is pending.
func (s *session) working() (*cibdoc.Element, error) {
	if s.work != nil {
		return s.work, nil
	}
	root, err := s.load()
	if err != nil {
		return nil, err
	}
	s.work, s.before, s.change = root, root.String(), cibdoc.StatusChange
	return root, nil
}

// touched records that the working copy's configuration changed.
func (s *session) touched(ch cibdoc.Change) {
	if ch == cibdoc.ConfigChange {
		s.change = cibdoc.ConfigChange
	}
}

// commit stores the working copy when it changed, after checking the
// cluster can read it; a copy that fails the check is dropped.
func (s *session) commit() error {
	if s.work == nil {
		return nil
	}
	root := s.work
	s.work = nil
	if root.String() == s.before {
		return nil
	}
	if _, err := cib.Parse(strings.NewReader(root.String())); err != nil {
		return fmt.Errorf("not committed, the CIB would be invalid: %w", err)
	}
	src, err := s.source()
	if err != nil {
		return err
	}
	return cibdoc.Commit(src, s.before, root, s.change)
}

// cluster computes the status of a document.
func cluster(root *cibdoc.Element) (*status.Cluster, error) {
	c, err := cib.Parse(strings.NewReader(root.String()))
	if err != nil {
		return nil, fmt.Errorf("invalid CIB: %w", err)
	}
	return status.Compute(c, root), nil
}

// statement parses and adds a configuration statement.
func (s *session) statement(text string, line int) error {
	objs, err := crmsh.ParseWith(text, s.parseOptions())
	if err != nil {
		var se *crmsh.SyntaxError
		if errors.As(err, &se) && line > 0 {
			se.Line += line - 1
		}
		return err
	}
	root, err := s.working()
	if err != nil {
		return err
	}
	if err := crmsh.Add(root, objs); err != nil {
		return err
	}
	s.touched(cibdoc.ConfigChange)
	return nil
}

// configure runs a configure-level command.
func (s *session) configure(w []string) error {
	if crmsh.IsCommand(w[0]) {
		return s.statement(joinWords(w), 0)
	}
	switch w[0] {
	case "show":
		return s.show(w[1:])
	case "commit":
		return s.commit()
	case "verify":
		return s.verifyCmd()
	case "edit":
		return s.edit(w[1:])
	case "load":
		return s.loadCmd(w[1:])
	case "delete", "rm":
		if len(w) < 2 {
			return fmt.Errorf("usage: delete ID [ID...]")
		}
		return s.delete(w[1:])
	}
	return fmt.Errorf("configure %s: unknown command", w[0])
}

func (s *session) show(args []string) error {
	root, err := s.working()
	if err != nil {
		return err
	}
	asXML := len(args) > 0 && args[0] == "xml"
	if asXML {
		args = args[1:]
	}
	out := s.env.stdout
	if len(args) == 0 {
		if asXML {
			fmt.Fprint(out, cibdoc.Section(root, "configuration").String())
			return nil
		}
		fmt.Fprint(out, crmsh.Show(crmsh.Objects(root)))
		return nil
	}
	objs := crmsh.Objects(root)
	for _, id := range args {
		if asXML {
			e := cibdoc.Section(root, "configuration").FindID(id)
			if e == nil {
				return fmt.Errorf("object %s does not exist", id)
			}
			fmt.Fprint(out, e.String())
			continue
		}
		text, ok := crmsh.ShowObject(objs, id)
		if !ok {
			return fmt.Errorf("object %s does not exist", id)
		}
		fmt.Fprintln(out, text)
	}
	return nil
}

func (s *session) verifyCmd() error {
	root, err := s.working()
	if err != nil {
		return err
	}
	out, ok, err := s.env.verify([]byte(root.String()))
	if err != nil {
		return err
	}
	fmt.Fprint(s.env.stdout, out)
	if !ok {
		return errors.New("the configuration is not valid (crm_verify)")
	}
	return nil
}

func (s *session) delete(ids []string) error {
	root, err := s.working()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if !s.force {
			if cl, err := cluster(root); err == nil {
				if r := cl.Find(id); r != nil && r.Active() {
					return fmt.Errorf("resource %s is running, can't delete it (stop it first, or use crm -F)", id)
				}
			}
		}
		notes, err := crmsh.Delete(root, id)
		if err != nil {
			return err
		}
		for _, n := range notes {
			s.info("%s", n)
		}
		s.touched(cibdoc.ConfigChange)
	}
	return nil
}

// edit lets the admin change the configuration text (of one object with
// an id) in an editor and applies it. Text that does not parse, or does
// not make a valid configuration, is kept in a file and nothing changes.
func (s *session) edit(args []string) error {
	root, err := s.working()
	if err != nil {
		return err
	}
	objs := crmsh.Objects(root)
	var text string
	if len(args) > 0 {
		var parts []string
		for _, id := range args {
			t, ok := crmsh.ShowObject(objs, id)
			if !ok {
				return fmt.Errorf("object %s does not exist", id)
			}
			parts = append(parts, t)
		}
		text = strings.Join(parts, "\n") + "\n"
	} else {
		text = crmsh.Show(objs)
	}
	f, err := os.CreateTemp(s.env.tempDir, "crm-edit-*.txt")
	if err != nil {
		return err
	}
	path := f.Name()
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return werr
	}
	if err := s.env.editor(s.env, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("editor: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if string(data) == text {
		os.Remove(path)
		return nil
	}
	keep := func(err error) error {
		return fmt.Errorf("%w; nothing was changed, your text is kept in %s", err, path)
	}
	edited, err := crmsh.ParseWith(string(data), s.parseOptions())
	if err != nil {
		return keep(err)
	}
	all := edited
	if len(args) > 0 {
		// the other objects stay; the edited ones take the place of the old
		picked := map[string]bool{}
		for _, id := range args {
			picked[id] = true
		}
		all = nil
		placed := false
		for _, o := range objs {
			if picked[o.ID] {
				if !placed {
					all = append(all, edited...)
					placed = true
				}
				continue
			}
			all = append(all, o)
		}
		if !placed {
			all = append(all, edited...)
		}
	}
	trial := root.Clone()
	if err := crmsh.Replace(trial, all); err != nil {
		return keep(err)
	}
	if _, err := cib.Parse(strings.NewReader(trial.String())); err != nil {
		return keep(fmt.Errorf("the CIB would be invalid: %w", err))
	}
	if err := crmsh.Replace(root, all); err != nil {
		return keep(err)
	}
	os.Remove(path)
	s.touched(cibdoc.ConfigChange)
	return nil
}

// status prints what crm_mon -1 prints; crm's options inactive,
// failcounts and bynode add what crm_mon's -r, -f and -n do.
func (s *session) status(opts []string) error {
	root, err := s.working()
	if err != nil {
		return err
	}
	cl, err := cluster(root)
	if err != nil {
		return err
	}
	o := render.Options{Now: s.env.now(), Request: "crm_mon -1"}
	for _, a := range opts {
		switch a {
		case "inactive":
			o.Inactive = true
		case "failcounts":
			o.FailCounts = true
		case "bynode":
			o.ByNode = true
		case "full":
			o.Inactive, o.FailCounts = true, true
		default:
			return fmt.Errorf("status: unknown option %q (inactive, failcounts, bynode, full)", a)
		}
	}
	render.Text(s.env.stdout, cl, o)
	return nil
}

// loadCmd reads configuration text from a file: "replace" makes it the
// whole configuration, "update" adds and replaces objects by id.
func (s *session) loadCmd(args []string) error {
	if len(args) != 2 || (args[0] != "replace" && args[0] != "update") {
		return fmt.Errorf("usage: load replace|update FILE")
	}
	var data []byte
	var err error
	if args[1] == "-" {
		data, err = io.ReadAll(s.env.stdin)
	} else {
		data, err = os.ReadFile(args[1])
	}
	if err != nil {
		return err
	}
	objs, err := crmsh.ParseWith(string(data), s.parseOptions())
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	root, err := s.working()
	if err != nil {
		return err
	}
	trial := root.Clone()
	apply := crmsh.Replace
	if args[0] == "update" {
		apply = crmsh.Update
	}
	if err := apply(trial, objs); err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	if err := apply(root, objs); err != nil {
		return err
	}
	s.touched(cibdoc.ConfigChange)
	return nil
}

// parseOptions resolves bare agent names against the OCF agents installed
// under the env's ocfRoot.
func (s *session) parseOptions() crmsh.Options {
	root := s.env.ocfRoot
	if root == "" {
		return crmsh.Options{}
	}
	return crmsh.Options{Providers: func(typ string) []string {
		dirs, _ := os.ReadDir(root)
		var out []string
		for _, d := range dirs {
			if st, err := os.Stat(filepath.Join(root, d.Name(), typ)); err == nil && !st.IsDir() {
				out = append(out, d.Name())
			}
		}
		return out
	}}
}
