package bank

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

func fail(code string) scenario.Decision {
	return scenario.Decision{Outcome: scenario.Failure, Code: code, Rule: "header"}
}

func unknown(code string, after time.Duration, to scenario.Outcome, settleCode string) scenario.Decision {
	return scenario.Decision{Outcome: scenario.Unknown, Code: code, Rule: "header",
		Settle: &scenario.Settle{After: after, To: to, Code: settleCode}}
}

func TestChargeSuccessShape(t *testing.T) {
	b := newBank(t)
	r := charge(t, b, "t", "charge-card-109", payDeposit, seedCard, 20000, noon, ok())
	raw, _ := json.Marshal(r)
	var got map[string]any
	_ = json.Unmarshal(raw, &got)
	if len(got) != 6 || got["message"] != "تراکنش با موفقیت انجام شد" || got["card"] != "2795" ||
		got["amount"] != "20000" || got["deposit"] != payDeposit || got["chargeState"] != "DONE" {
		t.Fatalf("success result %s", raw)
	}
	if _, isNum := got["tracker"].(float64); !isNum {
		t.Fatalf("tracker must be a number: %s", raw)
	}
	in := inquiry(t, b, "t", "charge-card-109", noon)
	if in.Message != "Success" || in.Code != "A00" || in.TransactionStatus != "Success" || in.Tracker == nil || *in.Tracker != r.Tracker {
		t.Fatalf("inquiry %+v", in)
	}
}

func TestBusinessFailureShape(t *testing.T) {
	b := newBank(t)
	r := charge(t, b, "t", "charge-card-119", "0202672527005", seedCard, 20000, noon, ok())
	raw, _ := json.Marshal(r)
	want := `{"code":"A107","message":"Unsuccess","description":"حساب فاقد کد تفصیلی است.","deposit":"0202672527005","card":"2795","chargeState":"UNKNOWN"}`
	if string(raw) != want {
		t.Fatalf("got  %s\nwant %s", raw, want)
	}
	in := inquiry(t, b, "t", "charge-card-119", noon)
	raw, _ = json.Marshal(in)
	want = `{"message":"Unsuccess","code":"A107","description":"حساب فاقد کد تفصیلی است.","transactionStatus":"Unsuccess","tracker":null,"trackId":"charge-card-119"}`
	if string(raw) != want {
		t.Fatalf("got  %s\nwant %s", raw, want)
	}
}

func TestInquiryUnknownTrackIDIsDocExample(t *testing.T) {
	b := newBank(t)
	raw, _ := json.Marshal(inquiry(t, b, "t", "charge-card-109", noon))
	want := `{"message":"Unsuccess","code":"G101","description":"وضعیت استعلام تراکنش ناموفق است","transactionStatus":"Unknown","tracker":null,"trackId":"charge-card-109"}`
	if string(raw) != want {
		t.Fatalf("got  %s\nwant %s", raw, want)
	}
	_, err := b.InquiryCharge("t", "", noon)
	envErr(t, err, 400, "VALIDATION_ERROR", "trackId is required")
}

// reach is how one code is produced without a scenario.
type reach struct {
	name    string
	deposit string
	card    string
	amount  int64
	now     time.Time
	prior   []int64 // charges made first, same deposit and card, all must succeed
	code    string
}

