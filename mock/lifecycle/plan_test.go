package lifecycle

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("IRST", 3*3600+1800))

// cycleResolver stands in for a provider's calendar: cycles run hourly from the
// start, and "next-cycle" is the first one strictly after the previous step.
func cycleResolver(keyword string, start, prev time.Time) (time.Time, error) {
	switch keyword {
	case "next-cycle":
		c := start.Add(time.Hour)
		for !c.After(prev) {
			c = c.Add(time.Hour)
		}
		return c, nil
	case "start":
		return start, nil
	}
	return time.Time{}, errors.New("unknown keyword")
}

func mustBuild(t *testing.T, specs []Spec) Plan {
	t.Helper()
	p, err := Build(t0, specs, cycleResolver)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

func TestBuild(t *testing.T) {
	p := mustBuild(t, []Spec{
		{"WAIT", "0s"},
		{"ACCEPTED", "90s"},
		{"DONE", "next-cycle"},
		{"ARCHIVED", "2h"},
	})
	want := Plan{
		{"WAIT", t0},
		{"ACCEPTED", t0.Add(90 * time.Second)},
		{"DONE", t0.Add(time.Hour)},
		{"ARCHIVED", t0.Add(2 * time.Hour)},
	}
	if len(p) != len(want) {
		t.Fatalf("got %v, want %v", p, want)
	}
	for i := range want {
		if p[i].Status != want[i].Status || !p[i].At.Equal(want[i].At) {
			t.Errorf("step %d = %v, want %v", i, p[i], want[i])
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		specs   []Spec
		resolve Resolver
		want    string
	}{
		{"empty", nil, cycleResolver, "empty timeline"},
		{"decreasing", []Spec{{"A", "0s"}, {"B", "2m"}, {"C", "1m"}}, cycleResolver, "step 3 (C)"},
		{"keyword before previous", []Spec{{"A", "0s"}, {"B", "3h"}, {"C", "start"}}, cycleResolver, "before step 2"},
		{"unknown keyword", []Spec{{"A", "0s"}, {"B", "next-moon"}}, cycleResolver, `keyword "next-moon"`},
		{"keyword without resolver", []Spec{{"A", "0s"}, {"B", "next-cycle"}}, nil, `unknown keyword "next-cycle"`},
		{"bad duration", []Spec{{"A", "0s"}, {"B", "90x"}}, cycleResolver, `bad duration "90x"`},
		{"negative duration", []Spec{{"A", "-1s"}}, cycleResolver, "negative duration"},
		{"empty at", []Spec{{"A", ""}}, cycleResolver, "empty time"},
		{"empty status", []Spec{{"", "0s"}}, cycleResolver, "empty status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(t0, tt.specs, tt.resolve)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestBuildEqualTimes(t *testing.T) {
	p := mustBuild(t, []Spec{{"CREATED", "0s"}, {"PENDING", "0s"}, {"DONE", "1m"}})
	if s, _, _ := p.StatusAt(t0); s != "PENDING" {
		t.Fatalf("StatusAt(start) = %q, want the later of two simultaneous steps", s)
	}
}

func TestStatusAt(t *testing.T) {
	p := mustBuild(t, []Spec{{"WAIT", "0s"}, {"ACCEPTED", "90s"}, {"DONE", "10m"}})
	tests := []struct {
		at     time.Time
		status string
		since  time.Time
		ok     bool
	}{
		{t0.Add(-time.Nanosecond), "", time.Time{}, false},
		{t0, "WAIT", t0, true},
		{t0.Add(90*time.Second - time.Nanosecond), "WAIT", t0, true},
		{t0.Add(90 * time.Second), "ACCEPTED", t0.Add(90 * time.Second), true},
		{t0.Add(10 * time.Minute), "DONE", t0.Add(10 * time.Minute), true},
		{t0.Add(1000 * time.Hour), "DONE", t0.Add(10 * time.Minute), true},
	}
	for _, tt := range tests {
		s, since, ok := p.StatusAt(tt.at)
		if s != tt.status || !since.Equal(tt.since) || ok != tt.ok {
			t.Errorf("StatusAt(%s) = %q, %s, %v; want %q, %s, %v",
				tt.at.Sub(t0), s, since, ok, tt.status, tt.since, tt.ok)
		}
	}
	if _, _, ok := Plan(nil).StatusAt(t0); ok {
		t.Error("empty plan: ok = true")
	}
}

func TestNextAndFinal(t *testing.T) {
	p := mustBuild(t, []Spec{{"WAIT", "0s"}, {"ACCEPTED", "90s"}, {"DONE", "10m"}})
	if n, ok := p.Next(t0.Add(-time.Second)); !ok || n.Status != "WAIT" {
		t.Errorf("Next(before) = %v, %v", n, ok)
	}
	if n, ok := p.Next(t0); !ok || n.Status != "ACCEPTED" {
		t.Errorf("Next(start) = %v, %v; want ACCEPTED (strictly after)", n, ok)
	}
	if n, ok := p.Next(t0.Add(90 * time.Second)); !ok || n.Status != "DONE" {
		t.Errorf("Next(90s) = %v, %v", n, ok)
	}
	if _, ok := p.Next(t0.Add(10 * time.Minute)); ok {
		t.Error("Next(final) ok = true")
	}
	if f := p.Final(); f.Status != "DONE" || !f.At.Equal(t0.Add(10*time.Minute)) {
		t.Errorf("Final = %v", f)
	}
	if f := Plan(nil).Final(); f != (Step{}) {
		t.Errorf("empty Final = %v", f)
	}
}

func TestTruncate(t *testing.T) {
	p := mustBuild(t, []Spec{{"WAIT", "0s"}, {"ACCEPTED", "90s"}, {"DONE", "10m"}})
	orig := append(Plan(nil), p...)

	c := p.Truncate(t0.Add(5*time.Minute), "CANCELED")
	if len(c) != 3 || c[1].Status != "ACCEPTED" || c.Final().Status != "CANCELED" {
		t.Fatalf("Truncate(5m) = %v", c)
	}
	if s, _, _ := c.StatusAt(t0.Add(time.Hour)); s != "CANCELED" {
		t.Errorf("after cancel StatusAt = %q", s)
	}
	if s, _, _ := c.StatusAt(t0.Add(2 * time.Minute)); s != "ACCEPTED" {
		t.Errorf("before cancel StatusAt = %q", s)
	}

	// A step exactly at the cut is replaced, not kept beside the new one.
	c = p.Truncate(t0.Add(90*time.Second), "REJECTED")
	if len(c) != 2 || c[1].Status != "REJECTED" {
		t.Errorf("Truncate(at step) = %v", c)
	}

	c = p.Truncate(t0.Add(-time.Minute), "REJECTED")
	if len(c) != 1 || c[0].Status != "REJECTED" {
		t.Errorf("Truncate(before start) = %v", c)
	}

	c = p.Truncate(t0.Add(time.Hour), "CLOSED")
	if len(c) != 4 || c.Final().Status != "CLOSED" {
		t.Errorf("Truncate(after end) = %v", c)
	}

	c = p.Truncate(t0.Add(time.Minute), "X")
	c[0].Status = "MUTATED"
	for i := range orig {
		if p[i] != orig[i] {
			t.Fatalf("Truncate changed the original plan: %v", p)
		}
	}
}
