package bank

import (
	"fmt"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// order is a validated transfer request, ready to register.
type order struct {
	kind      string
	src, dest *account
	destLabel string // what the client named: a deposit number or an IBAN
	destOwner string // receiver's name as the client gave it (or the owner's)
	amount    int64
	desc      string
	factor    string
	specs     []lifecycle.Spec // nil for normal transfers
	doubt     *doubt
	answer    string // in-doubt code to answer with ("" = success body; the app applies the fault)
}

// doubt is an in-doubt registration: the truth is known from settleAt on.
type doubt struct {
	settleAt time.Time
	ok       bool
}

// plan picks the path of a transfer: the scenario's timeline or outcome first,
// then a magic amount, then the default. It returns the decision's failure as an
// error (nothing moves).
func (b *Bank) plan(c Ctx, o *order) *envelope.Error {
	d := c.Decision
	// The one place the bank applies a forced failure: transfers answer every
	// code in their own reply path (see CheckNormalTransfer), after their checks.
	if d.Outcome == scenario.Failure {
		code := d.Code
		if code == "" {
			code = "BANK_ERROR"
		}
		return decided(c, code)
	}
	if tl := d.Timeline(); len(tl) > 0 {
		o.specs = tl
	}
	if d.Outcome == scenario.Unknown {
		o.answer = d.Code
		o.doubt = &doubt{settleAt: c.Now, ok: true}
		if d.Settle != nil {
			o.doubt.settleAt = c.Now.Add(d.Settle.After)
			o.doubt.ok = d.Settle.To != scenario.Failure
		}
	}
	// Scenario and header choices win over magic values.
	if !d.Decided() && d.Outcome != scenario.Unknown && len(d.Timeline()) == 0 {
		if m, ok := b.w.magic[o.kind][o.amount]; ok {
			switch {
			case m.Fail != "":
				return fail(m.Fail, "")
			case m.Unknown != "":
				o.answer = m.Unknown
				o.doubt = &doubt{settleAt: c.Now.Add(m.SettleAfter), ok: m.SettleTo != string(scenario.Failure)}
			case len(m.Timeline) > 0:
				o.specs = m.Timeline
			}
		}
	}
	if o.specs == nil {
		switch o.kind {
		case kindPaya:
			o.specs = b.w.payaPlan
		case kindSatna:
			o.specs = b.w.satnaPlan
		}
	}
	return nil
}

// register runs o once per retry key: the same traceid with the same source,
// destination and amount answers the first registration again and moves no money.
func (b *Bank) register(c Ctx, o *order) (transfer, *envelope.Error) {
	if c.TraceID == "" {
		return b.execute(c, o)
	}
	key := strings.Join([]string{o.kind, c.TraceID, o.src.key(), o.destLabel, strconv.FormatInt(o.amount, 10)}, "|")
	var out transfer
	err := b.idem.Upsert(c.Tenant, key, func() string { return "" }, func(id *string) error {
		if *id != "" {
			// A transfer that settled as failed never happened: the retry is a new
			// attempt. Otherwise the retry answers the first registration, in doubt
			// only while that one still is.
			if t, ok := b.transfers.Get(c.Tenant, *id); ok && !(t.InDoubt && !t.SettleOK && !c.Now.Before(t.SettleAt)) {
				out = t
				if !t.InDoubt || !c.Now.Before(t.SettleAt) {
					o.answer = ""
				} else if o.answer == "" {
					o.answer = "BANK_TIMEOUT"
				}
				return nil
			}
		}
		t, e := b.execute(c, o)
		if e != nil {
			return e
		}
		*id, out = t.ID, t
		return nil
	})
	if err != nil {
		if e, ok := envelope.As(err); ok {
			return transfer{}, e
		}
		return transfer{}, internal(err)
	}
	return out, nil
}

// execute registers o: debits the source now and books, for later reads, the
// delivery to a known destination and any return the plan (or a failed settle)
// holds in store.
func (b *Bank) execute(c Ctx, o *order) (transfer, *envelope.Error) {
	n := b.seq.Next(c.Tenant, "transfer", 1)
	now := c.Now
	t := transfer{
		ID: fmt.Sprintf("T%09d", n), Kind: o.kind, Bank: o.src.Bank, SourceKey: o.src.key(), Source: o.src.Number,
		SourceIBAN: o.src.IBAN, Dest: o.destLabel, DestOwner: o.destOwner, Amount: o.amount,
		Description: o.desc, Factor: o.factor, Registered: now,
	}
	switch o.kind {
	case kindPaya:
		// 140006310592000002: Jalali date, bank code, channel digit, serial (Sanbod's documentation).
		t.Ref = iran.FormatJalali(now, "yyyyMMdd") + o.src.Bank + "2" + fmt.Sprintf("%06d", n%1_000_000)
	default:
		// 00001632235711734468: zero-padded Unix milliseconds and a serial (Sanbod's documentation).
		t.Ref = fmt.Sprintf("0000%013d%03d", now.UnixMilli(), n%1000)
	}
	if o.kind == kindSatna {
		// 9612200591000486: Jalali yyMMdd, bank code, channel digit, serial (Sanbod's documentation).
		t.Doc = iran.FormatJalali(now, "yyMMdd") + o.src.Bank + "1" + fmt.Sprintf("%06d", n%1_000_000)
	}
	if o.specs != nil {
		plan, err := lifecycle.Build(now, canonicalSpecs(o.kind, o.specs), b.resolver(o.kind))
		if err != nil {
			return transfer{}, internal(err)
		}
		if _, _, ok := plan.StatusAt(now); !ok {
			first := achReady
			if o.kind == kindSatna {
				first = rtgsRegistered
			}
			plan = append(lifecycle.Plan{{Status: first, At: now}}, plan...)
		}
		t.Plan = plan
	}

	srcName := b.personOf(o.src.Owner, "").fullName()
	label := map[string]string{kindNormal: "انتقال وجه اینترنت بانک", kindPaya: "انتقال وجه پایا", kindSatna: "انتقال وجه ساتنا"}[o.kind]
	var debitDesc, creditDesc string
	if o.kind == kindNormal {
		debitDesc = fmt.Sprintf("%s به سپرده %s ش.پ %s-%s", label, maskDeposit(o.dest.Number), t.Ref, o.destOwner)
		creditDesc = fmt.Sprintf("واریز %s از سپرده %s ش.پ %s-%s", label, maskDeposit(o.src.Number), t.Ref, srcName)
	} else {
		debitDesc = fmt.Sprintf("%s به شبا %s ش.پ %s-%s", label, o.dest.IBAN, t.Ref, o.destOwner)
		creditDesc = fmt.Sprintf("واریز %s از شبا %s ش.پ %s-%s", label, o.src.IBAN, t.Ref, srcName)
	}
	refundDesc := fmt.Sprintf("برگشت %s ش.پ %s", label, t.Ref)

	if err := b.debit(c.Tenant, o.src, now, o.amount, debitDesc, t.Ref); err != nil {
		if e, ok := envelope.As(err); ok {
			return transfer{}, e
		}
		return transfer{}, internal(err)
	}

	deliver, refund := now, time.Time{}
	if t.Plan != nil {
		deliver = time.Time{}
		for _, s := range t.Plan {
			if m := b.finalOf(o.kind, s.Status); m > 0 {
				deliver = s.At
				break
			} else if m < 0 {
				refund = s.At
				break
			}
		}
	}
	if o.doubt != nil {
		t.InDoubt, t.SettleAt, t.SettleOK = true, o.doubt.settleAt, o.doubt.ok
		if !o.doubt.ok {
			deliver, refund = time.Time{}, o.doubt.settleAt
		} else {
			deliver, refund = later(deliver, o.doubt.settleAt), later(refund, o.doubt.settleAt)
		}
	}
	if !refund.IsZero() {
		b.schedule(c.Tenant, o.src, now, refund, o.amount, refundDesc, t.Ref)
	}
	if !deliver.IsZero() {
		b.schedule(c.Tenant, o.dest, now, deliver, o.amount, creditDesc, t.Ref)
	}
	if !b.transfers.Insert(c.Tenant, t.ID, t) {
		return transfer{}, internal(fmt.Errorf("transfer id %s reused", t.ID))
	}
	return t, nil
}

// later is the later of t and floor, keeping zero as "never".
func later(t, floor time.Time) time.Time {
	if t.IsZero() || !t.Before(floor) {
		return t
	}
	return floor
}

func (b *Bank) finalOf(kind, status string) int {
	if kind == kindSatna {
		return rtgsFinal(status)
	}
	return achFinal(status)
}

// canonicalSpecs writes SATNA statuses in the documentation's spelling, so plans in the store
// never depend on which spelling a scenario used.
func canonicalSpecs(kind string, specs []lifecycle.Spec) []lifecycle.Spec {
	if kind != kindSatna {
		return specs
	}
	out := make([]lifecycle.Spec, len(specs))
	for i, s := range specs {
		if c, ok := rtgsCanonical(s.Status); ok {
			s.Status = c
		}
		out[i] = s
	}
	return out
}

// resolver resolves the timeline keywords (see AtKeywords) on the Iranian
// interbank calendar.
func (b *Bank) resolver(kind string) lifecycle.Resolver {
	return func(kw string, _, prev time.Time) (time.Time, error) {
		switch kw {
		case "next-cycle", "send-time":
			if kind == kindSatna {
				return b.satnaNext(prev), nil
			}
			if kw == "send-time" {
				return iran.PAYASendTime(prev), nil
			}
			return iran.NextPAYACycle(prev), nil
		case "next-business-day":
			return iran.AddBusinessDays(prev, 1), nil
		case "satna-open":
			return iran.NextSATNAOpen(prev), nil
		}
		return time.Time{}, fmt.Errorf("unknown keyword %q", kw)
	}
}

// satnaNext is when a SATNA transfer takes its next step after prev: one step
// later within SATNA hours, or one step after the next opening.
func (b *Bank) satnaNext(prev time.Time) time.Time {
	t := iran.NextSATNAOpen(prev).Add(b.w.satnaStep)
	if !iran.InSATNAHours(t) {
		t = iran.NextSATNAOpen(t).Add(b.w.satnaStep)
	}
	return t
}

// ---- the three transfer services ----

func (b *Bank) normalTransfer(c Ctx, r NormalTransferRequest) (NormalTransferResult, int, error) {
	src, e := b.source(c, r.SourceDepositNumber, "sourceDepositNumber", true)
	if e != nil {
		return NormalTransferResult{}, 0, e
	}
	destNo := strings.TrimSpace(string(r.DestinationDepositNumber))
	if destNo == "" {
		return NormalTransferResult{}, 0, required("destinationDepositNumber")
	}
	_, acct, ok := canonicalNumber(src.Bank, destNo)
	if !ok {
		return NormalTransferResult{}, 0, fail("INVALID_DEPOSIT_NUMBER", "destinationDepositNumber")
	}
	amount, e := amountOf(r.TransferAmount)
	if e != nil {
		return NormalTransferResult{}, 0, e
	}
	dest := b.accountAt(src.Bank, acct)
	if dest.key() == src.key() {
		return NormalTransferResult{}, 0, fail("SAME_DEPOSIT", "destinationDepositNumber")
	}
	if dest.Status == statusNoDeposit {
		return NormalTransferResult{}, 0, fail("DESTINATION_DEPOSIT_INACTIVE", "destinationDepositNumber")
	}
	o := &order{kind: kindNormal, src: src, dest: dest, destLabel: dest.Number, amount: amount,
		destOwner: b.personOf(dest.Owner, "").fullName()}
	if e := b.plan(c, o); e != nil {
		return NormalTransferResult{}, 0, e
	}
	t, e := b.register(c, o)
	if e != nil {
		return NormalTransferResult{}, 0, e
	}
	res := NormalTransferResult{DocNumber: t.Ref}
	if o.answer != "" {
		return res, 0, decided(c, o.answer)
	}
	return res, 1, nil
}

func (b *Bank) achTransfer(c Ctx, r AchTransferRequest) (AchTransferResult, int, error) {
	o, e := b.interbank(c, kindPaya, r.SourceDepositNumber, r.IBAN, "iban", r.TransferAmount,
		r.ReceiverFirstName, r.ReceiverLastName, r.Description)
	if e != nil {
		return AchTransferResult{}, 0, e
	}
	if b.cfg.PAYACeiling > 0 && o.amount > b.cfg.PAYACeiling {
		return AchTransferResult{}, 0, failMsg("PAYA_AMOUNT_TOO_HIGH", "", fmt.Sprintf("مبلغ انتقال پایا نباید بیشتر از %s ریال باشد", rials(b.cfg.PAYACeiling)))
	}
	o.factor = strings.TrimSpace(string(r.FactorNumber))
	if e := b.plan(c, o); e != nil {
		return AchTransferResult{}, 0, e
	}
	t, e := b.register(c, o)
	if e != nil {
		return AchTransferResult{}, 0, e
	}
	status, _, _ := t.Plan.StatusAt(t.Registered)
	res := AchTransferResult{ReferenceID: t.Ref, IBAN: t.Dest, TransferAmount: strconv.FormatInt(t.Amount, 10),
		OwnerName: t.DestOwner, Description: t.Description, TransactionStatus: achAccepted, TransferStatus: status}
	if o.answer != "" {
		return res, 0, decided(c, o.answer)
	}
	return res, 1, nil
}

func (b *Bank) rtgsTransfer(c Ctx, r RtgsTransferRequest) (RtgsTransferResult, int, error) {
	o, e := b.interbank(c, kindSatna, r.SourceDepositNumber, r.DestinationIBAN, "destinationIban", r.TransferAmount,
		r.ReceiverFirstName, r.ReceiverLastName, r.Description)
	if e != nil {
		return nil, 0, e
	}
	if e := b.plan(c, o); e != nil {
		return nil, 0, e
	}
	t, e := b.register(c, o)
	if e != nil {
		return nil, 0, e
	}
	res := RtgsTransferResult{{ReferenceID: t.Ref}}
	if o.answer != "" {
		return res, 0, decided(c, o.answer)
	}
	return res, 1, nil
}

// interbank validates a PAYA or SATNA request, in the order of the documentation's field
// table.
func (b *Bank) interbank(c Ctx, kind string, source, iban Value, ibanField string, amountV, first, last, desc Value) (*order, *envelope.Error) {
	src, e := b.source(c, source, "sourceDepositNumber", true)
	if e != nil {
		return nil, e
	}
	raw := strings.TrimSpace(string(iban))
	if raw == "" {
		return nil, required(ibanField)
	}
	norm, ok := normIBAN(raw)
	if !ok {
		return nil, fail("INVALID_IBAN", ibanField)
	}
	bankCode := iran.IBANBankCode(norm)
	if _, ok := iran.BankByCode(bankCode); !ok {
		return nil, fail("INVALID_IBAN", ibanField)
	}
	amount, e := amountOf(amountV)
	if e != nil {
		return nil, e
	}
	// The documentation's text says "above 150 million" but its rtgsreport example
	// settles exactly 150,000,000, so the floor itself is accepted.
	if kind == kindSatna && amount < b.cfg.SATNAFloor {
		return nil, failMsg("SATNA_AMOUNT_TOO_LOW", "", fmt.Sprintf("مبلغ انتقال ساتنا باید دست\u200cکم %s ریال باشد", rials(b.cfg.SATNAFloor)))
	}
	names := [3]string{}
	for i, f := range []struct {
		v    Value
		name string
	}{{first, "receiverFirstName"}, {last, "receiverLastName"}, {desc, "description"}} {
		names[i] = strings.TrimSpace(string(f.v))
		if names[i] == "" {
			return nil, required(f.name)
		}
	}
	// No same-deposit check: the Sanbod documentation's own achtransfer example pays from
	// 119-813-2618257-1 to that deposit's IBAN; the money comes back when delivered.
	dest := b.accountAt(bankCode, iran.IBANAccountPart(norm))
	if dest.Status == statusNoDeposit {
		return nil, fail("DESTINATION_DEPOSIT_INACTIVE", ibanField)
	}
	return &order{kind: kind, src: src, dest: dest, destLabel: norm, destOwner: names[0] + " " + names[1],
		amount: amount, desc: names[2]}, nil
}

// amountOf parses a positive Rial amount sent as a string or a number.
func amountOf(v Value) (int64, *envelope.Error) {
	s := strings.TrimSpace(digits.ToASCII(string(v)))
	if s == "" {
		return 0, required("transferAmount")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fail("INVALID_AMOUNT", "transferAmount")
	}
	return n, nil
}

// rials writes an amount with thousands separators in Persian digits, as the
// messages do.
func rials(n int64) string {
	s := strconv.FormatInt(n, 10)
	var sb strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune('۰' + (r - '0'))
	}
	return sb.String()
}
