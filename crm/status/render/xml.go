package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/status"
	"hbgo/crm/status/cibdoc"
)

func b(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// XML writes the status as crm_mon --output-as=xml does.
func XML(w io.Writer, cl *status.Cluster, o Options) {
	q := cibdoc.Escape
	fmt.Fprintf(w, "<pacemaker-result api-version=\"2.25\" request=\"%s\">\n", q(strings.TrimSpace(o.Request)))
	fmt.Fprintln(w, "  <summary>")
	fmt.Fprintf(w, "    <stack type=\"%s\"/>\n", q(cl.Stack))
	if cl.DC == "" {
		fmt.Fprintln(w, "    <current_dc present=\"false\"/>")
	} else {
		v := cl.DCVersion
		fmt.Fprintf(w, "    <current_dc present=\"true\" version=\"%s\" name=\"%s\" id=\"%s\" with_quorum=\"%s\" mixed_version=\"false\"/>\n",
			q(v), q(cl.DC), q(cl.DCID), b(cl.HaveQuorum))
	}
	fmt.Fprintf(w, "    <last_update time=\"%s\"/>\n", o.Now.Format(ctime))
	fmt.Fprintf(w, "    <last_change time=\"%s\" user=\"%s\" client=\"%s\" origin=\"%s\"/>\n",
		q(cl.LastWritten), q(cl.UpdateUser), q(cl.UpdateClient), q(cl.UpdateOrigin))
	fmt.Fprintf(w, "    <nodes_configured number=\"%d\"/>\n", len(cl.Nodes))
	inst, dis, blk := summaryCounts(cl)
	fmt.Fprintf(w, "    <resources_configured number=\"%d\" disabled=\"%d\" blocked=\"%d\"/>\n", inst, dis, blk)
	op := cl.Options
	fmt.Fprintf(w, "    <cluster_options stonith-enabled=\"%s\" symmetric-cluster=\"%s\" no-quorum-policy=\"%s\" maintenance-mode=\"%s\" stop-all-resources=\"%s\" stonith-timeout-ms=\"%d\" priority-fencing-delay-ms=\"%d\"/>\n",
		b(op.StonithEnabled), b(op.SymmetricCluster), q(op.NoQuorumPolicy), b(op.MaintenanceMode), b(op.StopAllResources),
		op.StonithTimeoutMS, op.PriorityFencingDelayMS)
	fmt.Fprintln(w, "  </summary>")
	fmt.Fprintln(w, "  <nodes>")
	for _, n := range cl.Nodes {
		fs := ""
		if n.Online {
			// only a node that is up reports its controller's feature set
			fs = fmt.Sprintf(" feature_set=\"%s\"", q(n.FeatureSet))
		}
		fmt.Fprintf(w, "    <node name=\"%s\" id=\"%s\" online=\"%s\" standby=\"%s\" standby_onfail=\"%s\" maintenance=\"%s\" pending=\"%s\" unclean=\"%s\" health=\"green\"%s shutdown=\"%s\" expected_up=\"%s\" is_dc=\"%s\" resources_running=\"%d\" type=\"%s\"/>\n",
			q(n.Name), q(n.ID), b(n.Online), b(n.Standby), b(n.StandbyOnFail), b(n.Maintenance), b(n.Pending), b(n.Unclean),
			fs, b(n.Shutdown), b(n.ExpectedUp), b(n.IsDC), n.ResourcesRunning, q(n.Type))
	}
	fmt.Fprintln(w, "  </nodes>")
	fmt.Fprintln(w, "  <resources>")
	for _, r := range cl.Resources {
		xmlResource(w, cl, r, "    ")
	}
	fmt.Fprintln(w, "  </resources>")
	var attrNodes []string
	attrs := map[string][]status.Attr{}
	for _, n := range cl.Nodes {
		for _, a := range n.Attrs {
			if strings.HasPrefix(a.Name, "fail-count-") || strings.HasPrefix(a.Name, "last-failure-") || a.Name == "shutdown" || a.Name == "terminate" || a.Name == "standby" || strings.HasPrefix(a.Name, "#") {
				continue
			}
			if len(attrs[n.Name]) == 0 {
				attrNodes = append(attrNodes, n.Name)
			}
			attrs[n.Name] = append(attrs[n.Name], a)
		}
	}
	if len(attrNodes) > 0 {
		fmt.Fprintln(w, "  <node_attributes>")
		for _, name := range attrNodes {
			fmt.Fprintf(w, "    <node name=\"%s\">\n", q(name))
			for _, a := range attrs[name] {
				fmt.Fprintf(w, "      <attribute name=\"%s\" value=\"%s\"/>\n", q(a.Name), q(a.Value))
			}
			fmt.Fprintln(w, "    </node>")
		}
		fmt.Fprintln(w, "  </node_attributes>")
	}
	xmlHistory(w, cl)
	if len(cl.Failures) > 0 {
		fmt.Fprintln(w, "  <failures>")
		for _, f := range cl.Failures {
			st, ok := execText[f.Status]
			if !ok {
				st = "Unknown"
			}
			keyAttr := "op_key"
			if !f.HasOpKey {
				keyAttr = "id"
			}
			reason := f.Reason
			if reason == "" {
				reason = "none"
			}
			fmt.Fprintf(w, "    <failure %s=\"%s\" node=\"%s\" exitstatus=\"%s\" exitreason=\"%s\" exitcode=\"%d\" call=\"%d\" status=\"%s\"",
				keyAttr, q(f.OpKey), q(f.Node), q(rcName(f.RC)), q(reason), f.RC, f.Call, q(st))
			if f.LastRCChange > 0 {
				// timing details come only with a recorded change time
				fmt.Fprintf(w, " last-rc-change=\"%s\" queued=\"%d\" exec=\"%d\" interval=\"%d\" task=\"%s\"",
					time.Unix(f.LastRCChange, 0).UTC().Format("2006-01-02 15:04:05Z"), f.QueueMS, f.ExecMS, f.IntervalMS, q(f.Task))
			}
			fmt.Fprintln(w, "/>")
		}
		fmt.Fprintln(w, "  </failures>")
	}
	if len(cl.Bans) > 0 {
		fmt.Fprintln(w, "  <bans>")
		for _, bn := range cl.Bans {
			fmt.Fprintf(w, "    <ban id=\"%s\" resource=\"%s\" node=\"%s\" weight=\"%d\" promoted-only=\"%s\" master_only=\"%s\"/>\n",
				q(bn.ID), q(bn.Resource), q(bn.Node), bn.Weight, b(bn.PromotedOnly), b(bn.PromotedOnly))
		}
		fmt.Fprintln(w, "  </bans>")
	}
	fmt.Fprintln(w, "  <status code=\"0\" message=\"OK\"/>")
	fmt.Fprintln(w, "</pacemaker-result>")
}

func xmlResource(w io.Writer, cl *status.Cluster, r *status.Resource, indent string) {
	q := cibdoc.Escape
	switch r.Kind {
	case cib.Primitive:
		role := string(r.Role)
		tr := ""
		if r.TargetRole != "" {
			tr = fmt.Sprintf(" target_role=\"%s\"", q(r.TargetRole))
		}
		fmt.Fprintf(w, "%s<resource id=\"%s\" resource_agent=\"%s\" role=\"%s\"%s active=\"%s\" orphaned=\"%s\" blocked=\"%s\" managed=\"%s\" failed=\"%s\" failure_ignored=\"%s\" nodes_running_on=\"%d\"",
			indent, q(r.ID), q(r.Agent), role, tr, b(r.Active()), b(r.Orphan), b(r.Blocked), b(r.Managed), b(r.Failed), b(r.FailureIgnored), len(r.Nodes))
		if r.Pending != "" {
			fmt.Fprintf(w, " pending=\"%s\"", q(r.Pending))
		}
		if len(r.Nodes) == 0 {
			fmt.Fprintln(w, "/>")
			return
		}
		fmt.Fprintln(w, ">")
		for _, n := range r.Nodes {
			id := n
			if node := cl.Node(n); node != nil {
				id = node.ID
			}
			fmt.Fprintf(w, "%s  <node name=\"%s\" id=\"%s\" cached=\"true\"/>\n", indent, q(n), q(id))
		}
		fmt.Fprintf(w, "%s</resource>\n", indent)
	case cib.Group:
		fmt.Fprintf(w, "%s<group id=\"%s\" number_resources=\"%d\" managed=\"%s\" disabled=\"%s\">\n", indent, q(r.ID), len(r.Children), b(r.Managed), b(r.Disabled))
		for _, c := range r.Children {
			xmlResource(w, cl, c, indent+"  ")
		}
		fmt.Fprintf(w, "%s</group>\n", indent)
	case cib.Clone:
		tr := ""
		if r.OwnTargetRole != "" {
			tr = fmt.Sprintf(" target_role=\"%s\"", q(r.OwnTargetRole))
		}
		fmt.Fprintf(w, "%s<clone id=\"%s\" multi_state=\"%s\" unique=\"%s\" managed=\"%s\" disabled=\"%s\" failed=\"%s\" failure_ignored=\"%s\"%s>\n",
			indent, q(r.ID), b(r.Promotable), b(r.Unique), b(r.Managed), b(r.Disabled), b(r.Failed), b(r.FailureIgnored), tr)
		for _, c := range r.Children {
			xmlResource(w, cl, c, indent+"  ")
		}
		fmt.Fprintf(w, "%s</clone>\n", indent)
	}
}

func xmlHistory(w io.Writer, cl *status.Cluster) {
	q := cibdoc.Escape
	empty := true
	for _, nh := range cl.History {
		empty = empty && len(nh.Resources) == 0
	}
	if empty {
		fmt.Fprintln(w, "  <node_history/>")
		return
	}
	fmt.Fprintln(w, "  <node_history>")
	for _, nh := range cl.History {
		if len(nh.Resources) == 0 {
			continue
		}
		fmt.Fprintf(w, "    <node name=\"%s\">\n", q(nh.Node))
		for _, rh := range nh.Resources {
			fmt.Fprintf(w, "      <resource_history id=\"%s\" orphan=\"%s\" migration-threshold=\"%d\"", q(rh.ID), b(rh.Orphan), rh.Threshold)
			if rh.FailCount > 0 || rh.Infinite {
				fc := fmt.Sprint(rh.FailCount)
				if rh.Infinite {
					fc = "INFINITY"
				}
				fmt.Fprintf(w, " fail-count=\"%s\"", fc)
				if rh.LastFailure > 0 {
					fmt.Fprintf(w, " last-failure=\"%s\"", time.Unix(rh.LastFailure, 0).Format(ctime))
				}
			}
			fmt.Fprintln(w, ">")
			for _, op := range rh.Ops {
				fmt.Fprintf(w, "        <operation_history call=\"%d\" task=\"%s\" rc=\"%d\" rc_text=\"%s\"", op.Call, q(op.Task), op.RC, q(rcName(op.RC)))
				if op.IntervalMS > 0 {
					fmt.Fprintf(w, " interval=\"%dms\"", op.IntervalMS)
				}
				if op.LastRCChange > 0 {
					fmt.Fprintf(w, " last-rc-change=\"%s\"", time.Unix(op.LastRCChange, 0).Format(ctime))
				}
				if op.Timed {
					fmt.Fprintf(w, " exec-time=\"%dms\" queue-time=\"%dms\"", op.ExecMS, op.QueueMS)
				}
				fmt.Fprintln(w, "/>")
			}
			fmt.Fprintln(w, "      </resource_history>")
		}
		fmt.Fprintln(w, "    </node>")
	}
	fmt.Fprintln(w, "  </node_history>")
}
