// Command crm_simulate runs the policy engine on a CIB (-x FILE, or -L for
// the live CIB named by CIB_file) and prints what Pacemaker 2.1.5's
// crm_simulate prints, in its text layout:
//
//   - always "Current cluster status:" (node list and every resource, as
//     crm_mon -r shows them);
//   - -s: the allocation scores, then the transition summary; Pacemaker
//     drops headings and bullets whenever -s is given, and so do we;
//   - -S: "Transition Summary:" (fencing, then one Start/Stop/Move/Recover/
//     Restart/Promote/Demote line per instance, aligned as Pacemaker
//     aligns them), "Executing Cluster Transition:" (the graph's actions in
//     execution order) and "Revised Cluster Status:" (the state once every
//     action succeeded);
//   - --normalized: the corpus's normalized result format (FORMAT.md) only;
//   - --why RSC: per node, the score and the constraints and conditions
//     that decide where RSC runs (package crm/pengine/explain).
//
// --save-graph FILE writes the transition graph XML (crm/graph Build and
// Encode) and -D FILE the same graph in DOT.
//
// The policy engine names anonymous clone instances by their primitive
// id; the instance numbers shown are derived here the way Pacemaker
// assigns them (active instances in the order node histories are read).
package main
