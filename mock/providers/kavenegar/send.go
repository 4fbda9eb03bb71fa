package kavenegar

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Per-call limits (§3, 414).
const (
	maxSend  = 200
	maxQuery = 500
	// maxPostal bounds one sendbypostalcode call; the real limit is not published.
	maxPostal = 5000
	// pastSkew is how far in the past a `date` may be before it is 417: clients
	// that compute "now" themselves must not fail on a second of clock drift.
	pastSkew = time.Minute
)

// outgoing is one message a call asks to send, after validation.
type outgoing struct {
	kind     kind
	receptor string
	sender   string
	text     string
	typ      string
	localID  string
	template string
	tokens   []string
	parts    int
	cost     int64
}

// required answers 400 for a parameter that was not sent at all and 406 for one
// sent empty, checking names in order. A name list inside one slot is aliases.
func required(q params, names ...[]string) error {
	for _, alias := range names {
		if !q.has(alias...) {
			return errCode("400")
		}
		if q.get(alias...) == "" {
			return errCode("406")
		}
	}
	return nil
}

func one(names ...string) []string { return names }

// checkText validates a message text in Kavenegar's order: 413, 422, 420.
func checkText(text string, prof Profile) error {
	if strings.TrimSpace(text) == "" || utf8.RuneCountInString(text) > maxText {
		return errCode("413")
	}
	if badChars(text) {
		return errCode("422")
	}
	if prof.LinkRestricted && hasLink(text) {
		return errCode("420")
	}
	return nil
}

// senderOf picks and checks the sending line: empty means the account's default
// line; a line the account does not have is 412, a restricted one 427.
func senderOf(v string, a account, prof Profile) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		v = a.Config.DefaultSender
	}
	if !contains(a.Lines, v) {
		return "", errCode("412")
	}
	if contains(prof.RestrictedLines, v) {
		return "", errCode("427")
	}
	return v, nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// scheduleAt reads `date`: absent, empty or 0 (what .NET sends when unset) is now;
// anything but a Unix integer, a time in the past, or one past the sandbox
// clock's range (clock.Latest: later times cannot be written to a snapshot) is 417.
// goZeroTime is time.Time{}.Unix(): the Go SDK's SendPostalCode always sends a
// date, so an unset one arrives as this and means "now", as .NET's 0 does.
const goZeroTime = "-62135596800"

func scheduleAt(q params, now time.Time) (time.Time, error) {
	v := q.get("date")
	if v == "" || v == "0" || v == goZeroTime {
		return now, nil
	}
	n, good := int64Of(v)
	if !good || n < 0 {
		return time.Time{}, errCode("417")
	}
	at := time.Unix(n, 0).In(now.Location())
	if at.Before(now.Add(-pastSkew)) || at.After(clock.Latest) {
		return time.Time{}, errCode("417")
	}
	if at.Before(now) {
		return now, nil
	}
	return at, nil
}

// receptors normalises a receptor list; one bad number fails the whole call (411),
// so a call is never half sent.
func receptors(list []string) ([]string, error) {
	if len(list) == 0 {
		return nil, errCode("411")
	}
	out := make([]string, len(list))
	for i, r := range list {
		n, good := normalizeMobile(r)
		if !good {
			return nil, errCode("411")
		}
		out[i] = n
	}
	return out, nil
}

// testOnly enforces 501 on test accounts.
func testOnly(prof Profile, numbers []string) error {
	if !prof.Test {
		return nil
	}
	owner, _ := normalizeMobile(prof.Owner)
	for _, n := range numbers {
		if n != owner {
			return errCode("501")
		}
	}
	return nil
}

// price fills parts and cost of an SMS by its text.
func (p *Provider) price(o *outgoing) {
	parts, uni := segments(o.text)
	o.parts = parts
	if uni {
		o.cost = int64(parts) * p.cfg.persianPart
	} else {
		o.cost = int64(parts) * p.cfg.latinPart
	}
}

var errInsufficient = errors.New("insufficient credit")

