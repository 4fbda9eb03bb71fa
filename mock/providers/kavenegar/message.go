package kavenegar

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
	"unique"

	"github.com/sandbank-dev/sandbank/mock/iran"

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

// kind is what a message was sent as, for the outbox and the OTP lookup.
type kind uint8

const (
	kindSMS kind = iota + 1
	kindLookup
	kindCall
	kindPostal
)

var kindNames = [...]string{kindSMS: "sms", kindLookup: "lookup", kindCall: "call", kindPostal: "postal"}

func (k kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

func kindOf(name string) (kind, bool) {
	for k, n := range kindNames {
		if n != "" && n == name {
			return kind(k), true
		}
	}
	return 0, false
}

// message is one outbound message as stored. It is kept compact because an
// outbox grows with every send a test suite makes (issue 16 asks for at most 400
// bytes a message): what most messages share is shared rather than copied (the
// plan's shape, the sender and receptor strings), and what few have (a localid, a
// template and its tokens) sits behind one pointer. Nothing it points to is
// changed once stored (a cancel gives the message a new plan), so copies share
// those parts safely and the store needs no deep copy. Snapshots and the
// --data-dir log keep the readable form, messageJSON.
type message struct {
	ID       int64
	Date     int64 // unix: the send time, or the scheduled time
	Cost     int64
	Created  time.Time
	Receptor string
	Sender   string
	Text     string
	steps    *planShape    // statuses, as offsets from Created
	extra    *messageExtra // nil for a plain send
	Parts    int32
	Kind     kind
	Refunded bool
}

// messageExtra is what only some messages carry.
type messageExtra struct {
	Type     string
	LocalID  string
	Template string
	Tokens   []string
}

func (m message) Type() string     { return m.ext().Type }
func (m message) LocalID() string  { return m.ext().LocalID }
func (m message) Template() string { return m.ext().Template }
func (m message) Tokens() []string { return m.ext().Tokens }

var noExtra messageExtra

func (m message) ext() *messageExtra {
	if m.extra == nil {
		return &noExtra
	}
	return m.extra
}

// setExtra keeps typ, localID, template and tokens, allocating only when one is set.
func (m *message) setExtra(typ, localID, template string, tokens []string) {
	if typ == "" && localID == "" && template == "" && len(tokens) == 0 {
		m.extra = nil
		return
	}
	m.extra = &messageExtra{Type: typ, LocalID: localID, Template: template, Tokens: slices.Clone(tokens)}
}

// relStep is a plan step as an offset from the message's creation instant.
type relStep struct {
	status string
	sec    int64
	nsec   int32
}

// planShape is a plan relative to its start. Messages sent with the same
// timeline share one: a test suite's messages mostly follow the same few.
type planShape struct{ steps []relStep }

// shapes interns plan shapes, up to maxShapes of them (later ones are kept per
// message). Readers load the list without a lock; a new shape copies it.
var shapes struct {
	mu   sync.Mutex
	list atomic.Pointer[[]*planShape]
}

const maxShapes = 64

func shapeOf(start time.Time, pl lifecycle.Plan) *planShape {
	if len(pl) == 0 {
		return nil
	}
	var buf [6]relStep
	rel := buf[:0]
	ss, sn := start.Unix(), int32(start.Nanosecond())
	for _, st := range pl {
		sec, nsec := st.At.Unix()-ss, int32(st.At.Nanosecond())-sn
		if nsec < 0 {
			sec, nsec = sec-1, nsec+1e9
		}
		rel = append(rel, relStep{status: st.Status, sec: sec, nsec: nsec})
	}
	find := func() *planShape {
		if l := shapes.list.Load(); l != nil {
			for _, sh := range *l {
				if slices.Equal(sh.steps, rel) {
					return sh
				}
			}
		}
		return nil
	}
	if sh := find(); sh != nil {
		return sh
	}
	sh := &planShape{steps: slices.Clone(rel)}
	shapes.mu.Lock()
	defer shapes.mu.Unlock()
	if found := find(); found != nil {
		return found
	}
	var l []*planShape
	if old := shapes.list.Load(); old != nil {
		l = *old
	}
	if len(l) < maxShapes {
		l = append(slices.Clip(l), sh)
		shapes.list.Store(&l)
	}
	return sh
}

func (m message) at(s relStep) time.Time {
	return time.Unix(m.Created.Unix()+s.sec, int64(m.Created.Nanosecond())+int64(s.nsec)).In(m.Created.Location())
}

// Plan is the message's plan as absolute steps.
func (m message) Plan() lifecycle.Plan {
	if m.steps == nil {
		return nil
	}
	pl := make(lifecycle.Plan, len(m.steps.steps))
	for i, s := range m.steps.steps {
		pl[i] = lifecycle.Step{Status: s.status, At: m.at(s)}
	}
	return pl
}

// setPlan stores pl, whose times are absolute; set Created first.
func (m *message) setPlan(pl lifecycle.Plan) { m.steps = shapeOf(m.Created, pl) }

// finalAt is when the message reaches its last status (Created when it has none).
func (m message) finalAt() time.Time {
	if m.steps == nil || len(m.steps.steps) == 0 {
		return m.Created
	}
	return m.at(m.steps.steps[len(m.steps.steps)-1])
}

func (m message) statusAt(t time.Time) string {
	if m.steps == nil || len(m.steps.steps) == 0 {
		return stQueued
	}
	// The status of the last step reached by t. A message read before its
	// creation instant (the clock was set back) is shown as it was created.
	st := m.steps.steps[0].status
	for _, s := range m.steps.steps {
		if m.at(s).After(t) {
			break
		}
		st = s.status
	}
	return st
}

// messageJSON is a message as snapshots and the --data-dir log write it.
type messageJSON struct {
	ID       int64          `json:"id"`
	Kind     string         `json:"kind"`
	Receptor string         `json:"receptor"`
	Sender   string         `json:"sender"`
	Text     string         `json:"text"`
	Date     int64          `json:"date"`
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

// AppendJSON writes m as messageJSON (store.JSONAppender): the outbox is the
// table a busy sandbox writes most, and the --data-dir log encodes each send.
// TestMessageAppendJSON holds it to encoding/json's reading of messageJSON.
func (m *message) AppendJSON(b []byte) ([]byte, error) {
	b = strconv.AppendInt(append(b, `{"id":`...), m.ID, 10)
	b = store.AppendJSONString(append(b, `,"kind":`...), m.Kind.String())
	b = store.AppendJSONString(append(b, `,"receptor":`...), m.Receptor)
	b = store.AppendJSONString(append(b, `,"sender":`...), m.Sender)
	b = store.AppendJSONString(append(b, `,"text":`...), m.Text)
	b = strconv.AppendInt(append(b, `,"date":`...), m.Date, 10)
	b, err := appendTime(append(b, `,"created":`...), m.Created)
	if err != nil {
		return nil, err
	}
	b = strconv.AppendInt(append(b, `,"cost":`...), m.Cost, 10)
	b = strconv.AppendInt(append(b, `,"parts":`...), int64(m.Parts), 10)
	if x := m.ext(); x != &noExtra {
		if x.Type != "" {
			b = store.AppendJSONString(append(b, `,"type":`...), x.Type)
		}
		if x.LocalID != "" {
			b = store.AppendJSONString(append(b, `,"localid":`...), x.LocalID)
		}
		if x.Template != "" {
			b = store.AppendJSONString(append(b, `,"template":`...), x.Template)
		}
		if len(x.Tokens) > 0 {
			b = append(b, `,"tokens":[`...)
			for i, tok := range x.Tokens {
				if i > 0 {
					b = append(b, ',')
				}
				b = store.AppendJSONString(b, tok)
			}
			b = append(b, ']')
		}
	}
	b = append(b, `,"plan":`...)
	if m.steps == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, st := range m.steps.steps {
			if i > 0 {
				b = append(b, ',')
			}
			b = store.AppendJSONString(append(b, `{"status":`...), st.status)
			if b, err = appendTime(append(b, `,"at":`...), m.at(st)); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(strconv.AppendBool(append(b, `,"refunded":`...), m.Refunded), '}'), nil
}

// appendTime writes t as time.Time's MarshalJSON does, refusing as it does a
// year JSON's RFC 3339 cannot hold.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("time %v: year outside of range [0,9999]", t)
	}
	b = append(b, '"')
	return append(t.AppendFormat(b, time.RFC3339Nano), '"'), nil
}

func (m message) MarshalJSON() ([]byte, error) { return m.AppendJSON(nil) }

func (m *message) UnmarshalJSON(b []byte) error {
	var w messageJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	k, ok := kindOf(w.Kind)
	if !ok {
		return fmt.Errorf("message %d: unknown kind %q", w.ID, w.Kind)
	}
	if w.Parts < 0 || w.Parts > maxText {
		return fmt.Errorf("message %d: parts %d out of range", w.ID, w.Parts)
	}
	*m = message{
		ID: w.ID, Kind: k, Receptor: intern(w.Receptor), Sender: intern(w.Sender), Text: w.Text, Date: w.Date,
		Created: w.Created, Cost: w.Cost, Parts: int32(w.Parts), Refunded: w.Refunded,
	}
	m.setExtra(w.Type, w.LocalID, w.Template, w.Tokens)
	m.setPlan(w.Plan)
	return nil
}

// intern returns s's canonical copy: numbers and sender lines recur across a
// test suite's messages, and the copy also lets go of the request body s may
// have been cut from.
func intern(s string) string { return unique.Make(s).Value() }

// messageTable is the outbox with the orders its reports read, so that a
// report costs the page it answers, not the key's whole history:
// latestoutbox walks insertion order backwards (bySender when it filters on a
// line), selectoutbox and countoutbox seek their date window in byDate, and the
// control plane walks byCreated backwards.
type messageTable struct {
	*store.Table[message]
	byDate    *store.Index[message] // Date, the send or scheduled time
	bySender  *store.Index[message] // sender line, then insertion order
	byCreated *store.Index[message] // creation instant, then insertion order
}

func newMessageTable(st *store.Store) messageTable {
	t := store.NewTable[message](st, "kavenegar.messages")
	return messageTable{
		Table:     t,
		byDate:    store.NewIndex(t, func(m message) string { return lifecycle.IntKey(m.Date) }),
		bySender:  store.NewIndex(t, func(m message) string { return m.Sender }),
		byCreated: store.NewIndex(t, func(m message) string { return lifecycle.TimeKey(m.Created, "") }),
	}
}

// dateWindow is the byDate range of dates from start to end, both included.
func dateWindow(start, end int64) store.Range {
	r := store.Range{From: lifecycle.IntKey(start)}
	if end < 1<<63-1 {
		r.To = lifecycle.IntKey(end + 1)
	}
	return r
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
