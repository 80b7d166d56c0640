package cib

import (
	"testing"
	"time"
)

func attrRule(op BoolOp, exprs ...Expr) *Rule { return &Rule{Op: op, Exprs: exprs} }

func ex(attr, op, val, typ string) Expr {
	return Expr{Kind: ExprAttribute, Attribute: attr, Operation: op, Value: val, Type: typ}
}

func TestAttributeExpressions(t *testing.T) {
	attrs := map[string]string{"#uname": "node1", "num": "10", "dbl": "3.4", "ver": "1.10.2", "word": "Hello"}
	ctx := &RuleContext{NodeAttrs: attrs}
	cases := []struct {
		x    Expr
		want bool
	}{
		{ex("#uname", "eq", "node1", ""), true},
		{ex("#uname", "eq", "NODE1", ""), true}, // string comparison ignores case
		{ex("#uname", "ne", "node2", ""), true},
		{ex("num", "gt", "9", ""), true},       // integer by default for gt
		{ex("num", "lt", "9", "string"), true}, // "10" < "9" as strings
		{ex("num", "gte", "10", ""), true},
		{ex("num", "lte", "9", ""), false},
		{ex("dbl", "gt", "3.35", ""), true},       // number when a dot is present
		{ex("dbl", "eq", "3.6", "integer"), true}, // leading integers 3 == 3
		{ex("dbl", "eq", "3.6", "number"), false},
		{ex("ver", "gt", "1.9", "version"), true},
		{ex("word", "defined", "", ""), true},
		{ex("nothere", "defined", "", ""), false},
		{ex("nothere", "not_defined", "", ""), true},
		{ex("nothere", "eq", "x", ""), false},
		{ex("nothere", "ne", "x", ""), true},
		{ex("word", "lt", "zzz", ""), true}, // not numbers: falls back to strings
	}
	for _, c := range cases {
		r := attrRule(And, c.x)
		if got := r.Eval(ctx); got != c.want {
			t.Errorf("%s %s %s (%s): got %v want %v", c.x.Attribute, c.x.Operation, c.x.Value, c.x.Type, got, c.want)
		}
	}
}

func TestBooleanOps(t *testing.T) {
	ctx := &RuleContext{NodeAttrs: map[string]string{"a": "1", "b": "2"}}
	yes, no := ex("a", "eq", "1", ""), ex("b", "eq", "1", "")
	if !attrRule(Or, no, yes).Eval(ctx) || attrRule(And, yes, no).Eval(ctx) || !attrRule(And).Eval(ctx) {
		t.Error("and/or")
	}
	nested := attrRule(And, yes, Expr{Kind: ExprRule, Rule: attrRule(Or, no, yes)})
	if !nested.Eval(ctx) {
		t.Error("nested rule")
	}
}

func TestDateExpressions(t *testing.T) {
	now := time.Date(2020, 6, 15, 12, 30, 0, 0, time.UTC) // a Monday
	ctx := &RuleContext{Now: now}
	cases := []struct {
		x    Expr
		want bool
	}{
		{Expr{Kind: ExprDate, Operation: "gt", Start: "2020-01-01"}, true},
		{Expr{Kind: ExprDate, Operation: "lt", End: "2020-01-01"}, false},
		{Expr{Kind: ExprDate, Operation: "in_range", Start: "2020-06-01", End: "2020-07-01"}, true},
		{Expr{Kind: ExprDate, Operation: "in_range", Start: "2020-06-01", HasDura: true, Duration: map[string]string{"days": "3"}}, false},
		{Expr{Kind: ExprDate, Operation: "date_spec", HasSpec: true, DateSpec: map[string]string{"hours": "9-17", "weekdays": "1-5"}}, true},
		{Expr{Kind: ExprDate, Operation: "date_spec", HasSpec: true, DateSpec: map[string]string{"months": "1"}}, false},
		{Expr{Kind: ExprDate, Operation: "gt", Start: "garbage"}, false},
	}
	for i, c := range cases {
		if got := attrRule(And, c.x).Eval(ctx); got != c.want {
			t.Errorf("case %d: got %v want %v", i, got, c.want)
		}
	}
}

func TestParseIntervalMS(t *testing.T) {
	cases := map[string]int{"": 0, "0": 0, "10": 10000, "10s": 10000, "500ms": 500, "2min": 120000, "1h": 3600000, "PT1M30S": 90000}
	for in, want := range cases {
		got, ok := ParseIntervalMS(in)
		if !ok || got != want {
			t.Errorf("ParseIntervalMS(%q) = %d,%v want %d", in, got, ok, want)
		}
	}
	if _, ok := ParseIntervalMS("soon"); ok {
		t.Error("accepted garbage")
	}
}