// deliver charges the account for every message of the call at once (418 when it
// cannot pay for all: no partial sends) and stores the messages with their plans.
func (p *Provider) deliver(c *api.Call, items []outgoing, at time.Time) ([]message, error) {
	var total int64
	for _, it := range items {
		total += it.cost
	}
	err := p.accounts.Update(c.Tenant, accountRow, func(a *account) error {
		if a.Credit < total {
			return errInsufficient
		}
		a.Credit -= total
		return nil
	})
	switch {
	case errors.Is(err, errInsufficient):
		return nil, errCode("418")
	case errors.Is(err, store.ErrNotFound):
		return nil, errCode("409")
	case err != nil:
		return nil, &envelope.Error{Kind: envelope.KindInternal, Cause: err}
	}
	out := make([]message, len(items))
	for i, it := range items {
		plan, refundAt := p.plan(c, it, at)
		date := at
		if date.Before(c.Now) {
			date = c.Now
		}
		m := message{
			ID: p.nextID(c.Tenant), Kind: it.kind, Receptor: intern(it.receptor), Sender: intern(it.sender),
			Text: strings.Clone(it.text), Date: date.Unix(), Created: c.Now, Cost: it.cost, Parts: int32(it.parts),
		}
		m.setExtra(it.typ, it.localID, it.template, it.tokens)
		m.setPlan(plan)
		p.messages.Insert(c.Tenant, idKey(m.ID), m)
		if !refundAt.IsZero() {
			p.refunds.Put(c.Tenant, idKey(m.ID), refund{At: refundAt})
		}
		if lid := m.LocalID(); lid != "" {
			p.localIDs.Put(c.Tenant, lid, m.ID)
		}
		out[i] = m
	}
	return out, nil
}

// plan decides a message's statuses at creation; it returns when its cost falls
// due for refund (zero for never).
func (p *Provider) plan(c *api.Call, it outgoing, at time.Time) (lifecycle.Plan, time.Time) {
	if tl := c.Decision.Timeline(); len(tl) > 0 {
		pl, err := lifecycle.Build(c.Now, tl, nil)
		if err == nil {
			return pl, refundTime(pl)
		}
		c.Response().Header().Set("X-Sandbank-Error", "kavenegar: timeline: "+err.Error())
	}
	first := stQueued
	if it.kind == kindLookup {
		// The README's lookup sample is already "sent to telecom" in the reply.
		first = stSent
	}
	var pl lifecycle.Plan
	start := c.Now
	if at.After(c.Now) {
		pl = append(pl, lifecycle.Step{Status: stScheduled, At: c.Now})
		start = at
	}
	if !c.Decision.Commits() {
		failAt := c.Now.Add(c.Decision.Settle.After)
		if failAt.Before(start) {
			failAt = start
		}
		pl = append(pl, lifecycle.Step{Status: first, At: start}, lifecycle.Step{Status: stFailed, At: failAt})
		return pl, failAt
	}
	final := stDelivered
	if mr, found := p.cfg.receptors[it.receptor]; found {
		final = mr.Final
	}
	toTelecom := start.Add(p.cfg.toTelecom)
	finalAt := start.Add(p.cfg.final)
	if finalAt.Before(toTelecom) {
		finalAt = toTelecom
	}
	pl = append(pl, lifecycle.Step{Status: first, At: start})
	if final == stFailed {
		pl = append(pl, lifecycle.Step{Status: stFailed, At: toTelecom})
		return pl, time.Time{}
	}
	if first != stSent {
		pl = append(pl, lifecycle.Step{Status: stSent, At: toTelecom})
	}
	pl = append(pl, lifecycle.Step{Status: final, At: finalAt})
	return pl, refundTime(pl)
}

func refundTime(pl lifecycle.Plan) time.Time {
	for _, s := range pl {
		if refunds(s.Status) {
			return s.At
		}
	}
	return time.Time{}
}

func entries(ms []message, now time.Time) []entry {
	out := make([]entry, len(ms))
	for i, m := range ms {
		out[i] = m.entry(now)
	}
	return out
}

func (p *Provider) smsSend(c *api.Call) (batch, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return batch{}, err
	}
	q := readParams(c)
	nums, text, err := broadcast(q, prof)
	if err != nil {
		return batch{}, err
	}
	sender, err := senderOf(q.get("sender"), acct, prof)
	if err != nil {
		return batch{}, err
	}
	at, err := scheduleFor(q, c, prof, nums)
	if err != nil {
		return batch{}, err
	}
	localIDs := q.list("localid", "localmessageids", "localmessageid")
	types := q.list("type")
	items := make([]outgoing, len(nums))
	for i, n := range nums {
		items[i] = outgoing{kind: kindSMS, receptor: n, sender: sender, text: text, typ: pick(types, i), localID: aligned(localIDs, i)}
		p.price(&items[i])
	}
	return batch{items: items, at: at}, nil
}

// send delivers items and answers their entries in receptor order. An item whose
// localid was used before sends nothing and answers the earlier message, so a
// client retrying after a lost reply never sends twice.
// batch is a send operation's request once judged: the messages and when.
// lookup marks verify/lookup, which sends its one message without the
// localid check and may answer it as an object.
type batch struct {
	items  []outgoing
	at     time.Time
	lookup bool
}

// sends is the Op of every operation that sends messages: Parse judges the
// request in Kavenegar's order (account, fields, texts, lines, schedule), the
// engine applies a forced code, and only then is credit taken.
func (p *Provider) sends(parse func(c *api.Call) (batch, error)) api.Op[batch, any] {
	return api.Op[batch, any]{Parse: parse, Run: p.sendBatch}
}

