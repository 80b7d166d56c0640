package cib

import (
	"strconv"
	"strings"
	"time"
)

// RuleContext is what a rule is evaluated against.
type RuleContext struct {
	// NodeAttrs are the node's attributes including the built-in #uname,
	// #id, #kind and #is_dc. Nil when the rule is not node-specific.
	NodeAttrs map[string]string
	// Now is the evaluation time for date expressions.
	Now time.Time
	// Resource agent, for rsc_expression.
	Class, Provider, Type string
	// Operation, for op_expression (interval in milliseconds).
	OpName     string
	OpInterval int
	HasOp      bool
	// Params and Meta are the resource's instance and meta attributes, for
	// value-source="param" / "meta".
	Params, Meta map[string]string
}

// Eval reports whether the rule matches in ctx. A rule with no expressions
// matches.
func (r *Rule) Eval(ctx *RuleContext) bool {
	if r == nil {
		return true
	}
	if len(r.Exprs) == 0 {
		return true
	}
	for i := range r.Exprs {
		ok := r.Exprs[i].eval(ctx)
		if r.Op == Or && ok {
			return true
		}
		if r.Op == And && !ok {
			return false
		}
	}
	return r.Op == And
}

func (x *Expr) eval(ctx *RuleContext) bool {
	switch x.Kind {
	case ExprRule:
		return x.Rule.Eval(ctx)
	case ExprAttribute:
		return x.evalAttr(ctx)
	case ExprDate:
		return x.evalDate(ctx.Now)
	case ExprOp:
		if !ctx.HasOp || !strings.EqualFold(x.OpName, ctx.OpName) {
			return false
		}
		if x.OpInterval != "" {
			ms, ok := ParseIntervalMS(x.OpInterval)
			return ok && ms == ctx.OpInterval
		}
		return true
	case ExprRsc:
		return (x.Class == "" || x.Class == ctx.Class) &&
			(x.Provider == "" || x.Provider == ctx.Provider) &&
			(x.RscType == "" || x.RscType == ctx.Type)
	}
	return false
}

func (x *Expr) evalAttr(ctx *RuleContext) bool {
	var left *string
	if v, ok := ctx.NodeAttrs[x.Attribute]; ok && ctx.NodeAttrs != nil {
		left = &v
	}
	right := &x.Value
	switch strings.ToLower(x.ValueSource) {
	case "param", "meta":
		src := ctx.Params
		if strings.EqualFold(x.ValueSource, "meta") {
			src = ctx.Meta
		}
		if v, ok := src[x.Value]; ok {
			right = &v
		} else {
			right = nil
		}
	}
	op := strings.ToLower(x.Operation)
	switch op {
	case "defined":
		return left != nil
	case "not_defined":
		return left == nil
	}
	cmp := compareValues(left, right, strings.ToLower(x.Type), op)
	switch op {
	case "lt":
		return cmp < 0
	case "lte":
		return cmp <= 0
	case "gt":
		return cmp > 0
	case "gte":
		return cmp >= 0
	case "eq":
		return cmp == 0
	case "ne":
		return cmp != 0
	}
	return false
}

// compareValues returns -1, 0 or 1 the way Pacemaker's attribute
// expressions compare: missing values sort first, numbers numerically,
// strings without regard to case.
func compareValues(l, r *string, typ, op string) int {
	switch {
	case l == nil && r == nil:
		return 0
	case l == nil:
		return -1
	case r == nil:
		return 1
	}
	if typ == "" {
		switch op {
		case "lt", "lte", "gt", "gte":
			if strings.Contains(*l, ".") || strings.Contains(*r, ".") {
				typ = "number"
			} else {
				typ = "integer"
			}
		default:
			typ = "string"
		}
	}
	switch typ {
	case "integer":
		// Like strtoll: the leading integer counts ("3.4" is 3).
		a, ok1 := leadingInt(*l)
		b, ok2 := leadingInt(*r)
		if ok1 && ok2 {
			return sign3(a < b, a > b)
		}
	case "number":
		a, e1 := strconv.ParseFloat(strings.TrimSpace(*l), 64)
		b, e2 := strconv.ParseFloat(strings.TrimSpace(*r), 64)
		if e1 == nil && e2 == nil {
			return sign3(a < b, a > b)
		}
	case "version":
		return compareVersion(*l, *r)
	}
	c := strings.Compare(strings.ToLower(*l), strings.ToLower(*r))
	return c
}

