// Package cib owns the Cluster Information Base model: the XML document that
// holds a cluster's configuration (crm_config options, nodes, resources,
// constraints, rsc/op defaults) and its status section (node membership,
// transient node attributes and the resource operation history). It parses
// the document into plain Go values, reports invalid CIBs with the element
// that is wrong, and evaluates the rules that guard nvsets and location
// constraints. It does not interpret the status history; that is the policy
// engine's job.
package cib
