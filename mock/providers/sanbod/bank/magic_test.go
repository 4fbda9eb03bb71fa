package bank

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"strconv"
	"testing"
	"time"
)

// Every published magic amount takes its path and leaves the money where it says.
func TestMagicAmounts(t *testing.T) {
	reg := teh(2026, 10, 11, 9, 0) // Sunday
	const start = int64(10_000_000_000)
	tests := []struct {
		kind     string
		amount   int64
		at       time.Time // when to look
		status   string    // "" = not in the report
		returned bool      // money back at the source by `at`
		errCode  string
	}{
		{kindPaya, 1_110_000, teh(2026, 10, 11, 9, 59), "WAIT_FOR_BRANCH_ACCEPT", false, ""},
		{kindPaya, 1_110_000, teh(2026, 10, 11, 10, 45), "PROCESSED", false, ""},
		{kindPaya, 1_120_000, teh(2026, 10, 11, 10, 45), "BRANCH_REJECT", true, ""},
		{kindPaya, 1_130_000, reg.Add(24 * time.Hour), "CANCEL", true, ""},
		{kindPaya, 1_140_000, teh(2026, 10, 12, 0, 0), "SUSPEND", false, ""},
		{kindPaya, 1_150_000, reg.Add(30 * time.Minute), "CANCEL", true, ""},
		{kindPaya, 1_990_000, reg, "", true, "INSUFFICIENT_BALANCE"},
		{kindPaya, 1_970_000, reg.Add(10 * time.Minute), "READY_TO_TRANSFER", false, "BANK_TIMEOUT"},
		{kindPaya, 1_980_000, reg.Add(10 * time.Minute), "", true, "BANK_TIMEOUT"},
		{kindSatna, 151_100_000, reg.Add(10 * time.Minute), "ADAM_TAEED_SHODE", true, ""},
		{kindSatna, 151_200_000, reg.Add(20 * time.Minute), "ADAM_TAEED_SHOBE_SATNA", true, ""},
		{kindSatna, 151_300_000, reg.Add(10 * time.Minute), "HAZF_SHODE", true, ""},
		{kindSatna, 151_400_000, reg.Add(39 * time.Minute), "ERSAL_SHODE", false, ""},
		{kindSatna, 151_400_000, reg.Add(40 * time.Minute), "TASFIYEH_NASHODE", true, ""},
		{kindSatna, 159_900_000, reg, "", true, "INSUFFICIENT_BALANCE"},
		{kindSatna, 159_700_000, reg.Add(10 * time.Minute), "TAEED_SHOBE_SHODE", false, "BANK_TIMEOUT"},
		{kindSatna, 159_800_000, reg.Add(10 * time.Minute), "", true, "BANK_TIMEOUT"},
		{kindNormal, 1_990_000, reg, "", true, "INSUFFICIENT_BALANCE"},
		{kindNormal, 1_970_000, reg.Add(10 * time.Minute), "", false, "BANK_TIMEOUT"},
		{kindNormal, 1_980_000, reg.Add(10 * time.Minute), "", true, "BANK_TIMEOUT"},
	}
	covered := map[string]map[int64]bool{}
	for _, tt := range tests {
		if covered[tt.kind] == nil {
			covered[tt.kind] = map[int64]bool{}
		}
		covered[tt.kind][tt.amount] = true
		b := newBank(t, Config{})
		amt := Value(strconv.FormatInt(tt.amount, 10))
		var err error
		switch tt.kind {
		case kindPaya:
			_, _, err = b.AchTransfer(ctx(reg), paya(string(amt)))
		case kindSatna:
			_, _, err = b.RtgsTransfer(ctx(reg), satna(string(amt)))
		default:
			_, _, err = b.NormalTransfer(ctx(reg), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: amt})
		}
		if got := code(t, err); got != tt.errCode {
			t.Fatalf("%s %d: error %s, want %s", tt.kind, tt.amount, got, tt.errCode)
		}
		c := ctx(tt.at)
		status := ""
		switch tt.kind {
		case kindPaya:
			if rows := must[AchReportResult](t)(b.AchReport(c, AchReportRequest{DepositNumber: depA})); len(rows) == 1 {
				status = rows[0].Status
			}
		case kindSatna:
			if rows := must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA})); len(rows) == 1 {
				status = rows[0].Status
			}
		}
		if status != tt.status {
			t.Errorf("%s %d at %s: status %q, want %q", tt.kind, tt.amount, tt.at, status, tt.status)
		}
		want := start - tt.amount
		if tt.returned {
			want = start
		}
		if got := balance(t, b, c, depA); got != want {
			t.Errorf("%s %d at %s: balance %d, want %d", tt.kind, tt.amount, tt.at, got, want)
		}
	}
	for kind, m := range newBank(t, Config{}).w.magic {
		for amount := range m {
			if !covered[kind][amount] {
				t.Errorf("magic %s %d has no test", kind, amount)
			}
		}
	}
}

// Scenario timelines take the keywords; a plan starting later gets the initial
// status first; scenario choices switch magic off.
func TestTimelineKeywords(t *testing.T) {
	reg := teh(2026, 10, 15, 11, 0) // Thursday
	b := newBank(t, Config{})
	c := withTimeline(ctx(reg),
		lifecycle.Spec{Status: "WAIT_FOR_CUSTOMER_ACCEPT", At: "5m"},
		lifecycle.Spec{Status: "READY_TO_TRANSFER", At: "next-business-day"},
		lifecycle.Spec{Status: "PROCESSED", At: "send-time"})
	res := must[AchTransferResult](t)(b.AchTransfer(c, paya("1120000"))) // magic ignored: the scenario decided
	if res.TransferStatus != "READY_TO_TRANSFER" {
		t.Fatalf("registered as %s", res.TransferStatus)
	}
	for _, s := range []struct {
		at   time.Time
		want string
	}{
		{reg.Add(5 * time.Minute), "WAIT_FOR_CUSTOMER_ACCEPT"},
		{teh(2026, 10, 17, 11, 4), "WAIT_FOR_CUSTOMER_ACCEPT"}, // Friday skipped
		{teh(2026, 10, 17, 11, 5), "READY_TO_TRANSFER"},
		{teh(2026, 10, 17, 13, 45), "PROCESSED"},
	} {
		if got := achStatus(t, b, ctx(s.at), res.ReferenceID); got != s.want {
			t.Fatalf("at %s: %s, want %s", s.at, got, s.want)
		}
	}
	// SATNA opening keyword.
	c = withTimeline(ctx(teh(2026, 10, 16, 9, 0)), lifecycle.Spec{Status: "SABT_SHODE", At: "0s"}, lifecycle.Spec{Status: "TASFIYEH_SHODE", At: "satna-open"})
	must[RtgsTransferResult](t)(b.RtgsTransfer(c, satna("200000000")))
	rows := must[RtgsReportResult](t)(b.RtgsReport(ctx(teh(2026, 10, 17, 8, 0)), RtgsReportRequest{DepositNumber: depA}))
	if len(rows) != 1 || rows[0].Status != "TASFIYEH_SHODE" {
		t.Fatalf("%+v", rows)
	}
}
