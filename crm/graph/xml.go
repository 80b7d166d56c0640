package graph

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// metaPrefix marks meta attributes in an <attributes> element.
const metaPrefix = "CRM_meta_"

// FeatureSet is the crm_feature_set written into graphs and history.
const FeatureSet = "3.0.14"

type xGraph struct {
	XMLName  xml.Name   `xml:"transition_graph"`
	Attrs    []xml.Attr `xml:",any,attr"`
	Synapses []xSynapse `xml:"synapse"`
}

type xSynapse struct {
	ID       int        `xml:"id,attr"`
	Priority int        `xml:"priority,attr,omitempty"`
	Set      xList      `xml:"action_set"`
	Inputs   []xTrigger `xml:"inputs>trigger"`
}

type xList struct {
	Items []xAction `xml:",any"`
}

type xTrigger struct {
	Items []xAction `xml:",any"`
}

type xAction struct {
	XMLName    xml.Name
	ID         int         `xml:"id,attr"`
	Operation  string      `xml:"operation,attr"`
	Key        string      `xml:"operation_key,attr"`
	OnNode     string      `xml:"on_node,attr,omitempty"`
	OnNodeUUID string      `xml:"on_node_uuid,attr,omitempty"`
	Primitive  *xPrimitive `xml:"primitive"`
	Attributes *xAttrs     `xml:"attributes"`
}

