package vandar

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// notifyRefund sends the refund row's notice to notify_url, due the moment its
// outcome is known (reference §1.11, §5): a form-data POST with the
// settlement webhook's fields (§6.7; the refund page shows that body), amount in
// Rials. Vandar documents no signature for it; sandbank adds X-Vandar-Signature
// as the direct-debit webhooks carry it (t, v1 with the business's
// webhook_secret, v0 with the sandbox key "vandar"), which a receiver may ignore.
func (p *Provider) notifyRefund(b businessRow, row refundRow, refCode string) {
	if p.webhooks == nil {
		p.log.Warn("vandar: no webhook sender; refund notice dropped", "business", b.Name, "refund", row.ID)
		return
	}
	// The notice goes out when the row's outcome is known, with that outcome.
	done, status := row.DoneAt, row.Plan.Final().Status
	fields := [][2]string{
		{"id", row.ID}, {"iban_id", ""}, {"transaction_id", strconv.FormatInt(row.TxID, 10)},
		{"amount", strconv.FormatInt(row.Amount, 10)}, {"payment_number", row.PaymentNumber}, {"status", status},
		{"settlement_date", done.In(iran.Tehran).Format("2006-01-02")},
		{"settlement_date_jalali", iran.FormatJalali(done, "yyyy/MM/dd")},
		{"revised_transaction_id", ""}, {"ref_code", ""},
	}
	if status == "DONE" {
		fields[9][1] = refCode
	}
	p.sendForm(b, "vandar.refundNotify", row.NotifyURL, fields, done)
}

// refundNote is a refund notice owed when the row's outcome is known. It is
// kept in the store and booked on the scheduler, not handed to the webhook
// sender ahead of time: the sender's queue is memory only, so a notice waiting
// there would be lost to a restore or a --data-dir restart (Restored books the
// notes again).
type refundNote struct {
	At      time.Time `json:"at"`
	RefCode string    `json:"ref_code,omitempty"` // the bank's RRN of a paid row, drawn with the row
}

// planRefundNotice owes a refund row's notice, when it has a notify_url.
func (p *Provider) planRefundNotice(b businessRow, row refundRow) {
	if row.NotifyURL == "" {
		return
	}
	note := refundNote{At: row.DoneAt}
	if row.Plan.Final().Status == "DONE" {
		note.RefCode = iran.FormatJalali(row.DoneAt, "yyyyMMdd") + p.ids.Digits(10)
	}
	if p.sched == nil {
		p.notifyRefund(b, row, note.RefCode) // a bare harness: the sender holds it
		return
	}
	p.refundNote.Put(b.Name, row.ID, note)
	p.scheduleRefundNotice(b.Name, row.ID, note.At)
}

func (p *Provider) scheduleRefundNotice(slug, id string, at time.Time) {
	if p.sched != nil {
		p.sched.Add("vandar/refund-notice/"+slug+"/"+id, at, func(now time.Time) { p.refundNoticesDue(slug, now) })
	}
}

// refundNoticesDue sends every refund notice owed by now, each once (the note
// is taken before the notice goes).
func (p *Provider) refundNoticesDue(slug string, now time.Time) {
	for _, it := range p.refundNote.List(slug) {
		if it.Value.At.After(now) || !p.refundNote.Delete(slug, it.ID) {
			continue
		}
		row, ok := p.refunds.Get(slug, it.ID)
		b, found := p.business(slug)
		if !ok || !found {
			continue
		}
		p.notifyRefund(b, row, it.Value.RefCode)
	}
}

// sendForm schedules a form-data notice for due, signed as above.
func (p *Provider) sendForm(b businessRow, op, to string, fields [][2]string, due time.Time) {
	if p.webhooks == nil {
		p.log.Warn("vandar: no webhook sender; notice dropped", "business", b.Name, "operation", op)
		return
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		_ = mw.WriteField(f[0], f[1])
	}
	_ = mw.Close()
	secret := b.WebhookSecret
	_, err := p.webhooks.Send(webhook.Delivery{
		Provider: "vandar", Tenant: b.Name, Operation: op, URL: to,
		Body: body.Bytes(), ContentType: mw.FormDataContentType(), Due: due,
		Sign: func(req *http.Request, payload []byte) {
			t := strconv.FormatInt(p.clock.Now().Unix(), 10)
			req.Header.Set("X-Vandar-Signature", "t="+t+",v1="+mac(secret, t, payload)+",v0="+mac("vandar", t, payload))
		},
	})
	if err != nil {
		p.log.Warn("vandar: notice not scheduled", "business", b.Name, "operation", op, "err", err)
	}
}

// mac is HMAC-SHA256 of "<t>,<payload>" in hex (reference §1.11).
func mac(key, t string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(t + ","))
	m.Write(payload)
	return hex.EncodeToString(m.Sum(nil))
}