func naturalCases() []reach {
	return []reach{
		{"bon card", payDeposit, seedCard, 20000, noon, nil, ""},
		{"not a bon card", payDeposit, "6037990000042222", 20000, noon, nil, "A103"},
		{"ayandeh debit card is not a bon card", payDeposit, "6362140000071111", 20000, noon, nil, "A103"},
		{"bon prefix, short", payDeposit, "636214420290279", 20000, noon, nil, "B04"},
		{"bon prefix, unknown card", payDeposit, "6362144999999999", 20000, noon, nil, "D14"},
		{"inactive", payDeposit, "6362144000000078", 20000, noon, nil, "B78"},
		{"expired", payDeposit, "6362144000000033", 20000, noon, nil, "D33"},
		{"expired and reissued", payDeposit, "6362142376876523", 20000, noon, nil, "D33"},
		{"lost", payDeposit, "6362144000000041", 20000, noon, nil, "D41"},
		{"stolen", payDeposit, "6362144000000043", 20000, noon, nil, "D43"},
		{"night window", payDeposit, seedCard, 20000, at("23:30:00"), nil, "A118"},
		{"no detail code", "0200000000107", seedCard, 20000, noon, nil, "A107"},
		{"card balance cap", payDeposit, "6362144000000111", 60000, noon, nil, "A111"},
		{"card balance cap, exact", payDeposit, "6362144000000111", 50000, noon, nil, ""},
		{"card per transaction", payDeposit, "6362144000000112", 50001, noon, nil, "A112"},
		{"card per transaction, exact", payDeposit, "6362144000000112", 50000, noon, nil, ""},
		{"card daily", payDeposit, "6362144000000113", 60000, noon, []int64{60000}, "A113"},
		{"card monthly", payDeposit, "6362144000000114", 60000, noon, []int64{60000}, "A114"},
		{"account per transaction", "0200000000115", seedCard, 100001, noon, nil, "A115"},
		{"account daily count", "0200000000116", seedCard, 1000, noon, []int64{1000, 1000}, "A116"},
		{"account monthly amount", "0200000000117", seedCard, 100001, noon, []int64{100000}, "A117"},
		{"balance", "0200000000010", seedCard, 100001, noon, nil, "C10"},
		{"balance, exact", "0200000000010", seedCard, 100000, noon, nil, ""},
		{"blocked funds", "0200000000051", seedCard, 50001, noon, nil, "D51"},
		{"blocked funds, exact", "0200000000051", seedCard, 50000, noon, nil, ""},
	}
}

func TestEveryCodeReachable(t *testing.T) {
	reached := map[string]bool{}
	for i, c := range naturalCases() {
		t.Run(c.name, func(t *testing.T) {
			b := newBank(t)
			for j, a := range c.prior {
				if r := charge(t, b, "t", fmt.Sprintf("p%d", j), c.deposit, c.card, a, c.now, ok()); !r.Success() {
					t.Fatalf("prior charge: %+v", r)
				}
			}
			before := depBalance(t, b, "t", c.deposit, c.now)
			id := fmt.Sprintf("n%d", i)
			r := charge(t, b, "t", id, c.deposit, c.card, c.amount, c.now, ok())
			if r.Code != c.code {
				t.Fatalf("code %q, want %q (%+v)", r.Code, c.code, r)
			}
			after := depBalance(t, b, "t", c.deposit, c.now)
			moved := before.CurrentBalance - after.CurrentBalance
			if (c.code == "" && moved != c.amount) || (c.code != "" && moved != 0) {
				t.Fatalf("moved %d for code %q", moved, c.code)
			}
			in := inquiry(t, b, "t", id, c.now)
			wantCode := c.code
			if wantCode == "" {
				wantCode = "A00"
			}
			if in.Code != wantCode {
				t.Fatalf("inquiry %+v", in)
			}
			reached[wantCode] = true
		})
	}
	b := newBank(t)
	for amount, m := range b.w.magic {
		id := "m" + strconv.FormatInt(amount, 10)
		r := charge(t, b, "t", id, payDeposit, seedCard, amount, noon, ok())
		if r.Code != m.Code {
			t.Fatalf("magic %d: %+v", amount, r)
		}
		wantState, wantMsg := "UNKNOWN", "Unsuccess"
		if classOf(m.Code) == ClassUnknown {
			wantMsg = "Unknown"
		}
		if r.ChargeState != wantState || r.Message != wantMsg || r.Description == "" {
			t.Fatalf("magic %d: %+v", amount, r)
		}
		reached[m.Code] = true
	}
	if got := inquiry(t, b, "t", "never-sent", noon); got.Code == "G101" {
		reached["G101"] = true
	}
	for _, c := range []struct{ card, code string }{
		{"6362144202902795", "F00"}, {"6362144000000101", "F101"}, {"6362144999999999", "F102"},
		{"6362144000000103", "F103"}, {"6362144000000123", "F123"},
	} {
		v, err := b.ValidCard("t", c.card, noon, ok())
		if err != nil || v.Code != c.code {
			t.Fatalf("valid card %s: %+v %v", c.card, v, err)
		}
		reached[v.Code] = true
	}
	for _, rc := range ResultCodes() {
		if !reached[rc.Code] {
			t.Errorf("code %s not reachable without a scenario", rc.Code)
		}
	}
	// And every code by scenario, with no money moved.
	for i, rc := range ResultCodes() {
		if rc.Class == ClassSuccess {
			continue
		}
		id := fmt.Sprintf("s%d", i)
		r := charge(t, b, "t", id, "0211111111112", seedCard, 20000, noon, fail(rc.Code))
		if r.Code != rc.Code || r.Description != rc.Description {
			t.Fatalf("scenario %s: %+v", rc.Code, r)
		}
		if in := inquiry(t, b, "t", id, noon); in.TransactionStatus != "Unsuccess" || in.Code != rc.Code {
			t.Fatalf("scenario %s inquiry %+v", rc.Code, in)
		}
	}
	if got := depBalance(t, b, "t", "0211111111112", noon).CurrentBalance; got != 10_000_000_000 {
		t.Fatalf("failures moved money: %d", got)
	}
}

