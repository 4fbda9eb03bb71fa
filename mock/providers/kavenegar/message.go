package kavenegar

import (
	"github.com/sandbank-dev/sandbank/mock/iran"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Message statuses (§4). Plans store them as strings because scenario timelines
// name them that way.
const (
	stQueued      = "1"
	stScheduled   = "2"
	stToCenter    = "4"
	stSent        = "5"
	stFailed      = "6"
	stDelivered   = "10"
	stUndelivered = "11"
	stCanceled    = "13"
	stFiltered    = "14"
	stReceived    = "50"
	stIncorrect   = "100"
)

// planStatuses are the statuses a scenario timeline may name.
var planStatuses = []string{stQueued, stScheduled, stToCenter, stSent, stFailed, stDelivered, stUndelivered, stCanceled, stFiltered}

// statusTexts are the statustext values. 1 and 5 are seen in official samples; the
// rest follow the short forms public client code uses.
var statusTexts = map[string]string{
	stQueued:      "در صف ارسال",
	stScheduled:   "زمان بندی شده",
	stToCenter:    "ارسال به مخابرات",
	stSent:        "ارسال به مخابرات",
	stFailed:      "خطا در ارسال پیام",
	stDelivered:   "رسیده به گیرنده",
	stUndelivered: "نرسیده به گیرنده",
	stCanceled:    "لغو شده",
	stFiltered:    "بلاک شده",
	stReceived:    "دریافت شده",
	stIncorrect:   "شناسه پیامک نامعتبر است",
}

// statusNames are the enum names official SDKs send instead of numbers (the Go
// SDK's CountOutbox sends status=Delivered; .NET sends its enum names).
var statusNames = map[string]string{
	"queued": stQueued, "schedule": stScheduled, "scheduled": stScheduled,
	"senttocenter": stToCenter, "sent": stSent, "senttocarrier": stSent,
	"failed": stFailed, "delivered": stDelivered, "undelivered": stUndelivered,
	"canceled": stCanceled, "cancelled": stCanceled, "filtered": stFiltered,
	"received": stReceived, "incorrect": stIncorrect,
}

// parseStatus reads a status filter given as a number or an SDK enum name.
func parseStatus(v string) (string, bool) {
	if n, good := int64Of(v); good {
		return strconv.FormatInt(n, 10), true
	}
	st, good := statusNames[strings.ToLower(strings.TrimSpace(v))]
	return st, good
}

// refundStatuses are the statuses whose cost goes back to the account (§4), plus 6
// when it ends a send that settled as failed.
func refunds(status string) bool { return status == stCanceled || status == stFiltered }

// Message kinds, for the outbox and the OTP lookup.
const (
	kindSMS    = "sms"
	kindLookup = "lookup"
	kindCall   = "call"
	kindPostal = "postal"
)

// message is one outbound message as stored.
type message struct {
	ID       int64          `json:"id"`
	Kind     string         `json:"kind"`
	Receptor string         `json:"receptor"`
	Sender   string         `json:"sender"`
	Text     string         `json:"text"`
	Date     int64          `json:"date"` // unix: the send time, or the scheduled time
	Created  time.Time      `json:"created"`
	Cost     int64          `json:"cost"`
	Parts    int            `json:"parts"`
	Type     string         `json:"type,omitempty"`
	LocalID  string         `json:"localid,omitempty"`
	Template string         `json:"template,omitempty"`
	Tokens   []string       `json:"tokens,omitempty"`
	Plan     lifecycle.Plan `json:"plan"`
	Refunded bool           `json:"refunded"`
}

// messageTable is the outbox with the orders its reports read, so that a
// report costs the page it answers, not the key's whole history:
// latestoutbox walks insertion order backwards (bySender when it filters on a
// line), selectoutbox and countoutbox seek their date window in byDate, and the
// control plane walks byCreated backwards.
type messageTable struct {
	*store.Table[message]
	byDate    *store.Index[message] // Date, the send or scheduled time
	bySender  *store.Index[message] // sender line, then insertion order
	byCreated *store.Index[message] // creation instant, then message id
}

func newMessageTable(st *store.Store) messageTable {
	t := store.NewTable[message](st, "kavenegar.messages")
	return messageTable{
		Table:     t,
		byDate:    store.NewIndex(t, func(m message) string { return sortable(m.Date) }),
		bySender:  store.NewIndex(t, func(m message) string { return m.Sender }),
		byCreated: store.NewIndex(t, func(m message) string { return createdKey(m.Created, m.ID) }),
	}
}

// sortable writes n so that strings compare as the numbers do, negatives too.
func sortable(n int64) string { return string(appendSortable(make([]byte, 0, 16), n)) }

func appendSortable(b []byte, n int64) []byte {
	const hex = "0123456789abcdef"
	u := uint64(n) ^ 1<<63
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hex[u>>uint(shift)&15])
	}
	return b
}

