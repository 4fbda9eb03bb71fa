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

// AppendJSON writes what encoding/json writes for messageJSON: the same bytes
// for ordinary text, the same decoded values for any text.
func TestMessageAppendJSON(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 5, iran.Tehran)
	plain := message{ID: 1, Kind: kindSMS, Receptor: "09121234567", Sender: "10004346", Text: "کد ورود شما ۱۲۳",
		Date: at.Unix(), Created: at, Cost: 260, Parts: 1}
	plain.setPlan(lifecycle.Plan{{Status: stQueued, At: at}, {Status: stDelivered, At: at.Add(10 * time.Second)}})
	rich := plain
	rich.ID = 3
	rich.Text = "a\"b\\c\n\x01<&>\u2028\xff"
	rich.setExtra("x\ty", "loc\"1", "tpl", []string{"t1", "", "t\x00"})
	bare := message{ID: 2, Kind: kindPostal, Created: at}
	for _, m := range []message{plain, rich, bare} {
		x := m.ext()
		want, err := json.Marshal(messageJSON{
			ID: m.ID, Kind: m.Kind.String(), Receptor: m.Receptor, Sender: m.Sender, Text: m.Text, Date: m.Date,
			Created: m.Created, Cost: m.Cost, Parts: int(m.Parts), Type: x.Type, LocalID: x.LocalID,
			Template: x.Template, Tokens: x.Tokens, Plan: m.Plan(), Refunded: m.Refunded,
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == plain.ID && string(got) != string(want) {
			t.Fatalf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
		var a, b messageJSON
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		_ = json.Unmarshal(want, &b)
		ra, _ := json.Marshal(a)
		rb, _ := json.Marshal(b)
		if string(ra) != string(rb) {
			t.Fatalf("decoded differently:\n%s\n%s", ra, rb)
		}
	}
	far := plain
	far.Created = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := far.AppendJSON(nil); err == nil {
		t.Fatal("a year past 9999 encoded")
	}
}
