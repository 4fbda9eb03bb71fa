package kavenegar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/fake"
)

// inbound is one received message.
type inbound struct {
	ID       int64  `json:"messageid"`
	Text     string `json:"message"`
	Sender   string `json:"sender"`
	Receptor string `json:"receptor"` // the account's line
	Date     int64  `json:"date"`
	Read     bool   `json:"read"`
}

// receiveEntry is one row of sms/receive.
type receiveEntry struct {
	MessageID int64  `json:"messageid"`
	Message   string `json:"message"`
	Sender    string `json:"sender"`
	Receptor  string `json:"receptor"`
	Date      int64  `json:"date"`
}

// inboxTexts are what customers text back; gofakeit has no Persian, so it only
// chooses among them.
var inboxTexts = []string{
	"سلام، پیامک شما دریافت شد",
	"لغو ۱۱",
	"لطفا با من تماس بگیرید",
	"ممنون",
	"کد تخفیف را چطور استفاده کنم؟",
	"STOP",
	"بله",
	"خیر",
	"Hi, please call me back",
	"آدرس شعبه کجاست؟",
}

// seedInbox fills a new account's inbox from the seed and the key, so the same seed
// always shows the same inbox whatever else has happened.
func (p *Provider) seedInbox(tenant string, a account) {
	n := 0
	for li, line := range a.Lines {
		for i := 0; i < p.cfg.inboxPerLine; i++ {
			f := gofakeit.New(int64(fake.Hash(p.seed, "inbox", tenant, line, strconv.Itoa(i)) >> 1))
			id := int64(300_000_000 + fake.Hash(p.seed, "inboxid", tenant)%100_000_000 + uint64(n))
			n++
			m := inbound{
				ID:       id,
				Text:     inboxTexts[f.Number(0, len(inboxTexts)-1)],
				Sender:   f.Numerify("0912#######"),
				Receptor: line,
				Date:     a.Created.Add(-time.Duration(li*p.cfg.inboxPerLine+i+1) * 37 * time.Minute).Unix(),
			}
			p.inbox.Insert(tenant, idKey(m.ID), m)
		}
	}
}

// readFlag reads isread: "1" read, anything else unread. The Go SDK sends the
// inverse of what its caller asked; the server cannot tell, so it takes the value
// as sent.
func readFlag(q params) (bool, bool) {
	v := q.get("isread")
	if v == "" {
		return false, false
	}
	return v == "1" || strings.EqualFold(v, "true"), true
}

// receiveQuery is sms/receive's request: a line of the account and the read
// flag.
type receiveQuery struct {
	line string
	read bool
}

// smsReceive lists a line's inbound messages and marks the unread ones read.
func (p *Provider) smsReceive() api.Op[receiveQuery, []receiveEntry] {
	return api.Op[receiveQuery, []receiveEntry]{Parse: p.parseReceive, Run: p.runReceive}
}

func (p *Provider) parseReceive(c *api.Call) (receiveQuery, error) {
	acct, _, err := p.begin(c)
	if err != nil {
		return receiveQuery{}, err
	}
	q := readParams(c)
	if err := required(q, one("linenumber")); err != nil {
		return receiveQuery{}, err
	}
	line := q.get("linenumber")
	if !contains(acct.Lines, line) {
		return receiveQuery{}, errCode("412")
	}
	read, _ := readFlag(q)
	return receiveQuery{line: line, read: read}, nil
}

func (p *Provider) runReceive(c *api.Call, r receiveQuery) ([]receiveEntry, error) {
	out := []receiveEntry{}
	for _, it := range p.inbox.List(c.Tenant) {
		m := it.Value
		if m.Receptor != r.line || m.Read != r.read {
			continue
		}
		out = append(out, receiveEntry{MessageID: m.ID, Message: m.Text, Sender: m.Sender, Receptor: m.Receptor, Date: m.Date})
		if !m.Read {
			_ = p.inbox.Update(c.Tenant, it.ID, func(v *inbound) error { v.Read = true; return nil })
		}
	}
	return out, nil
}

// periodCount is one row of sms/countinbox; sms/countoutbox adds parts and cost.
type periodCount struct {
	StartDate int64 `json:"startdate"`
	EndDate   int64 `json:"enddate"`
	SumCount  int   `json:"sumcount"`
}

// countQuery is a count call's request: the window, the rest of the
// parameters, and (countoutbox) the status asked for.
type countQuery struct {
	q      params
	period periodCount
	status string
}

// parsePeriod opens a count call: the account's magic, then startdate/enddate.
func (p *Provider) parsePeriod(c *api.Call) (countQuery, error) {
	if _, _, err := p.begin(c); err != nil {
		return countQuery{}, err
	}
	q := readParams(c)
	start, end, err := dateRange(q, c.Now)
	if err != nil {
		return countQuery{}, err
	}
	return countQuery{q: q, period: periodCount{StartDate: start, EndDate: end}}, nil
}