func TestServiceWindowEdges(t *testing.T) {
	for _, c := range []struct {
		clock string
		code  string
	}{
		{"22:59:59", ""}, {"23:00:00", "A118"}, {"00:00:00", "A118"}, {"03:59:59", "A118"}, {"04:00:00", ""},
	} {
		b := newBank(t)
		if r := charge(t, b, "t", "w", payDeposit, seedCard, 1000, at(c.clock), ok()); r.Code != c.code {
			t.Errorf("%s: code %q, want %q", c.clock, r.Code, c.code)
		}
	}
	// The window is Tehran time, whatever the location of now.
	b := newBank(t)
	if r := charge(t, b, "t", "utc", payDeposit, seedCard, 1000, at("23:30:00").UTC(), ok()); r.Code != "A118" {
		t.Fatalf("UTC instant in the Tehran window: %+v", r)
	}
}

func TestLimitsResetWithThePeriod(t *testing.T) {
	b := newBank(t)
	card := "6362144000000113" // 100,000 a day
	if r := charge(t, b, "t", "d1", payDeposit, card, 100000, noon, ok()); !r.Success() {
		t.Fatal(r)
	}
	if r := charge(t, b, "t", "d2", payDeposit, card, 1, noon, ok()); r.Code != "A113" {
		t.Fatal(r)
	}
	if r := charge(t, b, "t", "d3", payDeposit, card, 100000, noon.AddDate(0, 0, 1), ok()); !r.Success() {
		t.Fatalf("next day: %+v", r)
	}
	dep := "0200000000116" // two charges a day
	for i, want := range []string{"", "", "A116"} {
		if r := charge(t, b, "t", fmt.Sprintf("c%d", i), dep, seedCard, 1000, noon, ok()); r.Code != want {
			t.Fatalf("charge %d: %+v", i, r)
		}
	}
	if r := charge(t, b, "t", "c-next", dep, seedCard, 1000, at("04:00:00").AddDate(0, 0, 1), ok()); !r.Success() {
		t.Fatalf("next day: %+v", r)
	}
	// Monthly limits count the Jalali month: 1405/09/30 and 1405/10/01.
	last, first := iran.FromJalali(1405, 9, 30).Add(12*time.Hour), iran.FromJalali(1405, 10, 1).Add(12*time.Hour)
	m := "0200000000117" // 200,000 a month
	for i, c := range []struct {
		when   time.Time
		amount int64
		code   string
	}{{last, 150000, ""}, {last, 60000, "A117"}, {first, 200000, ""}} {
		if r := charge(t, b, "t", fmt.Sprintf("m%d", i), m, seedCard, c.amount, c.when, ok()); r.Code != c.code {
			t.Fatalf("monthly %d: %+v", i, r)
		}
	}
}

