package ocf

import "testing"

func TestExitCodeNamesAndClasses(t *testing.T) {
	cases := []struct {
		code  ExitCode
		name  string
		class Recovery
	}{
		{Success, "OCF_SUCCESS", RecoverSoft},
		{ErrGeneric, "OCF_ERR_GENERIC", RecoverSoft},
		{ErrArgs, "OCF_ERR_ARGS", RecoverHard},
		{ErrUnimplemented, "OCF_ERR_UNIMPLEMENTED", RecoverHard},
		{ErrPerm, "OCF_ERR_PERM", RecoverHard},
		{ErrInstalled, "OCF_ERR_INSTALLED", RecoverHard},
		{ErrConfigured, "OCF_ERR_CONFIGURED", RecoverFatal},
		{NotRunning, "OCF_NOT_RUNNING", RecoverSoft},
		{RunningPromoted, "OCF_RUNNING_MASTER", RecoverSoft},
		{FailedPromoted, "OCF_FAILED_MASTER", RecoverSoft},
		{42, "OCF_UNKNOWN(42)", RecoverSoft},
	}
	for _, c := range cases {
		if got := c.code.String(); got != c.name {
			t.Errorf("%d.String() = %q, want %q", int(c.code), got, c.name)
		}
		if got := c.code.Class(); got != c.class {
			t.Errorf("%v.Class() = %v, want %v", c.code, got, c.class)
		}
	}
}

func TestRecoveryFor(t *testing.T) {
	cases := []struct {
		got, want ExitCode
		r         Recovery
	}{
		{NotRunning, NotRunning, RecoverNone},
		{Success, NotRunning, RecoverSoft},
		{Degraded, Success, RecoverNone},
		{DegradedPromoted, RunningPromoted, RecoverNone},
		{ErrConfigured, Success, RecoverFatal},
		{ErrInstalled, NotRunning, RecoverHard},
	}
	for _, c := range cases {
		if r := RecoveryFor(c.got, c.want); r != c.r {
			t.Errorf("RecoveryFor(%v, %v) = %v, want %v", c.got, c.want, r, c.r)
		}
	}
}

func TestProcessAndLSBMapping(t *testing.T) {
	proc := map[int]ExitCode{0: Success, 7: NotRunning, 9: FailedPromoted, 10: ErrGeneric, 255: ErrGeneric, -1: ErrGeneric, 190: Degraded}
	for in, want := range proc {
		if got := FromProcess(in); got != want {
			t.Errorf("FromProcess(%d) = %v, want %v", in, got, want)
		}
	}
	status := map[int]ExitCode{0: Success, 1: NotRunning, 2: NotRunning, 3: NotRunning, 4: ErrGeneric, 5: ErrGeneric, 150: ErrInstalled, 151: ErrPerm, 7: ErrGeneric}
	for in, want := range status {
		if got := FromLSBStatus(in); got != want {
			t.Errorf("FromLSBStatus(%d) = %v, want %v", in, got, want)
		}
	}
	other := map[int]ExitCode{0: Success, 3: ErrUnimplemented, 7: NotRunning, 8: ErrGeneric, 150: ErrGeneric}
	for in, want := range other {
		if got := FromLSB(in); got != want {
			t.Errorf("FromLSB(%d) = %v, want %v", in, got, want)
		}
	}
}

func TestRecoveryString(t *testing.T) {
	want := map[Recovery]string{RecoverNone: "none", RecoverSoft: "soft", RecoverHard: "hard", RecoverFatal: "fatal", RecoverFence: "fence", 42: "Recovery(42)"}
	for r, s := range want {
		if r.String() != s {
			t.Errorf("%d.String() = %q, want %q", int(r), r.String(), s)
		}
	}
}
