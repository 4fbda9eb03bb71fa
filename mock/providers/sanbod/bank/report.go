package bank

import (
	"github.com/sandbank-dev/sandbank/mock/digits"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
)

// window is a report's [from, to] in Unix milliseconds; set says a bound was sent.
type window struct {
	from, to       time.Time
	hasFrom, hasTo bool
}

// instant parses a Unix timestamp in milliseconds (the documentation's unit). Ten-digit
// values are taken as seconds, which some clients send.
func instant(v Value, field string) (time.Time, bool, *envelope.Error) {
	s := strings.TrimSpace(digits.ToASCII(string(v)))
	if s == "" {
		return time.Time{}, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false, fail("INVALID_DATE", field)
	}
	if n < 100_000_000_000 {
		return time.Unix(n, 0).In(iran.Tehran), true, nil
	}
	return time.UnixMilli(n).In(iran.Tehran), true, nil
}

func dateWindow(fromV, toV Value, fromField, toField string) (window, *envelope.Error) {
	var w window
	var e *envelope.Error
	if w.from, w.hasFrom, e = instant(fromV, fromField); e != nil {
		return w, e
	}
	if w.to, w.hasTo, e = instant(toV, toField); e != nil {
		return w, e
	}
	if w.hasFrom && w.hasTo && w.from.After(w.to) {
		return w, fail("INVALID_DATE_RANGE", fromField)
	}
	return w, nil
}

// defaulted fills the documentation's default: with no dates, the last three days. With
// only one bound the window is three days from or up to it.
func (w window) defaulted(now time.Time) window {
	switch {
	case !w.hasFrom && !w.hasTo:
		w.from, w.to = now.Add(-defaultWindow), now
	case !w.hasFrom:
		w.from = w.to.Add(-defaultWindow)
	case !w.hasTo:
		w.to = now
	}
	w.hasFrom, w.hasTo = true, true
	return w
}

func (w window) holds(t time.Time) bool { return !t.Before(w.from) && !t.After(w.to) }

// page parses offset (default 0) and length (default 25).
func page(offV, lenV Value) (int, int, *envelope.Error) {
	off, length := 0, defaultLength
	if s := strings.TrimSpace(string(offV)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, 0, fail("INVALID_OFFSET", "offset")
		}
		off = n
	}
	if s := strings.TrimSpace(string(lenV)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return 0, 0, fail("INVALID_LENGTH", "length")
		}
		length = n
	}
	return off, length, nil
}

// scope opens the statement and both reports: the consented deposit they read
// and the page asked for.
func (b *Bank) scope(c Ctx, deposit, offset, length Value) (*account, int, int, *envelope.Error) {
	a, e := b.source(c, deposit, "depositNumber", false)
	if e != nil {
		return nil, 0, 0, e
	}
	off, n, e := page(offset, length)
	if e != nil {
		return nil, 0, 0, e
	}
	return a, off, n, nil
}

// CheckStatement judges a statement request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckStatement(c Ctx, r StatementRequest) (Act[StatementResult], error) {
	a, off, length, e := b.scope(c, r.DepositNumber, r.Offset, r.Length)
	if e != nil {
		return nil, e
	}
	w, e := dateWindow(r.FromDateTime, r.ToDateTime, "fromDateTime", "toDateTime")
	if e != nil {
		return nil, e
	}
	// The field table says DSC by default, its prose says ascending when empty;
	// the prose describes behaviour, so empty is ascending. DESC is taken too.
	desc := false
	switch strings.ToUpper(strings.TrimSpace(string(r.Order))) {
	case "", "ASC":
	case "DSC", "DESC":
		desc = true
	default:
		return nil, fail("INVALID_ORDER", "order")
	}
	action := strings.ToUpper(strings.TrimSpace(string(r.Action)))
	if action != "" && action != "CREDIT" && action != "DEBIT" {
		return nil, fail("INVALID_ACTION", "action")
	}
	return func(c Ctx) (StatementResult, int, error) {
		w = w.defaulted(c.Now)
		// The window is sought in the deposit's time-ordered statement; only the
		// page asked for is read.
		q := ledger.Query{From: w.from, To: w.to.Add(time.Nanosecond), Reverse: desc}
		lines, err := b.book.Page(c.Tenant, c.Now, a.money(), q, off, length, func(en *ledger.Entry[line]) bool {
			return !(action == "CREDIT" && en.Amount.Value < 0 || action == "DEBIT" && en.Amount.Value > 0)
		})
		if err != nil {
			return nil, 0, internal(err)
		}
		rows := make(StatementResult, 0, len(lines))
		for _, en := range lines {
			rows = append(rows, StatementItem{
				Balance: strconv.FormatInt(en.Balance.Value, 10), TransactionDate: en.At.UnixMilli(), Description: en.Meta.Description,
				ReferenceID: en.Meta.Ref, DocNumber: doc(a, en.Seq), ChequeNumber: "0", TransferAmount: strconv.FormatInt(en.Amount.Value, 10) + ".0",
			})
		}
		return rows, len(rows), nil
	}, nil
}