type xPrimitive struct {
	ID       string `xml:"id,attr"`
	LongID   string `xml:"long-id,attr,omitempty"`
	Class    string `xml:"class,attr,omitempty"`
	Provider string `xml:"provider,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
}

type xAttrs struct {
	Attrs []xml.Attr `xml:",any,attr"`
}

// meta returns the CRM_meta_ attributes of a, the fields included.
func (a *Action) meta() map[string]string {
	m := map[string]string{}
	for k, v := range a.Meta {
		m[k] = v
	}
	if a.Kind == RscOp && a.IntervalMS > 0 {
		// Pacemaker leaves out a zero interval.
		m["interval"] = strconv.Itoa(a.IntervalMS)
	}
	if a.Task == TaskCancel {
		m["operation"] = a.CancelTask
	}
	if a.TimeoutMS > 0 {
		m["timeout"] = strconv.Itoa(a.TimeoutMS)
	}
	if a.TargetRC != 0 {
		m["op_target_rc"] = strconv.Itoa(a.TargetRC)
	}
	if a.FenceAction != "" {
		m["stonith_action"] = a.FenceAction
	}
	if a.Node != "" && a.Kind != Pseudo {
		m["on_node"] = a.Node
		if a.NodeUUID != "" {
			m["on_node_uuid"] = a.NodeUUID
		}
	}
	return m
}

// validName reports whether s can be an XML attribute name (letters,
// digits, '_', ':', '-', '.'; not starting with a digit, '-' or '.').
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == ':' || unicode.IsLetter(r):
		case i > 0 && (r == '-' || r == '.' || unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return true
}

// digitLed reports whether s, after its leading underscores, starts with a
// character that may not begin an XML name (a digit, '-' or '.').
func digitLed(s string) bool {
	t := strings.TrimLeft(s, "_")
	return t != "" && (t[0] == '-' || t[0] == '.' || (t[0] >= '0' && t[0] <= '9'))
}

// paramAttr names the attribute of parameter k. Heartbeat-style positional
// parameters are named "1", "2"...: such names get one more leading
// underscore ("_1"; a literal "_1" becomes "__1"), which paramName removes.
func paramAttr(k string) (string, bool) {
	if digitLed(k) {
		k = "_" + k
	}
	return k, validName(k)
}

// paramName reverses paramAttr.
func paramName(attr string) string {
	if strings.HasPrefix(attr, "_") && digitLed(attr) {
		return attr[1:]
	}
	return attr
}

// ErrBadParam means a parameter name cannot be written as an attribute.
var ErrBadParam = errors.New("parameter name not representable in XML")

func sortedAttrs(params, meta map[string]string) ([]xml.Attr, error) {
	var attrs []xml.Attr
	for k, v := range params {
		name, ok := paramAttr(k)
		if !ok {
			return nil, fmt.Errorf("%q: %w", k, ErrBadParam)
		}
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: name}, Value: v})
	}
	for k, v := range meta {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: metaPrefix + k}, Value: v})
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name.Local < attrs[j].Name.Local })
	return attrs, nil
}

func (a *Action) toXML(full bool) (xAction, error) {
	x := xAction{
		XMLName:   xml.Name{Local: a.Kind.String()},
		ID:        a.ID,
		Operation: a.Task,
		Key:       a.Key(),
		OnNode:    a.Node,
	}
	if a.Node != "" {
		x.OnNodeUUID = a.NodeUUID
		if x.OnNodeUUID == "" {
			x.OnNodeUUID = a.Node
		}
	}
	if !full {
		return x, nil
	}
	if a.Kind == RscOp {
		x.Primitive = &xPrimitive{ID: a.Resource, LongID: a.LongID, Class: a.Agent.Class, Provider: a.Agent.Provider, Type: a.Agent.Type}
	}
	attrs, err := sortedAttrs(a.Params, a.meta())
	if err != nil {
		return x, fmt.Errorf("action %d: %w", a.ID, err)
	}
	attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "crm_feature_set"}, Value: FeatureSet})
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name.Local < attrs[j].Name.Local })
	x.Attributes = &xAttrs{Attrs: attrs}
	return x, nil
}

// Encode writes g as Pacemaker's transition graph XML, one synapse per
// action in the order of g.Actions.
func Encode(w io.Writer, g *Graph) error {
	x := xGraph{}
	add := func(name, v string) {
		if v != "" {
			x.Attrs = append(x.Attrs, xml.Attr{Name: xml.Name{Local: name}, Value: v})
		}
	}
	add("cluster-delay", g.ClusterDelay)
	add("stonith-timeout", g.StonithTimeout)
	add("failed-stop-offset", "INFINITY")
	add("failed-start-offset", "INFINITY")
	add("transition_id", strconv.Itoa(g.TransitionID))
	if g.BatchLimit > 0 {
		add("batch-limit", strconv.Itoa(g.BatchLimit))
	}
	byID := make(map[int]*Action, len(g.Actions))
	for _, a := range g.Actions {
		byID[a.ID] = a
	}
	for i, a := range g.Actions {
		xa, err := a.toXML(true)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		s := xSynapse{ID: i, Priority: a.Priority, Set: xList{Items: []xAction{xa}}}
		for _, in := range a.Inputs {
			src, ok := byID[in]
			if !ok {
				return fmt.Errorf("encode action %d: input %d: %w", a.ID, in, ErrUnknownInput)
			}
			trigger, _ := src.toXML(false)
			s.Inputs = append(s.Inputs, xTrigger{Items: []xAction{trigger}})
		}
		x.Synapses = append(x.Synapses, s)
	}
	out, err := xml.MarshalIndent(x, "", "  ")
	if err != nil {
		return fmt.Errorf("encode transition graph: %w", err)
	}
	// encoding/xml writes empty elements as <a></a>; the self-closing form
	// is what Pacemaker's files show.
	out = selfClose(out)
	out = append(out, '\n')
	_, err = w.Write(out)
	return err
}

func selfClose(b []byte) []byte {
	for _, el := range []string{"primitive", "attributes", "rsc_op", "crm_event", "pseudo_event", "inputs"} {
		b = bytes.ReplaceAll(b, []byte("></"+el+">"), []byte("/>"))
	}
	return b
}

// ErrBadGraph means the XML is not a transition graph we understand.
var ErrBadGraph = errors.New("invalid transition graph")

// Decode reads a transition graph. Meta attributes and the fields they carry
// (interval, timeout, target rc, fence action) are split back out; inputs
// refer to actions by id.
func Decode(r io.Reader) (*Graph, error) {
	var x xGraph
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, fmt.Errorf("decode transition graph: %w: %w", ErrBadGraph, err)
	}
	g := &Graph{}
	for _, at := range x.Attrs {
		switch at.Name.Local {
		case "cluster-delay":
			g.ClusterDelay = at.Value
		case "stonith-timeout":
			g.StonithTimeout = at.Value
		case "transition_id":
			n, err := strconv.Atoi(at.Value)
			if err != nil {
				return nil, fmt.Errorf("transition_id %q: %w", at.Value, ErrBadGraph)
			}
			g.TransitionID = n
		case "batch-limit":
			n, err := strconv.Atoi(at.Value)
			if err != nil {
				return nil, fmt.Errorf("batch-limit %q: %w", at.Value, ErrBadGraph)
			}
			g.BatchLimit = n
		}
	}
	for _, s := range x.Synapses {
		if len(s.Set.Items) != 1 {
			return nil, fmt.Errorf("synapse %d: %d actions, want 1: %w", s.ID, len(s.Set.Items), ErrBadGraph)
		}
		a, err := fromXML(&s.Set.Items[0])
		if err != nil {
			return nil, fmt.Errorf("synapse %d: %w", s.ID, err)
		}
		a.Priority = s.Priority
		for _, tr := range s.Inputs {
			for _, in := range tr.Items {
				a.Inputs = append(a.Inputs, in.ID)
			}
		}
		g.Actions = append(g.Actions, a)
	}
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadGraph, err)
	}
	return g, nil
}

func fromXML(x *xAction) (*Action, error) {
	a := &Action{ID: x.ID, Task: x.Operation, Node: x.OnNode, NodeUUID: x.OnNodeUUID}
	if a.NodeUUID == "" {
		// Encode writes the node name when the id is unknown.
		a.NodeUUID = a.Node
	}
	switch x.XMLName.Local {
	case "rsc_op":
		a.Kind = RscOp
	case "crm_event":
		a.Kind = CRMEvent
	case "pseudo_event":
		a.Kind = Pseudo
	default:
		return nil, fmt.Errorf("action element <%s>: %w", x.XMLName.Local, ErrBadGraph)
	}
	if a.Task == "" {
		return nil, fmt.Errorf("action %d has no operation: %w", a.ID, ErrBadGraph)
	}
	if x.Primitive != nil {
		a.Resource, a.LongID = x.Primitive.ID, x.Primitive.LongID
		a.Agent = Agent{Class: x.Primitive.Class, Provider: x.Primitive.Provider, Type: x.Primitive.Type}
	}
	if a.Kind == RscOp && a.Resource == "" {
		return nil, fmt.Errorf("rsc_op %d has no primitive: %w", a.ID, ErrBadGraph)
	}
	if a.Kind == Pseudo && x.Key != "" {
		// Collective markers are keyed RSC_TASK_0; others (all_stopped)
		// carry the bare task.
		if rsc, task, _, err := ParseOpKey(x.Key); err == nil && task == a.Task {
			a.Resource = rsc
		}
	}
	if x.Attributes != nil {
		for _, at := range x.Attributes.Attrs {
			name, v := at.Name.Local, at.Value
			k, isMeta := strings.CutPrefix(name, metaPrefix)
			if !isMeta {
				if name == "crm_feature_set" {
					continue
				}
				if a.Params == nil {
					a.Params = map[string]string{}
				}
				p := paramName(name)
				if back, ok := paramAttr(p); !ok || back != name {
					return nil, fmt.Errorf("action %d: attribute name %q: %w", a.ID, name, ErrBadGraph)
				}
				a.Params[p] = v
				continue
			}
			var err error
			switch k {
			case "interval":
				a.IntervalMS, err = strconv.Atoi(v)
			case "timeout":
				a.TimeoutMS, err = strconv.Atoi(v)
			case "op_target_rc":
				a.TargetRC, err = strconv.Atoi(v)
			case "stonith_action":
				a.FenceAction = v
			case "operation":
				if a.Task == TaskCancel {
					a.CancelTask = v
				} else {
					a.setMeta(k, v)
				}
			case "on_node", "on_node_uuid":
				// Carried by the element's own attributes.
			default:
				a.setMeta(k, v)
			}
			if err != nil {
				return nil, fmt.Errorf("action %d attribute %s=%q: %w", a.ID, name, v, ErrBadGraph)
			}
		}
	}
	if a.Task == TaskCancel && a.CancelTask == "" {
		if _, task, ms, err := ParseOpKey(x.Key); err == nil {
			a.CancelTask, a.IntervalMS = task, ms
		}
	}
	return a, nil
}

func (a *Action) setMeta(k, v string) {
	if a.Meta == nil {
		a.Meta = map[string]string{}
	}
	a.Meta[k] = v
}
