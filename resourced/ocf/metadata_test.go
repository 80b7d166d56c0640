package ocf

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func loadMeta(t *testing.T, name string) *MetaData {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	md, err := ParseMetaData(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return md
}

func TestParseMetaDataIPaddr2(t *testing.T) {
	md := loadMeta(t, "heartbeat_IPaddr2.xml")
	if md.Name != "IPaddr2" || md.APIVersion != "1.0" {
		t.Errorf("name/version = %q/%q", md.Name, md.APIVersion)
	}
	ip, ok := md.Parameter("ip")
	if !ok || !ip.Required || !ip.Unique || ip.Type != "string" || !ip.HasDefault || ip.Default != "" {
		t.Errorf("ip parameter = %+v", ip)
	}
	nic, _ := md.Parameter("nic")
	if nic.Required || nic.Unique || nic.HasDefault {
		t.Errorf("nic parameter = %+v", nic)
	}
	lvs, _ := md.Parameter("lvs_support")
	if lvs.Type != "boolean" || lvs.Default != "false" {
		t.Errorf("lvs_support = %+v", lvs)
	}
	mon, ok := md.Action("monitor")
	if !ok || mon.Timeout != 20*time.Second || mon.Interval != 10*time.Second || mon.Depth != 0 {
		t.Errorf("monitor = %+v", mon)
	}
	if !md.HasAction("validate-all") || md.HasAction("promote") {
		t.Error("validate-all should be advertised, promote not")
	}
	if got := md.MissingRequired(map[string]string{"nic": "eth0"}); len(got) != 1 || got[0] != "ip" {
		t.Errorf("MissingRequired = %v", got)
	}
	if got := md.MissingRequired(map[string]string{"ip": "198.51.100.7"}); len(got) != 0 {
		t.Errorf("MissingRequired = %v", got)
	}
}

func TestParseMetaDataStatefulAndFilesystem(t *testing.T) {
	st := loadMeta(t, "heartbeat_Stateful.xml")
	if !st.HasAction("promote") || !st.HasAction("demote") {
		t.Errorf("Stateful actions = %+v", st.Actions)
	}
	fs := loadMeta(t, "heartbeat_Filesystem.xml")
	start, _ := fs.Action("start")
	mon, _ := fs.Action("monitor")
	if start.Timeout != time.Minute || mon.Interval != 20*time.Second || mon.Timeout != 40*time.Second {
		t.Errorf("Filesystem start=%+v monitor=%+v", start, mon)
	}
	for _, name := range []string{"heartbeat_Dummy.xml", "pacemaker_Dummy.xml"} {
		d := loadMeta(t, name)
		if d.Name != "Dummy" || !d.HasAction("validate-all") {
			t.Errorf("%s: %+v", name, d)
		}
	}
}

func TestParseMetaDataErrors(t *testing.T) {
	bad := []string{
		"",
		"<resource-agent",
		"<other/>",
		`<resource-agent name="x"><parameters><parameter/></parameters></resource-agent>`,
		`<resource-agent name="x"><actions><action timeout="1s"/></actions></resource-agent>`,
	}
	for _, in := range bad {
		if _, err := ParseMetaData([]byte(in)); !errors.Is(err, ErrBadMetaData) {
			t.Errorf("ParseMetaData(%q) err = %v, want ErrBadMetaData", in, err)
		}
	}
	md, err := ParseMetaData([]byte(`<resource-agent name="x"><actions><action name="start" timeout="bogus"/></actions></resource-agent>`))
	if err != nil || md.Actions[0].Timeout != 0 {
		t.Errorf("advisory bad timeout: %+v %v", md, err)
	}
}

func TestIsTrue(t *testing.T) {
	for _, s := range []string{"yes", "TRUE", "1", "on", "ON", "ja", " true "} {
		if !IsTrue(s) {
			t.Errorf("IsTrue(%q) = false", s)
		}
	}
	for _, s := range []string{"", "no", "0", "false", "off", "y"} {
		if IsTrue(s) {
			t.Errorf("IsTrue(%q) = true", s)
		}
	}
}

func FuzzParseMetaData(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<resource-agent name="x"><parameters><parameter name="a" required="1"><content type="select" default="b"><option value="b"/></content></parameter></parameters></resource-agent>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := ParseMetaData(data)
		if err != nil {
			return
		}
		for _, p := range md.Parameters {
			if p.Name == "" {
				t.Fatal("parameter without name accepted")
			}
		}
		for _, a := range md.Actions {
			if a.Name == "" || a.Timeout < 0 || a.Interval < 0 {
				t.Fatalf("bad action accepted: %+v", a)
			}
		}
	})
}
