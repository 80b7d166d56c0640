package ocf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrBadMetaData is returned (wrapped) when an agent's meta-data output is
// not a usable <resource-agent> document.
var ErrBadMetaData = errors.New("invalid agent meta-data")

// MetaData is the parsed output of an agent's meta-data action.
type MetaData struct {
	Name       string      // resource-agent name attribute
	Version    string      // agent version attribute
	APIVersion string      // <version> element: OCF API version
	ShortDesc  string      // shortdesc in any language
	Parameters []Parameter // in document order
	Actions    []Action    // in document order
}

// Parameter describes one instance parameter an agent accepts.
type Parameter struct {
	Name        string
	Required    bool
	Unique      bool
	UniqueGroup string // OCF 1.1 unique-group
	Reloadable  bool
	Deprecated  bool
	Type        string // content type: string, integer, boolean, time, select
	Default     string
	HasDefault  bool     // a default attribute was present (it may be empty)
	Options     []string // values of a select content
	ShortDesc   string
}

// Action is one advertised action with its advisory defaults.
type Action struct {
	Name       string
	Timeout    time.Duration // 0 when not given or unparsable
	Interval   time.Duration // 0 when not given
	Depth      int           // OCF_CHECK_LEVEL for monitors
	Role       string        // Promoted/Unpromoted (or Master/Slave) when given
	StartDelay time.Duration
}

type xmlAgent struct {
	XMLName    xml.Name   `xml:"resource-agent"`
	Name       string     `xml:"name,attr"`
	Version    string     `xml:"version,attr"`
	APIVersion string     `xml:"version"`
	ShortDesc  []xmlDesc  `xml:"shortdesc"`
	Parameters []xmlParam `xml:"parameters>parameter"`
	Actions    []xmlAct   `xml:"actions>action"`
}

type xmlDesc struct {
	Text string `xml:",chardata"`
}

type xmlParam struct {
	Name        string    `xml:"name,attr"`
	Required    string    `xml:"required,attr"`
	Unique      string    `xml:"unique,attr"`
	UniqueGroup string    `xml:"unique-group,attr"`
	Reloadable  string    `xml:"reloadable,attr"`
	Deprecated  string    `xml:"deprecated,attr"`
	ShortDesc   []xmlDesc `xml:"shortdesc"`
	Content     struct {
		Type    string  `xml:"type,attr"`
		Default *string `xml:"default,attr"`
		Options []struct {
			Value string `xml:"value,attr"`
		} `xml:"option"`
	} `xml:"content"`
}

type xmlAct struct {
	Name       string `xml:"name,attr"`
	Timeout    string `xml:"timeout,attr"`
	Interval   string `xml:"interval,attr"`
	Depth      string `xml:"depth,attr"`
	Role       string `xml:"role,attr"`
	StartDelay string `xml:"start-delay,attr"`
}

// ParseMetaData parses the XML printed by an agent's meta-data action.
// Unknown elements are ignored; a document without a resource-agent root or
// with a parameter or action lacking a name is refused. Unparsable time
// attributes are left at zero (they are advisory).
func ParseMetaData(data []byte) (*MetaData, error) {
	var x xmlAgent
	dec := xml.NewDecoder(bytes.NewReader(data))
	// Agents declare <!DOCTYPE ...>; the DTD is not needed to read them.
	dec.Strict = true
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadMetaData, err)
	}
	md := &MetaData{
		Name:       x.Name,
		Version:    x.Version,
		APIVersion: strings.TrimSpace(x.APIVersion),
		ShortDesc:  firstDesc(x.ShortDesc),
	}
	for i, p := range x.Parameters {
		if p.Name == "" {
			return nil, fmt.Errorf("%w: parameter %d has no name", ErrBadMetaData, i+1)
		}
		mp := Parameter{
			Name:        p.Name,
			Required:    IsTrue(p.Required),
			Unique:      IsTrue(p.Unique),
			UniqueGroup: p.UniqueGroup,
			Reloadable:  IsTrue(p.Reloadable),
			Deprecated:  IsTrue(p.Deprecated),
			Type:        p.Content.Type,
			ShortDesc:   firstDesc(p.ShortDesc),
		}
		if p.Content.Default != nil {
			mp.Default, mp.HasDefault = *p.Content.Default, true
		}
		for _, o := range p.Content.Options {
			mp.Options = append(mp.Options, o.Value)
		}
		md.Parameters = append(md.Parameters, mp)
	}
	for i, a := range x.Actions {
		if a.Name == "" {
			return nil, fmt.Errorf("%w: action %d has no name", ErrBadMetaData, i+1)
		}
		ma := Action{Name: a.Name, Role: a.Role}
		ma.Timeout, _ = ParseDuration(a.Timeout)
		ma.Interval, _ = ParseDuration(a.Interval)
		ma.StartDelay, _ = ParseDuration(a.StartDelay)
		fmt.Sscanf(a.Depth, "%d", &ma.Depth)
		md.Actions = append(md.Actions, ma)
	}
	return md, nil
}

func firstDesc(d []xmlDesc) string {
	if len(d) == 0 {
		return ""
	}
	return strings.TrimSpace(d[0].Text)
}

// HasAction reports whether the agent advertises an action of that name.
func (m *MetaData) HasAction(name string) bool {
	_, ok := m.Action(name)
	return ok
}

// Action returns the first advertised action of that name (for monitors
// with several roles, the first listed).
func (m *MetaData) Action(name string) (Action, bool) {
	for _, a := range m.Actions {
		if a.Name == name {
			return a, true
		}
	}
	return Action{}, false
}

// Parameter returns the parameter of that name.
func (m *MetaData) Parameter(name string) (Parameter, bool) {
	for _, p := range m.Parameters {
		if p.Name == name {
			return p, true
		}
	}
	return Parameter{}, false
}

// MissingRequired returns, in document order, the required parameters that
// params does not set (empty values count as unset, as agents test -z).
func (m *MetaData) MissingRequired(params map[string]string) []string {
	var out []string
	for _, p := range m.Parameters {
		if p.Required && params[p.Name] == "" {
			out = append(out, p.Name)
		}
	}
	return out
}

// IsTrue applies the ocf_is_true rules of the agents' shell library:
// yes, true, 1, on (any case) and "ja" are true; everything else is false.
func IsTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "1", "on", "ja":
		return true
	}
	return false
}
