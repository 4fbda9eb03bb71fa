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

// notifyRefund schedules the refund row's notice to notify_url for the moment
// its outcome is known (reference §1.11, §5): a form-data POST with the
// settlement webhook's fields (§6.7; the refund page shows that body), amount in
// Rials. Vandar documents no signature for it; sandbank adds X-Vandar-Signature
// as the direct-debit webhooks carry it (t, v1 with the business's
// webhook_secret, v0 with the sandbox key "vandar"), which a receiver may ignore.
func (p *Provider) notifyRefund(b businessRow, row refundRow) {
	if row.NotifyURL == "" {
		return
	}
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
		fields[9][1] = iran.FormatJalali(done, "yyyyMMdd") + p.ids.Digits(10) // the bank's RRN of a paid row
	}
	p.sendForm(b, "vandar.refundNotify", row.NotifyURL, fields, done)
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
