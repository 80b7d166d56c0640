// Package pengine holds the differential test of hbgo's policy engine
// (hbgo/crm/pengine) against Pacemaker 2.1.5's crm_simulate on random CIBs
// from the generator in tests/pengine/gen. Oracle results are cached in
// testdata/oracle/<seed>.txt so the test runs without Pacemaker installed;
// DISAGREEMENTS.md lists the differences found, by feature.
package pengine
