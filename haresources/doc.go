// Package haresources owns /etc/ha.d/haresources, the v1 resource groups:
// one line per group, its home node first, then resources as NAME::ARG::ARG,
// with the bare-IP IPaddr shorthand and the resource.d / init.d lookup.
package haresources
