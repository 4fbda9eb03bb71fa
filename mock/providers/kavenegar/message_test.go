package kavenegar

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// A stored message keeps its readable form through a snapshot or the data-dir
// log: every field, the plan's absolute times to the nanosecond, and the fields
// only some messages have.
func TestMessageJSONRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 999_999_999, iran.Tehran)
	pl := lifecycle.Plan{{Status: stScheduled, At: at}, {Status: stQueued, At: at.Add(26 * time.Hour)},
		{Status: stSent, At: at.Add(26*time.Hour + 2*time.Second + 1)}, {Status: stDelivered, At: time.Date(2999, 1, 1, 0, 0, 0, 0, iran.Tehran)}}
	m := message{ID: 83198367, Kind: kindLookup, Receptor: "09121234567", Sender: "10004346", Text: "کد ۱۲۳",
		Date: at.Add(26 * time.Hour).Unix(), Created: at, Cost: 260, Parts: 2, Refunded: true}
	m.setExtra("vip", "loc-1", "verify", []string{"123", "x"})
	m.setPlan(pl)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back message
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != m.ID || back.Kind != kindLookup || back.Receptor != m.Receptor || back.Sender != m.Sender ||
		back.Text != m.Text || back.Date != m.Date || !back.Created.Equal(at) || back.Cost != 260 || back.Parts != 2 ||
		!back.Refunded || back.Type() != "vip" || back.LocalID() != "loc-1" || back.Template() != "verify" ||
		!slices.Equal(back.Tokens(), []string{"123", "x"}) {
		t.Fatalf("round trip changed the message:\n%s\n%+v", raw, back)
	}
	got := back.Plan()
	if len(got) != len(pl) {
		t.Fatalf("plan has %d steps, want %d", len(got), len(pl))
	}
	for i := range pl {
		if got[i].Status != pl[i].Status || !got[i].At.Equal(pl[i].At) {
			t.Fatalf("step %d = %v, want %v", i, got[i], pl[i])
		}
	}
	if st := back.statusAt(at.Add(26*time.Hour + 2*time.Second)); st != stQueued {
		t.Fatalf("one nanosecond before sent: %s", st)
	}
	if st := back.statusAt(at.Add(-time.Hour)); st != stScheduled {
		t.Fatalf("before creation: %s, want the first status", st)
	}
	for _, bad := range []string{`{"kind":"fax","plan":[]}`, `{"kind":"sms","parts":-1}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Fatalf("%s decoded", bad)
		}
	}
}

// Messages sent on the same timeline at different instants share one plan
// shape, and a plain send carries no extra fields.
func TestMessagesShareShape(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, iran.Tehran)
	mk := func(start time.Time) message {
		m := message{Created: start}
		m.setPlan(lifecycle.Plan{{Status: stQueued, At: start}, {Status: stDelivered, At: start.Add(10 * time.Second)}})
		m.setExtra("", "", "", nil)
		return m
	}
	a, b := mk(at), mk(at.Add(time.Hour+time.Nanosecond))
	if a.steps != b.steps {
		t.Fatal("two messages on the same timeline hold two plan shapes")
	}
	if a.extra != nil {
		t.Fatal("a plain send allocated its extra fields")
	}
	if !b.finalAt().Equal(at.Add(time.Hour + 10*time.Second + time.Nanosecond)) {
		t.Fatalf("final at %v", b.finalAt())
	}
}
