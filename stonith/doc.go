// Package stonith owns fencing: devices compatible with cluster-glue's
// plugins and the stonith command line.
package stonith
