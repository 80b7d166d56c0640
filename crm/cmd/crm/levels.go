package main

import (
	"fmt"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/status/cibdoc"
	"hbgo/crm/status/render"
)

// node runs a node-level command: standby and online change the node's
// standby attribute, for ever by default or until reboot.
func (s *session) node(w []string) error {
	switch w[0] {
	case "standby", "online":
	default:
		return fmt.Errorf("node %s: unknown command (standby, online)", w[0])
	}
	args := w[1:]
	lifetime := "forever"
	if n := len(args); n > 0 && (args[n-1] == "reboot" || args[n-1] == "forever") {
		lifetime, args = args[n-1], args[:n-1]
	}
	if len(args) > 1 {
		return fmt.Errorf("usage: node %s [NODE] [reboot|forever]", w[0])
	}
	var node string
	if len(args) == 1 {
		node = args[0]
	} else {
		h, err := s.env.hostname()
		if err != nil {
			return err
		}
		node = h
	}
	root, err := s.working()
	if err != nil {
		return err
	}
	if _, err := cibdoc.NodeID(root, node); err != nil {
		return err
	}
	perm := cibdoc.AttrRef{Scope: cibdoc.ScopeNodes, Node: node, Name: "standby"}
	trans := cibdoc.AttrRef{Scope: cibdoc.ScopeStatus, Node: node, Name: "standby"}
	value := "on"
	if w[0] == "online" {
		value = "off"
	}
	switch {
	case w[0] == "standby" && lifetime == "reboot":
		_, err = cibdoc.SetAttr(root, trans, value)
		s.touched(cibdoc.StatusChange)
	case w[0] == "standby":
		_, err = cibdoc.SetAttr(root, perm, value)
		s.touched(cibdoc.ConfigChange)
	default:
		// online undoes both kinds of standby
		if _, err = cibdoc.SetAttr(root, perm, value); err == nil {
			if ps, _ := cibdoc.FindAttr(root, trans); len(ps) > 0 {
				_, err = cibdoc.SetAttr(root, trans, value)
			}
		}
		s.touched(cibdoc.ConfigChange)
	}
	if err != nil {
		return err
	}
	if err := s.commit(); err != nil {
		return err
	}
	s.info("%s node %s", w[0], node)
	return nil
}

// resource runs a resource-level command.
func (s *session) resource(w []string) error {
	cmd, args := w[0], w[1:]
	if cmd == "status" || cmd == "show" || cmd == "list" {
		return s.resourceStatus(args)
	}
	root, err := s.working()
	if err != nil {
		return err
	}
	if len(args) == 0 && (cmd == "cleanup" || cmd == "refresh") {
		// every resource, as crm_resource --cleanup without --resource
		cl, err := cluster(root)
		if err != nil {
			return err
		}
		for _, r := range cl.Resources {
			if err := s.resource([]string{cmd, r.ConfigID}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(args) == 0 {
		return fmt.Errorf("usage: resource %s RSC", cmd)
	}
	rsc := args[0]
	switch cmd {
	case "start", "stop":
		role := map[string]string{"start": "Started", "stop": "Stopped"}[cmd]
		for _, r := range args {
			if err := setMeta(root, r, "target-role", role); err != nil {
				return err
			}
		}
		s.touched(cibdoc.ConfigChange)
	case "move", "migrate":
		return s.move(root, args)
	case "unmove", "unmigrate", "clear":
		if _, err := resourceElement(root, rsc); err != nil {
			return err
		}
		ids := clearMoves(root, rsc)
		s.touched(cibdoc.ConfigChange)
		if err := s.commit(); err != nil {
			return err
		}
		if len(ids) > 0 {
			s.info("Removed migration constraints for %s", rsc)
		}
		return nil
	case "cleanup", "refresh":
		if len(args) > 2 {
			return fmt.Errorf("usage: resource %s RSC [NODE]", cmd)
		}
		node := ""
		if len(args) == 2 {
			node = args[1]
			if _, err := cibdoc.NodeID(root, node); err != nil {
				return err
			}
		}
		cl, err := cluster(root)
		if err != nil {
			return err
		}
		lines, err := cleanup(root, cl, rsc, node, cmd == "refresh")
		if err != nil {
			return err
		}
		s.touched(cibdoc.StatusChange)
		if err := s.commit(); err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintln(s.env.stdout, l)
		}
		return nil
	default:
		return fmt.Errorf("resource %s: unknown command (start, stop, move, clear, cleanup, refresh, status)", cmd)
	}
	return s.commit()
}

// move prefers a node for a resource, or without one bans it from the
// node it runs on; an ISO 8601 duration limits how long.
func (s *session) move(root *cibdoc.Element, args []string) error {
	rsc := args[0]
	var node string
	var until time.Time
	for _, a := range args[1:] {
		switch {
		case a == "force":
		case isLifetime(a):
			ms, _ := cib.ParseIntervalMS(a)
			until = s.env.now().Add(time.Duration(ms) * time.Millisecond)
		case node == "":
			node = a
		default:
			return fmt.Errorf("usage: resource move RSC [NODE] [LIFETIME] [force]")
		}
	}
	if _, err := resourceElement(root, rsc); err != nil {
		return err
	}
	if node != "" {
		if err := moveTo(root, rsc, node, until); err != nil {
			return err
		}
	} else {
		cl, err := cluster(root)
		if err != nil {
			return err
		}
		r := cl.Find(rsc)
		var nodes []string
		if r != nil {
			nodes = activeNodes(r)
		}
		if len(nodes) != 1 {
			return fmt.Errorf("resource %s is active on %d nodes: name the node to move it to", rsc, len(nodes))
		}
		if err := banFrom(root, rsc, nodes[0], until); err != nil {
			return err
		}
	}
	s.touched(cibdoc.ConfigChange)
	if err := s.commit(); err != nil {
		return err
	}
	if node != "" {
		s.info("Move constraint created for %s to %s", rsc, node)
	} else {
		s.info("Move constraint created for %s", rsc)
	}
	return nil
}

// resourceStatus lists resources as crm_resource --list does, or where one
// resource runs as crm_resource --locate does.
func (s *session) resourceStatus(args []string) error {
	root, err := s.working()
	if err != nil {
		return err
	}
	cl, err := cluster(root)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		fmt.Fprintln(s.env.stdout, "Full List of Resources:")
		render.ResourceList(s.env.stdout, cl, render.Options{Inactive: true})
		return nil
	}
	for _, id := range args {
		r := cl.Find(id)
		if r == nil {
			return fmt.Errorf("resource %s: %w", id, errNoResource)
		}
		nodes := activeNodes(r)
		if len(nodes) == 0 {
			fmt.Fprintf(s.env.stdout, "resource %s is NOT running\n", id)
		}
		for _, n := range nodes {
			fmt.Fprintf(s.env.stdout, "resource %s is running on: %s\n", id, n)
		}
	}
	return nil
}

// isLifetime reports whether a is an ISO 8601 duration (PT1H, P1D) rather
// than a node name.
func isLifetime(a string) bool {
	if !strings.HasPrefix(a, "P") {
		return false
	}
	ms, ok := cib.ParseIntervalMS(a)
	return ok && ms > 0
}
