package media

import "net/netip"

// MergeUcast folds ucast (and ucast6) specs that share kind, interface and
// port into one spec listing every peer, keeping first-seen order. ha.cf
// has one ucast line per peer, all sharing the link name of the interface;
// one socket pair per interface then receives from all of them, where
// several sockets bound to the same port would each get only part of the
// traffic. Other kinds pass through unchanged.
func MergeUcast(specs []Spec) []Spec {
	type key struct {
		kind  Kind
		iface string
		port  int
	}
	out := make([]Spec, 0, len(specs))
	at := map[key]int{}
	for _, s := range specs {
		if s.Kind != Ucast && s.Kind != Ucast6 {
			out = append(out, s)
			continue
		}
		k := key{s.Kind, s.Iface, s.PortOrDefault()}
		i, ok := at[k]
		if !ok {
			s.Peers = append([]netip.Addr(nil), s.Peers...)
			at[k] = len(out)
			out = append(out, s)
			continue
		}
	next:
		for _, p := range s.Peers {
			for _, q := range out[i].Peers {
				if p == q {
					continue next
				}
			}
			out[i].Peers = append(out[i].Peers, p)
		}
	}
	return out
}
