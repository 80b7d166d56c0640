// Package haresources owns /etc/ha.d/haresources, the v1 resource groups:
// one line per group, its home node first, then resources as NAME::ARG::ARG,
// with the bare-IP IPaddr shorthand, the IPaddr argument forms and the
// resource.d / init.d lookup.
//
// 3.0.6 reads the file twice, differently: its start-up check only compares
// the first word of each line with the ha.cf nodes, while ResourceManager
// forms the groups. Parse builds the groups as ResourceManager does and
// records, per group, the word the start-up check saw (Group.CheckedName);
// CheckNodes gives the check's verdict. Cases measured on the real daemon
// are kept in testdata/real, ResourceManager's own reading of files in
// testdata/rm.
package haresources