func TestLedgerAgrees(t *testing.T) {
	b := newBank(t)
	dep, card := payDeposit, "6362142000001004" // card opens at 1,000,000
	amounts := []int64{20000, 35000, 1, 999999}
	times := []time.Time{at("09:00:00"), at("10:30:15"), noon, noon.AddDate(0, 0, 2)}
	var sum int64
	for i, a := range amounts {
		if r := charge(t, b, "t", fmt.Sprintf("l%d", i), dep, card, a, times[i], ok()); !r.Success() {
			t.Fatal(r)
		}
		sum += a
	}
	_ = charge(t, b, "t", "l-fail", dep, card, 30010, noon, ok()) // magic C10: no money
	now := noon.AddDate(0, 0, 3)
	db := depBalance(t, b, "t", dep, now)
	if db.CurrentBalance != 10_000_000_000-sum || db.AvailableBalance != db.CurrentBalance || db.FreezeAmount != 0 || db.Number != dep {
		t.Fatalf("deposit %+v", db)
	}
	if got := cardBalance(t, b, "t", card, now); got != strconv.FormatInt(1_000_000+sum, 10) {
		t.Fatalf("card balance %s", got)
	}
	st, err := b.CardStatement("t", card, "", "", now)
	if err != nil || len(st.Transactions) != len(amounts) {
		t.Fatalf("statement %+v %v", st, err)
	}
	running := int64(1_000_000)
	for i, tx := range st.Transactions {
		running += amounts[i]
		if tx.Amount != strconv.FormatInt(amounts[i], 10)+".0" || tx.Available != strconv.FormatInt(running, 10)+".0" {
			t.Fatalf("row %d: %+v", i, tx)
		}
		if tx.Pan != card+"    " || tx.FinancialDate != iran.FormatJalali(times[i], "yyyy-MM-dd") || tx.TimeIn != iran.FormatJalali(times[i], "HHmmss") {
			t.Fatalf("row %d: %+v", i, tx)
		}
	}
	if st.Transactions[1].TimeIn != "103015" || st.Transactions[1].LocalTime != "103015" {
		t.Fatalf("timein %+v", st.Transactions[1])
	}
	ledger, _ := b.DepositStatement("t", dep, now)
	if len(ledger) != len(amounts) || ledger[len(ledger)-1].Balance != db.CurrentBalance {
		t.Fatalf("deposit ledger %+v", ledger)
	}
	// Date filter: Jalali YYMMDD, inclusive.
	day := iran.FormatJalali(noon, "yyMMdd")
	st, _ = b.CardStatement("t", card, day, day, now)
	if len(st.Transactions) != 3 {
		t.Fatalf("filtered %d rows", len(st.Transactions))
	}
	st, _ = b.CardStatement("t", card, iran.FormatJalali(noon.AddDate(0, 0, 1), "yyMMdd"), "", now)
	if len(st.Transactions) != 1 {
		t.Fatalf("from tomorrow: %d rows", len(st.Transactions))
	}
	for _, bad := range [][2]string{{"971313", ""}, {"abc", ""}, {"", "14051"}, {day, "050101"}} {
		if _, err := b.CardStatement("t", card, bad[0], bad[1], now); err == nil {
			t.Errorf("dates %q accepted", bad)
		}
	}
	// Other tenants are untouched.
	if got := depBalance(t, b, "other", dep, now).CurrentBalance; got != 10_000_000_000 {
		t.Fatalf("tenant leak: %d", got)
	}
}

