package problem

import (
	"fmt"
	"testing"
)

func TestListSeparatesErrorsFromWarnings(t *testing.T) {
	var l List
	l.Warnf("ha.cf", 3, "initdead", "", "initial dead time [%d ms] may be too small", 4000)
	if l.Err() != nil {
		t.Fatal("warnings alone must not make an error")
	}
	l.Errorf("ha.cf", 7, "deadtime", "make deadtime more than twice keepalive", "dead time [%d] is too small compared to keepalive [%d]", 2000, 1000)
	err := l.Err()
	if err == nil {
		t.Fatal("error lost")
	}
	want := "ha.cf:7: deadtime: dead time [2000] is too small compared to keepalive [1000] (make deadtime more than twice keepalive)"
	if err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}
	got, ok := AsList(fmt.Errorf("loading: %w", err))
	if !ok || len(got) != 1 || got[0].Line != 7 {
		t.Fatalf("AsList = %v %v", got, ok)
	}
	if len(l.Warnings()) != 1 || len(l.Errors()) != 1 {
		t.Fatal("filter counts wrong")
	}
	if s := (Problem{File: "authkeys", Msg: "bad permissions"}).Error(); s != "authkeys: bad permissions" {
		t.Fatalf("file-level problem renders as %q", s)
	}
}
