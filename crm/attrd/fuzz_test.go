package attrd

import (
	"testing"

	"hbgo/crm/score"
)

// FuzzExpandValue checks that the increment syntax never panics and that an
// increment always gives a score within ±INFINITY.
func FuzzExpandValue(f *testing.F) {
	for _, s := range [][2]string{{"value++", "1"}, {"value+=INFINITY", ""}, {"x+=-5", "3"}, {"plain", "1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, value, old string) {
		got := ExpandValue(value, old)
		if incrementForm.MatchString(value) && got != value {
			if _, ok := score.Parse(got); !ok {
				t.Fatalf("ExpandValue(%q, %q) = %q, not a score", value, old, got)
			}
		}
	})
}