func sign3(less, more bool) int {
	if less {
		return -1
	}
	if more {
		return 1
	}
	return 0
}

func compareVersion(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return sign3(x < y, x > y)
		}
	}
	return 0
}

// evalDate handles in_range, gt, lt and date_spec. Unparseable dates make
// the expression false.
func (x *Expr) evalDate(now time.Time) bool {
	switch strings.ToLower(x.Operation) {
	case "gt":
		s, ok := ParseISODate(x.Start)
		return ok && now.After(s)
	case "lt":
		e, ok := ParseISODate(x.End)
		return ok && now.Before(e)
	case "", "in_range":
		if x.Start != "" {
			s, ok := ParseISODate(x.Start)
			if !ok || now.Before(s) {
				return false
			}
		}
		if x.End != "" {
			e, ok := ParseISODate(x.End)
			if !ok || now.After(e) {
				return false
			}
		} else if x.HasDura && x.Start != "" {
			s, _ := ParseISODate(x.Start)
			if now.After(addDuration(s, x.Duration)) {
				return false
			}
		}
		return x.Start != "" || x.End != ""
	case "date_spec":
		return x.HasSpec && matchSpec(now, x.DateSpec)
	}
	return false
}

func addDuration(t time.Time, d map[string]string) time.Time {
	n := func(k string) int { v, _ := strconv.Atoi(d[k]); return v }
	return t.AddDate(n("years"), n("months"), n("weeks")*7+n("days")).
		Add(time.Duration(n("hours"))*time.Hour + time.Duration(n("minutes"))*time.Minute + time.Duration(n("seconds"))*time.Second)
}

func matchSpec(t time.Time, spec map[string]string) bool {
	_, week := t.ISOWeek()
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	fields := map[string]int{
		"years": t.Year(), "months": int(t.Month()), "monthdays": t.Day(), "hours": t.Hour(),
		"minutes": t.Minute(), "seconds": t.Second(), "yeardays": t.YearDay(), "weekdays": wd, "weeks": week,
	}
	for k, v := range fields {
		r, ok := spec[k]
		if !ok || r == "" {
			continue
		}
		if !inRange(v, r) {
			return false
		}
	}
	return true
}

func inRange(v int, r string) bool {
	lo, hi, found := strings.Cut(r, "-")
	a, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return false
	}
	if !found {
		return v == a
	}
	b, err := strconv.Atoi(strings.TrimSpace(hi))
	if err != nil {
		return false
	}
	return v >= a && v <= b
}

// ParseISODate accepts the ISO 8601 forms the CIB uses: a date, or a date
// and time with optional zone ("2005-01-01", "2005-01-01 12:00:00Z",
// "2005-01-01T12:00:00+02:00").
func ParseISODate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseIntervalMS converts an operation interval ("10s", "2min", "1h",
// "500ms", plain seconds, or ISO 8601 "PT10S") to milliseconds.
func ParseIntervalMS(s string) (int, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, true
	}
	if strings.HasPrefix(s, "p") {
		return parseISODuration(s)
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, false
	}
	switch strings.TrimSpace(s[i:]) {
	case "", "s", "sec":
		return n * 1000, true
	case "ms", "msec":
		return n, true
	case "us", "usec":
		return n / 1000, true
	case "m", "min":
		return n * 60000, true
	case "h", "hr":
		return n * 3600000, true
	}
	return 0, false
}

func parseISODuration(s string) (int, bool) {
	total := 0
	inTime := false
	num := 0
	have := false
	for _, c := range s[1:] {
		switch {
		case c >= '0' && c <= '9':
			num = num*10 + int(c-'0')
			have = true
		case c == 't':
			inTime = true
		default:
			if !have {
				return 0, false
			}
			switch {
			case c == 'h':
				total += num * 3600000
			case c == 'm' && inTime:
				total += num * 60000
			case c == 's':
				total += num * 1000
			case c == 'd':
				total += num * 86400000
			case c == 'w':
				total += num * 7 * 86400000
			default:
				return 0, false
			}
			num, have = 0, false
		}
	}
	return total, !have
}

// leadingInt parses the integer at the start of s, ignoring what follows.
func leadingInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	start := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == start {
		return 0, false
	}
	v, err := strconv.ParseInt(s[:end], 10, 64)
	return v, err == nil
}
