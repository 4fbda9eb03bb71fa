package bank

import (
	"strconv"
	"testing"
	"time"
)

func ms(t time.Time) Value { return Value(strconv.FormatInt(t.UnixMilli(), 10)) }

func TestStatementFiltersAndDefaultWindow(t *testing.T) {
	b := newBank(t, Config{})
	day := teh(2026, 10, 11, 9, 0)
	// Four days of activity on depA: a debit each day, and a credit on day 3.
	for i := 0; i < 4; i++ {
		c := ctx(day.Add(time.Duration(i) * 24 * time.Hour))
		must[NormalTransferResult](t)(b.NormalTransfer(c, NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: Value(strconv.Itoa(1000 * (i + 1)))}))
		if i == 2 {
			must[NormalTransferResult](t)(b.NormalTransfer(c, NormalTransferRequest{SourceDepositNumber: depB, DestinationDepositNumber: depA, TransferAmount: "500"}))
		}
	}
	now := day.Add(3*24*time.Hour + time.Hour)
	c := ctx(now)
	// Default: the last three days (72h back from now) drops day 0.
	st := must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA}))
	amounts := func(rows StatementResult) (out []string) {
		for _, r := range rows {
			out = append(out, r.TransferAmount)
		}
		return out
	}
	if got := amounts(st); len(got) != 4 || got[0] != "-2000.0" || got[2] != "500.0" || got[3] != "-4000.0" {
		t.Fatalf("default window: %v", got)
	}
	// Running balance: each row's balance is the previous one plus its amount.
	all := must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: "0"}))
	bal := int64(10_000_000_000)
	for _, r := range all {
		amt, _ := strconv.ParseFloat(r.TransferAmount, 64)
		bal += int64(amt)
		if r.Balance != strconv.FormatInt(bal, 10) {
			t.Fatalf("running balance broken at %+v (want %d)", r, bal)
		}
	}
	if len(all) != 5 {
		t.Fatalf("from 0: %d rows", len(all))
	}
	// Dates, action, order, offset/length.
	st = must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: ms(day), ToDateTime: ms(day.Add(24 * time.Hour))}))
	if got := amounts(st); len(got) != 2 || got[0] != "-1000.0" || got[1] != "-2000.0" {
		t.Fatalf("date range: %v", got)
	}
	st = must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: "0", Action: "CREDIT"}))
	if got := amounts(st); len(got) != 1 || got[0] != "500.0" {
		t.Fatalf("CREDIT: %v", got)
	}
	st = must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: "0", Action: "DEBIT", Order: "DSC", Offset: "1", Length: "2"}))
	if got := amounts(st); len(got) != 2 || got[0] != "-3000.0" || got[1] != "-2000.0" {
		t.Fatalf("DEBIT DSC 1..2: %v", got)
	}
	if _, n, _ := b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: "0", Offset: "99"}); n != 0 {
		t.Fatalf("offset past the end: %d", n)
	}
	// Seconds are taken as well as milliseconds.
	st = must[StatementResult](t)(b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: Value(strconv.FormatInt(day.Unix(), 10)), ToDateTime: Value(strconv.FormatInt(day.Add(time.Minute).Unix(), 10))}))
	if len(st) != 1 {
		t.Fatalf("seconds: %v", amounts(st))
	}
}