func TestSettleSuccessMovesMoneyOnce(t *testing.T) {
	b := newBank(t)
	r := charge(t, b, "t", "u1", payDeposit, seedCard, 40000, noon, unknown("A106", 10*time.Minute, scenario.Success, ""))
	if r.Code != "A106" || r.ChargeState != "UNKNOWN" || r.Message != "Unknown" {
		t.Fatalf("reply %+v", r)
	}
	if in := inquiry(t, b, "t", "u1", noon.Add(5*time.Minute)); in.TransactionStatus != "Unknown" || in.Message != "Unknown" || in.Code != "A106" || in.Tracker != nil {
		t.Fatalf("before settle: %+v", in)
	}
	db := depBalance(t, b, "t", payDeposit, noon.Add(5*time.Minute))
	if db.CurrentBalance != 10_000_000_000 || db.FreezeAmount != 40000 || db.AvailableBalance != 10_000_000_000-40000 {
		t.Fatalf("held: %+v", db)
	}
	if cardBalance(t, b, "t", seedCard, noon.Add(5*time.Minute)) != "0" {
		t.Fatal("card credited before settle")
	}
	later := noon.Add(10 * time.Minute)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if in := inquiry(t, b, "t", "u1", later); in.TransactionStatus != "Success" || in.Code != "A00" || in.Tracker == nil {
				t.Errorf("after settle: %+v", in)
			}
		}()
	}
	wg.Wait()
	db = depBalance(t, b, "t", payDeposit, later.Add(time.Hour))
	if db.CurrentBalance != 10_000_000_000-40000 || db.FreezeAmount != 0 {
		t.Fatalf("after settle: %+v", db)
	}
	if cardBalance(t, b, "t", seedCard, later) != "40000" {
		t.Fatal("card not credited exactly once")
	}
	st, _ := b.CardStatement("t", seedCard, "", "", later)
	if len(st.Transactions) != 1 || st.Transactions[0].TimeIn != "121000" {
		t.Fatalf("statement %+v", st)
	}
}

func TestSettleFailureMovesNothing(t *testing.T) {
	b := newBank(t)
	_ = charge(t, b, "t", "u2", payDeposit, seedCard, 40000, noon, unknown("A211", time.Minute, scenario.Failure, "D80"))
	_ = charge(t, b, "t", "u3", payDeposit, seedCard, 40000, noon, unknown("D100", time.Minute, scenario.Failure, ""))
	later := noon.Add(time.Minute)
	if in := inquiry(t, b, "t", "u2", later); in.TransactionStatus != "Unsuccess" || in.Code != "D80" || in.Tracker != nil {
		t.Fatalf("%+v", in)
	}
	if in := inquiry(t, b, "t", "u3", later); in.TransactionStatus != "Unsuccess" || in.Code != "D80" {
		t.Fatalf("%+v", in)
	}
	db := depBalance(t, b, "t", payDeposit, later)
	if db.CurrentBalance != 10_000_000_000 || db.FreezeAmount != 0 || cardBalance(t, b, "t", seedCard, later) != "0" {
		t.Fatalf("money moved: %+v", db)
	}
}

func TestPlainUnknownSettlesAtOnce(t *testing.T) {
	b := newBank(t)
	r := charge(t, b, "t", "u4", payDeposit, seedCard, 7000, noon, scenario.Decision{Outcome: scenario.Unknown})
	if r.ChargeState != "UNKNOWN" || r.Code != "A123" {
		t.Fatalf("%+v", r)
	}
	if in := inquiry(t, b, "t", "u4", noon); in.TransactionStatus != "Success" {
		t.Fatalf("%+v", in)
	}
	if cardBalance(t, b, "t", seedCard, noon) != "7000" {
		t.Fatal("not credited")
	}
	// An in-doubt charge that a rule refuses can only settle as that failure.
	r = charge(t, b, "t", "u5", payDeposit, "6362144000000041", 7000, noon, scenario.Decision{Outcome: scenario.Unknown, Code: "A106"})
	if r.Code != "A106" {
		t.Fatalf("%+v", r)
	}
	if in := inquiry(t, b, "t", "u5", noon); in.TransactionStatus != "Unsuccess" || in.Code != "D41" {
		t.Fatalf("%+v", in)
	}
}

func TestMagicInDoubtAmounts(t *testing.T) {
	b := newBank(t)
	_ = charge(t, b, "t", "a", payDeposit, seedCard, 10106, noon, ok())
	_ = charge(t, b, "t", "b", payDeposit, seedCard, 910106, noon, ok())
	if in := inquiry(t, b, "t", "a", noon.Add(time.Minute)); in.TransactionStatus != "Unknown" {
		t.Fatalf("%+v", in)
	}
	later := noon.Add(2 * time.Minute)
	if in := inquiry(t, b, "t", "a", later); in.TransactionStatus != "Success" {
		t.Fatalf("%+v", in)
	}
	if in := inquiry(t, b, "t", "b", later); in.TransactionStatus != "Unsuccess" || in.Code != "D80" {
		t.Fatalf("%+v", in)
	}
	if got := cardBalance(t, b, "t", seedCard, later); got != "10106" {
		t.Fatalf("card %s", got)
	}
	// A scenario's explicit outcome wins over a magic amount.
	if r := charge(t, b, "t", "c", payDeposit, seedCard, 10107, noon, fail("B11")); r.Code != "B11" {
		t.Fatalf("%+v", r)
	}
}

