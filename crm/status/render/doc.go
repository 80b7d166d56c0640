// Package render owns how cluster state is printed: crm_mon's text layout
// (Cluster Summary, Node List, resource lists, Migration Summary, Failed
// Resource Actions) and its XML, shared by crm_mon and crm_resource.
package render