// smsCountInbox counts the inbound messages in a window, optionally of one line
// and read state.
func (p *Provider) smsCountInbox() api.Op[countQuery, []periodCount] {
	return api.Op[countQuery, []periodCount]{Parse: p.parsePeriod, Run: p.runCountInbox}
}

func (p *Provider) runCountInbox(c *api.Call, r countQuery) ([]periodCount, error) {
	e := r.period
	line := r.q.get("linenumber")
	read, filter := readFlag(r.q)
	for _, it := range p.inbox.List(c.Tenant) {
		m := it.Value
		if m.Date < e.StartDate || m.Date > e.EndDate || (line != "" && m.Receptor != line) || (filter && m.Read != read) {
			continue
		}
		e.SumCount++
	}
	return []periodCount{e}, nil
}

// postalEntry is one row of sms/countpostalcode.
type postalEntry struct {
	Section string `json:"section"`
	Value   int    `json:"value"`
}

// postalCode checks a postal code: 1 to 10 digits (a prefix selects an area).
func postalCode(q params) (string, error) {
	if err := required(q, one("postalcode")); err != nil {
		return "", err
	}
	v := q.get("postalcode")
	if len(v) > 10 {
		return "", errCode("411")
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return "", errCode("411")
		}
	}
	return v, nil
}

// operators are the sections of a postal code, each with the prefix its fake
// numbers get.
var operators = []struct{ section, prefix string }{{"MCI", "0912"}, {"MTN", "0935"}}

// postalCounts are how many numbers of each operator a postal code has, from the
// seed.
func (p *Provider) postalCounts(code string) []postalEntry {
	out := make([]postalEntry, len(operators))
	for i, op := range operators {
		out[i] = postalEntry{Section: op.section, Value: 500 + int(fake.Hash(p.seed, "postal", code, op.section)%20_000)}
	}
	return out
}

// postalNumber is the index-th number of an operator in a postal code.
func (p *Provider) postalNumber(code string, op int, index int) string {
	return fmt.Sprintf("%s%07d", operators[op].prefix, fake.Hash(p.seed, "postalnum", code, operators[op].section, strconv.Itoa(index))%10_000_000)
}

// smsCountPostalCode answers how many numbers of each operator a postal code
// has.
func (p *Provider) smsCountPostalCode() api.Op[string, []postalEntry] {
	return api.Op[string, []postalEntry]{
		Parse: func(c *api.Call) (string, error) {
			if _, _, err := p.begin(c); err != nil {
				return "", err
			}
			return postalCode(readParams(c))
		},
		Run: func(_ *api.Call, code string) ([]postalEntry, error) { return p.postalCounts(code), nil },
	}
}

func (p *Provider) smsSendByPostalCode(c *api.Call) (batch, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return batch{}, err
	}
	q := readParams(c)
	code, err := postalCode(q)
	if err != nil {
		return batch{}, err
	}
	if err := required(q, one("message")); err != nil {
		return batch{}, err
	}
	text := q.raw("message")
	if err := checkText(text, prof); err != nil {
		return batch{}, err
	}
	sender, err := senderOf(q.get("sender"), acct, prof)
	if err != nil {
		return batch{}, err
	}
	counts := p.postalCounts(code)
	names := [][2][]string{
		{{"mcistartindex", "mcistartind"}, {"mcicount"}},
		{{"mtnstartindex", "mtnstartind"}, {"mtncount"}},
	}
	type span struct{ from, n int }
	spans := make([]span, len(operators))
	total := 0
	for i, nm := range names {
		from, n := 0, 0
		if v := q.get(nm[0]...); v != "" {
			x, good := int64Of(v)
			if !good || x < 0 {
				return batch{}, errCode("422")
			}
			if x > int64(counts[i].Value) {
				return batch{}, errCode("415")
			}
			from = int(x)
		}
		if v := q.get(nm[1]...); v != "" {
			x, good := int64Of(v)
			if !good || x < 0 {
				return batch{}, errCode("422")
			}
			n = int(min(x, int64(counts[i].Value-from)))
		}
		spans[i] = span{from, n}
		total += n
	}
	if total == 0 {
		return batch{}, errCode("400")
	}
	if total > maxPostal {
		return batch{}, errCode("414")
	}
	items := make([]outgoing, 0, total)
	nums := make([]string, 0, total)
	for op, s := range spans {
		for i := s.from; i < s.from+s.n; i++ {
			it := outgoing{kind: kindPostal, receptor: p.postalNumber(code, op, i), sender: sender, text: text}
			p.price(&it)
			items = append(items, it)
			nums = append(nums, it.receptor)
		}
	}
	at, err := scheduleFor(q, c, prof, nums)
	if err != nil {
		return batch{}, err
	}
	return batch{items: items, at: at}, nil
}