// createdKey is one allocation: a key is built for every message sent.
func createdKey(t time.Time, id int64) string {
	b := make([]byte, 0, 48)
	b = appendSortable(b, t.Unix())
	b = appendSortable(b, int64(t.Nanosecond()))
	return string(appendSortable(b, id))
}

// dateWindow is the byDate range of dates from start to end, both included.
func dateWindow(start, end int64) store.Range {
	r := store.Range{From: sortable(start)}
	if end < 1<<63-1 {
		r.To = sortable(end + 1)
	}
	return r
}

// Clone keeps stored rows independent of callers' copies.
func (m message) Clone() message {
	m.Plan = append(lifecycle.Plan(nil), m.Plan...)
	m.Tokens = append([]string(nil), m.Tokens...)
	return m
}

func (m message) statusAt(t time.Time) string {
	st, _, found := m.Plan.StatusAt(t)
	if !found {
		// A message read before its creation instant (the clock was set back) is
		// shown as it was created.
		if len(m.Plan) > 0 {
			return m.Plan[0].Status
		}
		return stQueued
	}
	return st
}

// entry is a message as every send-like and select-like method returns it.
type entry struct {
	MessageID  int64  `json:"messageid"`
	Message    string `json:"message"`
	Status     int    `json:"status"`
	StatusText string `json:"statustext"`
	Sender     string `json:"sender"`
	Receptor   string `json:"receptor"`
	Date       int64  `json:"date"`
	Cost       int64  `json:"cost"`
}

func (m message) entry(now time.Time) entry {
	st := m.statusAt(now)
	return entry{
		MessageID: m.ID, Message: m.Text, Status: atoi(st), StatusText: statusTexts[st],
		Sender: m.Sender, Receptor: m.Receptor, Date: m.Date, Cost: m.Cost,
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// normalizeMobile accepts the spellings of an Iranian mobile number clients send
// and returns the 09xxxxxxxxx form; Kavenegar also takes spaces and dashes
// inside the number.
func normalizeMobile(s string) (string, bool) {
	return iran.NormalizeMobile(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s))
}

// gsmBasic is the GSM 03.38 default alphabet; gsmExt are the characters sent with
// an escape, which take two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExt   = "^{}\\[~]|€\f"
)

// segments counts the SMS parts a text is billed as, and whether it needs UCS-2.
// GSM-7: 160 septets single, 153 per part; UCS-2: 70 units single, 67 per part.
func segments(text string) (parts int, unicodeText bool) {
	septets := 0
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExt, r):
			septets += 2
		default:
			unicodeText = true
		}
	}
	if unicodeText {
		units := 0
		for _, r := range text {
			if r >= 0x10000 {
				units += 2
			} else {
				units++
			}
		}
		return split(units, 70, 67), true
	}
	return split(septets, 160, 153), false
}

func split(n, single, multi int) int {
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

// maxText is the longest message text in characters (413).
const maxText = 900

// badChars reports text the service cannot process (422): invalid UTF-8, NUL and
// other control characters except line breaks and tabs.
func badChars(text string) bool {
	if !utf8.ValidString(text) {
		return true
	}
	for _, r := range text {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// hasLink spots what a link-restricted account may not send (420).
func hasLink(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "http://") || strings.Contains(t, "https://") || strings.Contains(t, "www.")
}
