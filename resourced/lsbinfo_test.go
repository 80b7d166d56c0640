package resourced

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseInitInfo(t *testing.T) {
	hb := "#!/bin/sh\n### BEGIN INIT INFO\n# Description: heartbeat is a basic high-availability subsystem.\n" +
		"#\tIt will start services at initialization,\n#\t\n#\t\t- Unicast heartbeats\n" +
		"# Short-Description: High-availability services.\n# Provides:\t\theartbeat HA\n" +
		"# Required-Start:\t$remote_fs $network\n# Required-Stop:\t$remote_fs\n### END INIT INFO\n# Provides: ignored\n"
	got := ParseInitInfo(strings.NewReader(hb))
	want := InitInfo{
		Provides: []string{"heartbeat", "HA"}, RequiredStart: []string{"$remote_fs", "$network"},
		RequiredStop: []string{"$remote_fs"}, ShortDescription: "High-availability services.",
		Description: "heartbeat is a basic high-availability subsystem. It will start services at initialization, - Unicast heartbeats",
		Found:       true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if ParseInitInfo(strings.NewReader("#!/bin/sh\necho hi\n")).Found {
		t.Error("header found in a script without one")
	}
	unterminated := ParseInitInfo(strings.NewReader("### BEGIN INIT INFO\n# Provides: x\necho\n# Provides: y\n"))
	if !reflect.DeepEqual(unterminated.Provides, []string{"x"}) {
		t.Errorf("unterminated block: %+v", unterminated)
	}
}

func TestLSBMetaData(t *testing.T) {
	e, cfg := testExecutor(t, nil)
	data, _ := os.ReadFile("testdata/lsb-demo")
	os.WriteFile(filepath.Join(cfg.InitDir, "lsb-demo"), data, 0o755)
	md, err := e.MetaData(context.Background(), Agent{Class: ClassLSB, Type: "lsb-demo"})
	if err != nil {
		t.Fatal(err)
	}
	mon, _ := md.Action(ActionMonitor)
	if md.ShortDesc != "LSB test service keeping its state in a file" || md.HasAction(ActionValidate) || mon.Timeout != lsbTimeout {
		t.Errorf("meta-data = %+v", md)
	}
	if _, err := e.MetaData(context.Background(), Agent{Class: ClassLSB, Type: "absent"}); err == nil {
		t.Error("meta-data of a missing script")
	}
}

func FuzzParseInitInfo(f *testing.F) {
	f.Add("### BEGIN INIT INFO\n# Provides: a b\n# Description: x\n#  y\n### END INIT INFO\n")
	f.Add("### BEGIN INIT INFO\n#Short-Description:\n")
	f.Fuzz(func(t *testing.T, s string) {
		info := ParseInitInfo(strings.NewReader(s))
		if !strings.Contains(s, "### BEGIN INIT INFO") && info.Found {
			t.Fatal("found without a BEGIN line")
		}
		for _, p := range info.Provides {
			if p == "" || strings.ContainsAny(p, " \t\n") {
				t.Fatalf("bad Provides entry %q", p)
			}
		}
	})
}
