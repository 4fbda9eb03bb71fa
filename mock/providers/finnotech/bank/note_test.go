package bank

import (
	"strings"
	"testing"
)

// Every magic deposit of the shipped fixtures says on the consent page what it
// does, naming the code it produces; an ordinary deposit says nothing.
func TestDepositNotes(t *testing.T) {
	b := newBank(t)
	want := map[string]string{
		"0200000000010": "C10",
		"0200000000051": "D51",
		"0200000000107": "A107",
		"0200000000115": "A115",
		"0200000000116": "شارژ سوم هر روز: A116",
		"0200000000117": "A117",
		"0200000000400": "HTTP 400",
		"0211111111111": "",
	}
	got := map[string]string{}
	for _, d := range b.UserDeposits("t", "1111111111", "062") {
		got[d.Number] = d.Note
	}
	for number, code := range want {
		note, ok := got[number]
		if !ok {
			t.Errorf("deposit %s not offered", number)
			continue
		}
		if code == "" && note != "" || code != "" && !strings.Contains(note, code) {
			t.Errorf("deposit %s: note %q, want one naming %q", number, note, code)
		}
	}
	if n := got["0200000000051"]; !strings.Contains(n, "9,950,000") || !strings.Contains(n, "50,000 ریال") {
		t.Errorf("the blocked deposit's note %q lacks the amounts", n)
	}
	for _, d := range b.UserDeposits("t", "1111111111", "054") {
		if !strings.Contains(d.Note, "HTTP 400") {
			t.Errorf("non-Ayandeh deposit %s: note %q", d.Number, d.Note)
		}
	}
}
