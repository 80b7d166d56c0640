package cib

import "hbgo/crm/score"

// CIB is a parsed Cluster Information Base document.
type CIB struct {
	// Version counters; the highest (AdminEpoch, Epoch, NumUpdates) wins
	// when copies are compared.
	AdminEpoch, Epoch, NumUpdates int
	// HaveQuorum is the partition's quorum as recorded by the DC.
	HaveQuorum bool
	// DCUUID is the node id of the Designated Coordinator, if known.
	DCUUID string
	// ValidateWith names the schema the document claims to follow.
	ValidateWith string
	// ExecutionDate, when set, is the "now" the scheduler should use
	// (seconds since the epoch, as text).
	ExecutionDate string

	CRMConfig   []NVSet // cluster_property_set blocks
	RscDefaults []NVSet // rsc_defaults meta_attributes
	OpDefaults  []NVSet // op_defaults meta_attributes
	Nodes       []Node
	Resources   []*Resource // top-level resources in document order
	Locations   []Location
	Colocations []Colocation
	Orders      []Order
	Status      []NodeState
}

// Node is a cluster node from the configuration's nodes section.
type Node struct {
	ID, Uname, Type string
	Attrs           []NVSet // instance_attributes (permanent node attributes)
	Utilization     []NVSet
}

// NVSet is a named set of name/value pairs, optionally guarded by a rule and
// ordered against other sets by Score (higher first).
type NVSet struct {
	ID    string
	Score score.Score
	Rule  *Rule
	Pairs []NVPair
}

// NVPair is one name/value pair of an NVSet.
type NVPair struct {
	ID, Name, Value string
}

// BoolOp combines a rule's expressions.
type BoolOp int

// Rule combinators.
const (
	And BoolOp = iota
	Or
)

// Rule is a boolean expression over node attributes, dates, operations and
// resources. In a location constraint it also carries the score to apply.
type Rule struct {
	ID             string
	Score          score.Score
	HasScore       bool
	ScoreAttribute string
	Role           string
	Op             BoolOp
	Exprs          []Expr
}

// ExprKind says which kind of condition an Expr is.
type ExprKind int

// Expression kinds.
const (
	ExprAttribute ExprKind = iota // <expression attribute= operation= value=>
	ExprDate                      // <date_expression>
	ExprRule                      // nested <rule>
	ExprOp                        // <op_expression name= interval=>
	ExprRsc                       // <rsc_expression class= provider= type=>
)

// Expr is one condition of a Rule.
type Expr struct {
	Kind ExprKind
	ID   string
	// Attribute expressions.
	Attribute, Operation, Value, Type, ValueSource string
	// Nested rule (Kind == ExprRule).
	Rule *Rule
	// Date expressions: operation (in_range, gt, lt, date_spec), bounds as
	// text, and the date_spec / duration fields.
	Start, End       string
	DateSpec         map[string]string
	Duration         map[string]string
	HasSpec, HasDura bool
	// Op expressions.
	OpName, OpInterval string
	// Resource expressions.
	Class, Provider, RscType string
}

// Kind is the variant of a configured resource.
type Kind int

// Resource kinds.
const (
	Primitive Kind = iota
	Group
	Clone
	Master // 1.x <master>, a promotable clone
	Bundle
)

// String names the kind as the XML element does.
func (k Kind) String() string {
	return [...]string{"primitive", "group", "clone", "master", "bundle"}[k]
}

// Resource is one configured resource with its children (group members,
// the cloned resource).
type Resource struct {
	Kind                  Kind
	ID                    string
	Class, Provider, Type string
	Template              string
	Meta                  []NVSet
	Instance              []NVSet
	Utilization           []NVSet
	Ops                   []Op
	Children              []*Resource
}

// Op is a configured operation (<op>) of a primitive.
type Op struct {
	ID, Name, Interval, Role, OnFail, Timeout, Enabled string
	Requires                                           string
	Meta                                               []NVSet
}

// Location is an rsc_location constraint: either a fixed node and score or
// one or more rules.
type Location struct {
	ID                string
	Rsc, RscPattern   string
	Node              string
	Role              string
	Score             score.Score
	HasScore          bool
	ScoreAttribute    string
	Rules             []Rule
	ResourceDiscovery string
	Sets              []ResourceSet
}

// Colocation is an rsc_colocation constraint: Rsc (the dependent) is placed
// relative to WithRsc (the primary).
type Colocation struct {
	ID                   string
	Rsc, WithRsc         string
	RscRole, WithRscRole string
	NodeAttribute        string
	Score                score.Score
	Influence            string
	Sets                 []ResourceSet
}

// Order is an rsc_order constraint: ThenAction of Then happens after
// FirstAction of First.
type Order struct {
	ID                      string
	First, Then             string
	FirstAction, ThenAction string
	Kind                    string // Mandatory, Optional, Serialize ("" = from score)
	Score                   score.Score
	HasScore                bool
	Symmetrical             string // "" = default
	RequireAll              string
	Sets                    []ResourceSet
}

// ResourceSet is a resource_set inside a constraint.
type ResourceSet struct {
	ID                               string
	Sequential, RequireAll, Ordering string
	Action, Role                     string
	Score                            score.Score
	HasScore                         bool
	Refs                             []string
}

// NodeState is one node_state entry of the status section.
type NodeState struct {
	ID, Uname         string
	InCCM, Crmd, Join string
	Expected          string
	HasInCCM          bool
	Transient         []NVSet // transient_attributes
	Resources         []LRMResource
}

// LRMResource is the operation history of one resource on one node.
type LRMResource struct {
	ID, Class, Provider, Type, Container string
	Ops                                  []LRMOp
}

// LRMOp is one recorded operation result (lrm_rsc_op).
type LRMOp struct {
	ID, Operation, OperationKey  string
	CallID                       int
	RC                           int
	OpStatus                     int
	IntervalMS                   int
	TransitionKey                string
	TransitionMagic              string
	OnNode                       string
	LastRCChange, LastRun        int64
	ExitReason                   string
	MigrateSource, MigrateTarget string
	OpDigest                     string
}
