package tocib

import (
	"encoding/xml"
	"strings"
	"testing"

	"hbgo/hacf"
	"hbgo/haresources"
)

// FuzzConvert feeds arbitrary haresources text through the parser and the
// converter: no panic, and the output is well-formed XML with unique ids.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"n1 10.0.0.5 apache2\n",
		"n1 IPaddr2::10.0.0.5/24/eth0:1/10.0.0.255 Filesystem::/dev/drbd0::/data::ext3\nn2 mysql\n",
		"n1 \\\n 10.0.0.5 # comment -- here\n",
		"N1 3ware::a/b::c Delay::5::6 portblock::tcp::80::block\n",
		"n2 IPaddr::300.1.1.1//// nosuch::\xff::x\n",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, mode uint8) {
		groups, _ := haresources.Parse(strings.NewReader(text), "haresources")
		cfg := twoNodes(hacf.AutoFailback(mode % 3))
		if mode&4 != 0 {
			cfg.StonithHosts = []hacf.StonithHost{{From: "n1", Type: "baytech", Params: text, Line: 1}}
		}
		cib, _, err := Convert(cfg, groups, Options{Host: stdHost()})
		if err != nil {
			t.Fatalf("Convert: %v", err)
		}
		out := cib.XML()
		dec := xml.NewDecoder(strings.NewReader(string(out)))
		ids := map[string]bool{}
		for {
			tok, err := dec.Token()
			if err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
			}
			se, ok := tok.(xml.StartElement)
			if !ok || se.Name.Local == "node" || se.Name.Local == "node_state" || se.Name.Local == "lrm" {
				continue
			}
			for _, a := range se.Attr {
				if a.Name.Local != "id" {
					continue
				}
				if ids[a.Value] || sanitizeID(a.Value) != a.Value {
					t.Fatalf("id %q duplicated or illegal\n%s", a.Value, out)
				}
				ids[a.Value] = true
			}
		}
	})
}
