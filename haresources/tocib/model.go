package tocib

import (
	"encoding/xml"
)

// SchemaVersion is the validate-with value of the generated CIB. 3.0 is
// the oldest 3.x schema, so every Pacemaker 2.x accepts the file (and
// upgrades it on its own when it needs to).
const SchemaVersion = "pacemaker-3.0"

// CIB is the part of a Pacemaker CIB the converter emits.
type CIB struct {
	XMLName       xml.Name      `xml:"cib"`
	ValidateWith  string        `xml:"validate-with,attr"`
	AdminEpoch    int           `xml:"admin_epoch,attr"`
	Epoch         int           `xml:"epoch,attr"`
	NumUpdates    int           `xml:"num_updates,attr"`
	Comment       string        `xml:",comment"`
	Configuration Configuration `xml:"configuration"`
	// Status is the status section; empty for a fresh configuration.
	// Tests and simulations put node_state entries in it.
	Status Status `xml:"status"`
}

// Status holds the raw XML of the status section.
type Status struct {
	Inner string `xml:",innerxml"`
}

// Configuration is the persistent part of the CIB.
type Configuration struct {
	CRMConfig   CRMConfig   `xml:"crm_config"`
	Nodes       []Node      `xml:"nodes>node"`
	Resources   Resources   `xml:"resources"`
	Constraints Constraints `xml:"constraints"`
	RscDefaults *MetaSet    `xml:"rsc_defaults>meta_attributes,omitempty"`
	OpDefaults  *MetaSet    `xml:"op_defaults>meta_attributes,omitempty"`
}

// CRMConfig holds the cluster options.
type CRMConfig struct {
	PropertySet PropertySet `xml:"cluster_property_set"`
}

// PropertySet is one cluster_property_set. Comment explains the
// settings that differ from Pacemaker's defaults.
type PropertySet struct {
	ID      string   `xml:"id,attr"`
	Comment string   `xml:",comment"`
	Pairs   []NVPair `xml:"nvpair"`
}

// NVPair is one name/value pair.
type NVPair struct {
	ID    string `xml:"id,attr"`
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// MetaSet is a meta_attributes or instance_attributes block.
type MetaSet struct {
	ID    string   `xml:"id,attr"`
	Pairs []NVPair `xml:"nvpair"`
}

// Node is a cluster node of the nodes section.
type Node struct {
	ID    string `xml:"id,attr"`
	Uname string `xml:"uname,attr"`
}

// Resources is the resources section: one group per haresources line and
// the STONITH primitives.
type Resources struct {
	Groups     []Group     `xml:"group"`
	Primitives []Primitive `xml:"primitive"`
}

// Group is an ordered, colocated set of primitives.
type Group struct {
	ID         string      `xml:"id,attr"`
	Comment    string      `xml:",comment"`
	Primitives []Primitive `xml:"primitive"`
}

// Primitive is one resource.
type Primitive struct {
	ID       string   `xml:"id,attr"`
	Class    string   `xml:"class,attr"`
	Provider string   `xml:"provider,attr,omitempty"`
	Type     string   `xml:"type,attr"`
	Comment  string   `xml:",comment"`
	Instance *MetaSet `xml:"instance_attributes,omitempty"`
	Ops      []Op     `xml:"operations>op"`
}

// Op is one operation definition.
type Op struct {
	ID       string `xml:"id,attr"`
	Name     string `xml:"name,attr"`
	Interval string `xml:"interval,attr"`
	Timeout  string `xml:"timeout,attr"`
}

// Constraints is the constraints section.
type Constraints struct {
	Locations []Location `xml:"rsc_location"`
}

// Location is a node preference (or ban) of a resource.
type Location struct {
	ID    string `xml:"id,attr"`
	Rsc   string `xml:"rsc,attr"`
	Node  string `xml:"node,attr"`
	Score string `xml:"score,attr"`
}

// XML renders the CIB as an indented XML document.
func (c *CIB) XML() []byte {
	out, err := xml.MarshalIndent(c, "", "  ")
	if err != nil {
		// Only unsupported Go types make MarshalIndent fail; the model has
		// none, so this is a programming error.
		panic("tocib: marshal CIB: " + err.Error())
	}
	return append(append([]byte(xml.Header), out...), '\n')
}