func (p *Provider) sendBatch(c *api.Call, b batch) (any, error) {
	if b.lookup {
		sent, err := p.deliver(c, b.items, b.at)
		if err != nil {
			return nil, err
		}
		if p.cfg.lookupObject {
			return sent[0].entry(c.Now), nil
		}
		return entries(sent, c.Now), nil
	}
	return p.send(c, b.items, b.at)
}

func (p *Provider) send(c *api.Call, items []outgoing, at time.Time) (any, error) {
	fresh := make([]outgoing, 0, len(items))
	known := map[int]message{}
	for i, it := range items {
		if m, found := p.byLocalID(c.Tenant, it.localID); found {
			known[i] = m
			continue
		}
		fresh = append(fresh, it)
	}
	sent, err := p.deliver(c, fresh, at)
	if err != nil {
		return nil, err
	}
	return entries(merge(known, sent, len(items)), c.Now), nil
}

// broadcast reads a send of one text to a receptor list, in Kavenegar's order:
// receptor and message present (400/406), at most maxSend valid receptors
// (414/411), then the text itself (413, 422, 420).
func broadcast(q params, prof Profile) ([]string, string, error) {
	if err := required(q, one("receptor"), one("message")); err != nil {
		return nil, "", err
	}
	nums, err := receptorsWithin(q.list("receptor"))
	if err != nil {
		return nil, "", err
	}
	text := q.raw("message")
	if err := checkText(text, prof); err != nil {
		return nil, "", err
	}
	return nums, text, nil
}

// scheduleFor is the last check of every send before money moves: the send time
// (417), then whether a test account may reach these numbers (501).
func scheduleFor(q params, c *api.Call, prof Profile, nums []string) (time.Time, error) {
	at, err := scheduleAt(q, c.Now)
	if err != nil {
		return time.Time{}, err
	}
	return at, testOnly(prof, nums)
}

// receptorsWithin reads the receptor list of a send: at most maxSend numbers (414),
// each a valid mobile (411).
func receptorsWithin(list []string) ([]string, error) {
	if len(list) > maxSend {
		return nil, errCode("414")
	}
	return receptors(list)
}

// merge puts earlier messages (repeated localids) and new ones back in receptor
// order: known holds the earlier message at its index, new ones fill the gaps.
func merge(known map[int]message, sent []message, n int) []message {
	if len(known) == 0 {
		return sent
	}
	out := make([]message, 0, n)
	for i := 0; i < n; i++ {
		if m, found := known[i]; found {
			out = append(out, m)
			continue
		}
		out = append(out, sent[0])
		sent = sent[1:]
	}
	return out
}

// aligned is the i-th item of a list aligned with the receptors, or "".
func aligned(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// pick is the i-th item of a list aligned with the receptors; a single item applies
// to all.
func pick(list []string, i int) string {
	switch {
	case len(list) == 1:
		return list[0]
	case i < len(list):
		return list[i]
	}
	return ""
}

func (p *Provider) byLocalID(tenant, localID string) (message, bool) {
	if localID == "" {
		return message{}, false
	}
	id, found := p.localIDs.Get(tenant, localID)
	if !found {
		return message{}, false
	}
	return p.messages.Get(tenant, idKey(id))
}

func (p *Provider) smsSendArray(c *api.Call) (batch, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return batch{}, err
	}
	q := readParams(c)
	if err := required(q, one("receptor"), one("message")); err != nil {
		return batch{}, err
	}
	list := q.list("receptor")
	texts, _ := q.textList("message")
	senders := q.list("sender")
	// The reference (https://kavenegar.com/rest.html#sms-sendarray): receptor,
	// sender and message are arrays of equal length, else 419. A sender absent
	// altogether takes the account's default line for every message.
	if len(list) != len(texts) || (len(senders) > 0 && len(senders) != len(list)) {
		return batch{}, errCode("419")
	}
	nums, err := receptorsWithin(list)
	if err != nil {
		return batch{}, err
	}
	for _, t := range texts {
		if err := checkText(t, prof); err != nil {
			return batch{}, err
		}
	}
	lines := make([]string, len(nums))
	for i := range nums {
		if lines[i], err = senderOf(pick(senders, i), acct, prof); err != nil {
			return batch{}, err
		}
	}
	at, err := scheduleFor(q, c, prof, nums)
	if err != nil {
		return batch{}, err
	}
	localIDs := q.list("localmessageids", "localmessageid", "localid")
	types := q.list("type")
	items := make([]outgoing, len(nums))
	for i, n := range nums {
		items[i] = outgoing{kind: kindSMS, receptor: n, sender: lines[i], text: texts[i], typ: pick(types, i), localID: aligned(localIDs, i)}
		p.price(&items[i])
	}
	return batch{items: items, at: at}, nil
}
