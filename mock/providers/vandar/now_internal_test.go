package vandar

import (
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// TestBalancesAnswerAtTheRequestsTime: a handler answers as of the virtual time
// its request arrived (api.Call.Now), like every other Vandar handler, not as of
// whenever it happens to read the clock (a latency rule or a clock move may come
// between the two).
func TestBalancesAnswerAtTheRequestsTime(t *testing.T) {
	arrived := time.Date(2026, 11, 22, 9, 0, 0, 0, iran.Tehran)
	clk := clock.NewVirtual(nil)
	clk.Freeze(true)
	if _, err := clk.Set(arrived.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p, err := New(api.Deps{Clock: clk, Store: store.New(), Seed: 1, Fixtures: fixtures.FS})
	if err != nil {
		t.Fatal(err)
	}
	c := &api.Call{Tenant: "acme", Now: arrived, Clock: clk}
	bal, err := p.runAvandBalance(c, ibanReq{iban: p.businessIBAN("acme")})
	if err != nil {
		t.Fatal(err)
	}
	if bal.Date != jalali(arrived) {
		t.Fatalf("avand balance dated %s, want the request's time %s", bal.Date, jalali(arrived))
	}
}