// CheckAchReport judges a achReport request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckAchReport(c Ctx, r AchReportRequest) (Act[AchReportResult], error) {
	a, off, length, e := b.scope(c, r.DepositNumber, r.Offset, r.Length)
	if e != nil {
		return nil, e
	}
	var destIBAN string
	if s := strings.TrimSpace(string(r.DestinationIBAN)); s != "" {
		n, ok := normIBAN(s)
		if !ok {
			return nil, fail("INVALID_IBAN", "destinationIban")
		}
		destIBAN = n
	}
	var minAmt, maxAmt int64 = 0, -1
	for _, f := range []struct {
		v    Value
		name string
		dst  *int64
	}{{r.FromTransactionAmount, "fromTransactionAmount", &minAmt}, {r.ToTransactionAmount, "toTransactionAmount", &maxAmt}} {
		if s := strings.TrimSpace(string(f.v)); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return nil, fail("INVALID_AMOUNT", f.name)
			}
			*f.dst = n
		}
	}
	reg, e := dateWindow(r.FromRegisterDateTime, r.ToRegisterDateTime, "fromRegisterDateTime", "toRegisterDateTime")
	if e != nil {
		return nil, e
	}
	iss, e := dateWindow(r.FromIssueDateTime, r.ToIssueDateTime, "fromIssueDateTime", "toIssueDateTime")
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (AchReportResult, int, error) {
		anyIssue := iss.hasFrom || iss.hasTo
		if !reg.hasFrom && !reg.hasTo && !anyIssue {
			reg = reg.defaulted(c.Now)
		} else {
			if !reg.hasFrom {
				reg.from = time.Time{}
			}
			if !reg.hasTo {
				reg.to = maxTime
			}
			if !iss.hasFrom {
				iss.from = time.Time{}
			}
			if !iss.hasTo {
				iss.to = maxTime
			}
		}
		owner := strings.TrimSpace(string(r.DestinationOwnerName))
		factor := strings.TrimSpace(string(r.FactorNumber))
		ref := strings.TrimSpace(string(r.ReferenceID))
		rows := AchReportResult{}
		skip := off
		b.eachTransfer(c, a, kindPaya, reg.from, reg.to, func(t transfer) bool {
			if destIBAN != "" && t.Dest != destIBAN || t.Amount < minAmt ||
				maxAmt >= 0 && t.Amount > maxAmt || owner != "" && !strings.Contains(t.DestOwner, owner) ||
				factor != "" && t.Factor != factor || ref != "" && t.Ref != ref {
				return true
			}
			if anyIssue {
				// The issue date is when the cycle processed it; one not processed yet
				// has none and cannot match an issue-date filter.
				at, ok := processedAt(t, c.Now)
				if !ok || !iss.holds(at) {
					return true
				}
			}
			if skip > 0 {
				skip--
				return true
			}
			status, _, _ := t.Plan.StatusAt(c.Now)
			rows = append(rows, AchReportItem{ReferenceID: t.Ref, RegisterDateTime: strconv.FormatInt(t.Registered.UnixMilli(), 10),
				Status: status, TransferDescription: achRemark(status)})
			return len(rows) < length
		})
		return rows, len(rows), nil
	}, nil
}

var maxTime = time.Unix(1<<62, 0)

// achRemarks are the bank's remarks on a PAYA transfer that did not go through.
// transferDescription is the bank's remark, not the client's description: the
// seed's achreport example has null for a processed transfer, so every status
// but these answers null.
var achRemarks = map[string]string{
	achBranchReject: "دستور پرداخت توسط شعبه تأیید نشد.",
	achCancel:       "دستور پرداخت لغو شد و مبلغ به حساب مبدأ بازگشت.",
	achSuspend:      "دستور پرداخت در انتظار بررسی بانک معلق شد.",
}

func achRemark(status string) *string {
	if r, ok := achRemarks[status]; ok {
		return &r
	}
	return nil
}

func processedAt(t transfer, now time.Time) (time.Time, bool) {
	for _, s := range t.Plan {
		if s.Status == achProcessed && !s.At.After(now) {
			return s.At, true
		}
	}
	return time.Time{}, false
}

// CheckRtgsReport judges a rtgsReport request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckRtgsReport(c Ctx, r RtgsReportRequest) (Act[RtgsReportResult], error) {
	a, off, length, e := b.scope(c, r.DepositNumber, r.Offset, r.Length)
	if e != nil {
		return nil, e
	}
	w, e := dateWindow(r.FromDateTime, r.ToDateTime, "fromDateTime", "toDateTime")
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (RtgsReportResult, int, error) {
		w = w.defaulted(c.Now)
		docNo := strings.TrimSpace(string(r.DocNumber))
		rows := RtgsReportResult{}
		skip := off
		b.eachTransfer(c, a, kindSatna, w.from, w.to, func(t transfer) bool {
			if docNo != "" && t.Doc != docNo {
				return true
			}
			if skip > 0 {
				skip--
				return true
			}
			status, _, _ := t.Plan.StatusAt(c.Now)
			rows = append(rows, RtgsReportItem{TransferAmount: strconv.FormatInt(t.Amount, 10), DestinationDepositNumber: t.Dest,
				SourceDepositNumber: t.SourceIBAN, RegisterDateTime: strconv.FormatInt(t.Registered.UnixMilli(), 10),
				DocNumber: t.Doc, Status: b.rtgsWire(status)})
			return len(rows) < length
		})
		return rows, len(rows), nil
	}, nil
}