func TestRequestErrors(t *testing.T) {
	b := newBank(t)
	try := func(dep, card string, amount int64, id string) error {
		_, err := b.Charge("t", ChargeRequest{Deposit: dep, Card: card, Amount: amount, TrackID: id, Now: noon, Decision: ok()})
		return err
	}
	envErr(t, try(payDeposit, seedCard, 0, "e1"), 400, "VALIDATION_ERROR", "invalid amount")
	envErr(t, try(payDeposit, seedCard, -5, "e1"), 400, "VALIDATION_ERROR", "invalid amount")
	envErr(t, try("999", seedCard, 10, "e1"), 400, "VALIDATION_ERROR", "invalid deposit")
	envErr(t, try(payDeposit, "63621x4", 10, "e1"), 400, "VALIDATION_ERROR", "invalid card")
	envErr(t, try(payDeposit, "", 10, "e1"), 400, "VALIDATION_ERROR", "invalid card")
	envErr(t, try(payDeposit, seedCard, 10, ""), 400, "VALIDATION_ERROR", "trackId is required")
	envErr(t, try("0200000000400", seedCard, 10, "e1"), 400, "VALIDATION_ERROR", "account conditions not passed")
	envErr(t, try("47222222222201", seedCard, 10, "e1"), 400, "VALIDATION_ERROR", "account conditions not passed") // Parsian
	if err := try(payDeposit, seedCard, 10, "e1"); err != nil {
		t.Fatal(err)
	}
	envErr(t, try(payDeposit, seedCard, 10, "e1"), 400, "VALIDATION_ERROR", "trackId is duplicated")
	if got := cardBalance(t, b, "t", seedCard, noon); got != "10" {
		t.Fatalf("duplicate moved money: %s", got)
	}
	_, err := b.DepositBalance("t", "nope", noon)
	envErr(t, err, 400, "VALIDATION_ERROR", "invalid deposit")
	_, err = b.CardBalance("t", "6362144999999999", noon)
	envErr(t, err, 400, "VALIDATION_ERROR", "invalid card")
	_, err = b.CardStatement("t", "6037990000042222", "", "", noon)
	envErr(t, err, 400, "VALIDATION_ERROR", "invalid card")
	_, err = b.ValidCard("t", "", noon, ok())
	envErr(t, err, 400, "VALIDATION_ERROR", "invalid card")
	// Reset forgets the tenant.
	b.Reset("t")
	if got := cardBalance(t, b, "t", seedCard, noon); got != "0" {
		t.Fatalf("after reset: %s", got)
	}
	if err := try(payDeposit, seedCard, 10, "e1"); err != nil {
		t.Fatalf("trackId not forgotten: %v", err)
	}
	b.Reset("")
	if got := cardBalance(t, b, "t", seedCard, noon); got != "0" {
		t.Fatalf("after reset all: %s", got)
	}
}