func TestAchReportFilters(t *testing.T) {
	b := newBank(t, Config{})
	reg := teh(2026, 10, 11, 9, 0)
	var refs []string
	for i, amt := range []string{"10000", "20000", "30000"} {
		r := paya(amt)
		if i == 1 {
			r.IBAN = "IR880540126030100979988607"
			r.ReceiverFirstName, r.ReceiverLastName = "سارا", "کاویانی"
			r.FactorNumber = "F-1"
		}
		refs = append(refs, must[AchTransferResult](t)(b.AchTransfer(ctx(reg.Add(time.Duration(i)*time.Hour)), r)).ReferenceID)
	}
	old := must[AchTransferResult](t)(b.AchTransfer(ctx(reg.Add(-5*24*time.Hour)), paya("40000"))).ReferenceID
	now := reg.Add(3 * time.Hour) // 12:00: the first two went with the 10:45 cycle, the third waits for 13:45
	c := ctx(now)
	get := func(r AchReportRequest) (out []string) {
		r.DepositNumber = depA
		for _, row := range must[AchReportResult](t)(b.AchReport(c, r)) {
			out = append(out, row.ReferenceID+":"+row.Status)
		}
		return out
	}
	eq := func(name string, got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: %v, want %v", name, got, want)
			}
		}
	}
	P, R := ":PROCESSED", ":READY_TO_TRANSFER"
	eq("default three days", get(AchReportRequest{}), refs[0]+P, refs[1]+P, refs[2]+R)
	eq("register dates", get(AchReportRequest{FromRegisterDateTime: "0"}), old+P, refs[0]+P, refs[1]+P, refs[2]+R)
	eq("to register", get(AchReportRequest{ToRegisterDateTime: ms(reg)}), old+P, refs[0]+P)
	eq("issue dates", get(AchReportRequest{FromIssueDateTime: ms(reg)}), refs[0]+P, refs[1]+P)
	eq("issue window before the cycle", get(AchReportRequest{FromIssueDateTime: ms(reg), ToIssueDateTime: ms(reg.Add(104 * time.Minute))}))
	eq("issue window with the cycle", get(AchReportRequest{FromIssueDateTime: ms(reg), ToIssueDateTime: ms(reg.Add(105 * time.Minute))}), refs[0]+P, refs[1]+P)
	eq("amounts", get(AchReportRequest{FromTransactionAmount: "15000", ToTransactionAmount: "30000"}), refs[1]+P, refs[2]+R)
	eq("iban", get(AchReportRequest{DestinationIBAN: "IR880540126030100979988607"}), refs[1]+P)
	eq("owner", get(AchReportRequest{DestinationOwnerName: "کاویانی"}), refs[1]+P)
	eq("factor", get(AchReportRequest{FactorNumber: "F-1"}), refs[1]+P)
	eq("reference", get(AchReportRequest{ReferenceID: Value(refs[2])}), refs[2]+R)
	eq("page", get(AchReportRequest{Offset: "1", Length: "1"}), refs[1]+P)
	rows := must[AchReportResult](t)(b.AchReport(c, AchReportRequest{DepositNumber: depA, ReferenceID: Value(refs[0])}))
	// transferDescription is the bank's remark: none for a transfer that is
	// going through, as the documentation's example shows, whatever the client described.
	if rows[0].TransferDescription != nil || rows[0].RegisterDateTime != strconv.FormatInt(reg.UnixMilli(), 10) {
		t.Fatalf("%+v", rows[0])
	}
	if len(refs[0]) != 18 || refs[0][:8] != "14050719" || refs[0][8:12] != "0592" {
		t.Fatalf("referenceId %s", refs[0])
	}
}

func TestRtgsReportFilters(t *testing.T) {
	b := newBank(t, Config{})
	reg := teh(2026, 10, 11, 9, 0)
	must[RtgsTransferResult](t)(b.RtgsTransfer(ctx(reg.Add(-4*24*time.Hour)), satna("160000000")))
	must[RtgsTransferResult](t)(b.RtgsTransfer(ctx(reg), satna("170000000")))
	must[RtgsTransferResult](t)(b.RtgsTransfer(ctx(reg.Add(time.Hour)), satna("180000000")))
	c := ctx(reg.Add(2 * time.Hour))
	rows := must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA}))
	if len(rows) != 2 || rows[0].TransferAmount != "170000000" {
		t.Fatalf("default window %+v", rows)
	}
	doc := rows[1].DocNumber
	rows = must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, DocNumber: Value(doc)}))
	if len(rows) != 1 || rows[0].TransferAmount != "180000000" {
		t.Fatalf("docNumber %+v", rows)
	}
	rows = must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, FromDateTime: "0", Length: "1", Offset: "0"}))
	if len(rows) != 1 || rows[0].TransferAmount != "160000000" {
		t.Fatalf("from 0, length 1: %+v", rows)
	}
	rows = must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, FromDateTime: ms(reg.Add(30 * time.Minute)), ToDateTime: ms(reg.Add(90 * time.Minute))}))
	if len(rows) != 1 || rows[0].TransferAmount != "180000000" {
		t.Fatalf("range %+v", rows)
	}
}

// TestReportWindowsTakeAnyTimestamp: a report's dates are Unix seconds or
// milliseconds of any size; none is stored, and none answers an internal error
// (a bound past int64 or negative is INVALID_DATE, a window the wrong way round
// INVALID_DATE_RANGE, the rest an empty or full page).
func TestReportWindowsTakeAnyTimestamp(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	must[NormalTransferResult](t)(b.NormalTransfer(c, NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "1000"}))
	for _, tc := range []struct {
		from, to Value
		want     string
	}{
		{"9223372036854775807", "", ""},
		{"0", "9223372036854775807", ""},
		{"99999999999", "100000000000", "INVALID_DATE_RANGE"}, // seconds (year 5138) after milliseconds (1973)
		{"99999999999999", "", ""},
		{"9223372036854775808", "", "INVALID_DATE"},
		{"-1", "", "INVALID_DATE"},
		{"1e18", "", "INVALID_DATE"},
	} {
		_, _, err := b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: tc.from, ToDateTime: tc.to})
		_, _, err2 := b.AchReport(c, AchReportRequest{DepositNumber: depA, FromRegisterDateTime: tc.from, ToRegisterDateTime: tc.to})
		_, _, err3 := b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, FromDateTime: tc.from, ToDateTime: tc.to})
		for i, err := range []error{err, err2, err3} {
			if got := code(t, err); got != tc.want {
				t.Errorf("report %d from %s to %s: %q, want %q", i, tc.from, tc.to, got, tc.want)
			}
		}
	}
}