func TestParallelChargesNeverOverdraw(t *testing.T) {
	b := newBank(t)
	dep := "0200000000010" // 100,000
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := charge(t, b, "t", fmt.Sprintf("p%d", i), dep, seedCard, 10000, noon, ok())
			mu.Lock()
			codes[r.Code]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if codes[""] != 10 || codes["C10"] != 40 {
		t.Fatalf("codes %v", codes)
	}
	if db := depBalance(t, b, "t", dep, noon); db.CurrentBalance != 0 {
		t.Fatalf("deposit %+v", db)
	}
	if got := cardBalance(t, b, "t", seedCard, noon); got != "100000" {
		t.Fatalf("card %s", got)
	}
	// Many deposits into many cards in parallel, with in-doubt charges mixed in:
	// no update lost.
	cards := []string{"6362144000001001", "6362144000001002", "6362142000001003"}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := ok()
			if i%5 == 0 {
				d = unknown("A106", time.Minute, scenario.Success, "")
			}
			if r := charge(t, b, "t", fmt.Sprintf("q%d", i), "0211111111112", cards[i%3], 1000, noon, d); r.Code != "" && r.Code != "A106" {
				t.Errorf("%+v", r)
			}
			inquiry(t, b, "t", fmt.Sprintf("q%d", i), noon.Add(time.Minute))
		}(i)
	}
	wg.Wait()
	if got := depBalance(t, b, "t", "0211111111112", noon.Add(time.Hour)); got.CurrentBalance != 10_000_000_000-50*1000 || got.FreezeAmount != 0 {
		t.Fatalf("deposit %+v", got)
	}
	var total int64
	for _, c := range cards {
		n, _ := strconv.ParseInt(cardBalance(t, b, "t", c, noon.Add(time.Hour)), 10, 64)
		total += n
	}
	if total != 50*1000 {
		t.Fatalf("cards hold %d", total)
	}
}

func TestValidCard(t *testing.T) {
	b := newBank(t)
	v, _ := b.ValidCard("t", "6362142376876523", noon, ok())
	raw, _ := json.Marshal(v)
	if string(raw) != `{"message":"Success","code":"F00","card":"6362144304319309"}` {
		t.Fatalf("%s", raw)
	}
	v, _ = b.ValidCard("t", seedCard, noon, ok())
	if v.Card != seedCard || v.Code != "F00" {
		t.Fatalf("%+v", v)
	}
	v, _ = b.ValidCard("t", seedCard, noon, fail("F103"))
	if v.Code != "F103" || v.Message != "Unsuccess" || v.Description != "در ارتباط با سرور بانک خطایی رخ داده است" {
		t.Fatalf("%+v", v)
	}
	v, _ = b.ValidCard("t", seedCard, noon, scenario.Decision{Outcome: scenario.Unknown})
	if v.Code != "F123" {
		t.Fatalf("%+v", v)
	}
	v, _ = b.ValidCard("t", "6037990000042222", noon, ok())
	if v.Code != "F102" {
		t.Fatalf("%+v", v)
	}
}

func TestCardServices(t *testing.T) {
	b := newBank(t)
	l, err := b.CardsByMobile("t", "9121234567", noon)
	if err != nil || l.Result != "0" || l.Mobile != "9121234567" || len(l.CardDetailList) != 3 || l.DoTime != "1405/09/01 12:00:00" {
		t.Fatalf("%+v %v", l, err)
	}
	if d := l.CardDetailList[0]; d.Index != "1" || d.BankIdentify != "636214" || d.BankName != "بانک آینده" || d.LastFourDigits != "1111" {
		t.Fatalf("%+v", d)
	}
	l2, _ := b.CardsByMobile("t", "09121234567", noon)
	if l2.TraceNumber == l.TraceNumber || len(l2.CardDetailList) != 3 {
		t.Fatalf("trace numbers repeat or list differs: %+v", l2)
	}
	if l, _ := b.CardsByMobile("t", "+989120000000", noon); len(l.CardDetailList) != 0 {
		t.Fatalf("empty mobile: %+v", l)
	}
	g1, _ := b.CardsByMobile("t", "09127777777", noon)
	g2, _ := newBank(t).CardsByMobile("t", "09127777777", noon)
	if len(g1.CardDetailList) == 0 || fmt.Sprint(g1.CardDetailList) != fmt.Sprint(g2.CardDetailList) {
		t.Fatalf("generated cards not deterministic: %v / %v", g1.CardDetailList, g2.CardDetailList)
	}
	for _, bad := range []string{"", "0912", "08121234567", "0912123456a"} {
		_, err := b.CardsByMobile("t", bad, noon)
		envErr(t, err, 400, "VALIDATION_ERROR", "invalid mobile")
	}

	ci, _ := b.CardInfo("t", "6273530000013899", noon)
	raw, _ := json.Marshal(ci)
	if string(raw) != `{"destCard":"xxxx-xxxx-xxxx-3899","name":"علی آقایی","result":"0","description":"موفق","doTime":"1405/09/01 12:00:00","bankName":"بانک تجارت"}` {
		t.Fatalf("%s", raw)
	}
	for card, want := range map[string]string{
		"6273530000071350": "135", // inactive
		"6273530000013898": "78",  // Luhn
		"1234560000000006": "78",  // unknown BIN
		"6362144000000078": "135", // inactive bon card
		seedCard:           "0",   // bon card: known, not Luhn-checked
		"6037990000000006": "0",   // any Luhn-valid Melli card
	} {
		ci, err := b.CardInfo("t", card, noon)
		if err != nil || ci.Result != want || (want == "0") != (ci.Name != "") {
			t.Errorf("%s: %+v %v", card, ci, err)
		}
	}
	_, err = b.CardInfo("t", "603799", noon)
	envErr(t, err, 400, "VALIDATION_ERROR", "invalid card")
}

func TestUsersAndDeposits(t *testing.T) {
	b := newBank(t)
	for _, nid := range []string{"1111111111", "5555555555", "9999999999", "0012345679"} {
		if !b.KnownUser(nid) || b.UserName(nid) == "" {
			t.Errorf("%s unknown", nid)
		}
	}
	if b.KnownUser("0000000000") || b.KnownUser("1234567890") {
		t.Error("stranger known")
	}
	for _, code := range []string{"062", "054", "057", "078", "016", "015", "066", "069", "055", "063"} {
		if len(b.UserDeposits("t", "2222222222", code)) == 0 {
			t.Errorf("no deposit at %s", code)
		}
	}
	ds := b.UserDeposits("t", "0012345679", "062")
	if len(ds) != 2 || ds[0].Number != "0206754653002" || ds[0].Owner != "علی آقایی" || ds[0].Balance != 10_000_000_000 {
		t.Fatalf("%+v", ds)
	}
	_ = charge(t, b, "t", "x", "0206754653002", seedCard, 20000, noon, ok())
	if ds := b.UserDeposits("t", "0012345679", "062"); ds[0].Balance != 10_000_000_000-20000 {
		t.Fatalf("consent page balance: %+v", ds)
	}
	if bank, owner, ok := b.KnownDeposit("1051-802-5434656-1"); !ok || bank != "078" || owner != "0087654326" {
		t.Fatal(bank, owner, ok)
	}
}

func TestResultCodes(t *testing.T) {
	codes := ResultCodes()
	if len(codes) != 74 {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c.Code] || c.Description == "" || c.ChargeState == "" || c.TransactionStatus == "" {
			t.Fatalf("%+v", c)
		}
		seen[c.Code] = true
	}
	if fmt.Sprint(UnknownCodes()) != "[A106 A123 A211 D100 D91 G100]" {
		t.Fatal(UnknownCodes())
	}
	if c, _ := LookupCode("A107"); c.Description != "حساب فاقد کد تفصیلی است." || c.Class != "F" {
		t.Fatalf("%+v", c)
	}
}

func TestSnapshotRestoreKeepsTheLedger(t *testing.T) {
	st := store.New()
	b, err := New(st, fixtures.FS, 7)
	if err != nil {
		t.Fatal(err)
	}
	_ = charge(t, b, "a", "s1", payDeposit, seedCard, 1234, noon, ok())
	_ = charge(t, b, "a", "s2", payDeposit, seedCard, 5000, noon, unknown("A106", time.Hour, scenario.Success, ""))
	snap, err := st.Snapshot("a")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Restore("b", snap); err != nil {
		t.Fatal(err)
	}
	later := noon.Add(time.Hour)
	for _, tenant := range []string{"a", "b"} {
		if got := cardBalance(t, b, tenant, seedCard, later); got != "6234" {
			t.Fatalf("%s: card %s", tenant, got)
		}
		if st, _ := b.CardStatement(tenant, seedCard, "", "", later); len(st.Transactions) != 2 {
			t.Fatalf("%s: statement %+v", tenant, st)
		}
		if r, err := b.Charge(tenant, ChargeRequest{Deposit: payDeposit, Card: seedCard, Amount: 1, TrackID: "s1", Now: later, Decision: ok()}); err == nil {
			t.Fatalf("%s: duplicate accepted: %+v", tenant, r)
		}
	}
}
