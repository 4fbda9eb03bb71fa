package kavenegar

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// statusEntry is one row of sms/status, sms/cancel and call/status.
type statusEntry struct {
	MessageID  int64  `json:"messageid"`
	Status     int    `json:"status"`
	StatusText string `json:"statustext"`
}

// localEntry is one row of sms/statuslocalmessageid. localid is a string because
// clients choose it.
type localEntry struct {
	MessageID  int64  `json:"messageid"`
	LocalID    string `json:"localid"`
	Status     int    `json:"status"`
	StatusText string `json:"statustext"`
}

func incorrect(id int64) statusEntry {
	return statusEntry{MessageID: id, Status: 100, StatusText: statusTexts[stIncorrect]}
}

// ids reads the messageid list: 400/406 when missing or empty, 414 above 500.
func ids(q params) ([]string, error) {
	if err := required(q, one("messageid")); err != nil {
		return nil, err
	}
	list := q.list("messageid")
	if len(list) > maxQuery {
		return nil, errCode("414")
	}
	return list, nil
}

// lookup finds one of the tenant's messages; an id that is not a number, unknown,
// or another key's answers status 100 (§4).
func (p *Provider) lookup(tenant, raw string) (message, int64, bool) {
	id, good := int64Of(raw)
	if !good {
		return message{}, 0, false
	}
	m, found := p.messages.Get(tenant, idKey(id))
	return m, id, found
}

func (p *Provider) smsStatus(c *api.Call) error {
	if _, _, err := p.begin(c); err != nil {
		return err
	}
	list, err := ids(readParams(c))
	if err != nil {
		return err
	}
	out := make([]statusEntry, len(list))
	for i, raw := range list {
		m, id, found := p.lookup(c.Tenant, raw)
		if !found {
			out[i] = incorrect(id)
			continue
		}
		st := m.statusAt(c.Now)
		out[i] = statusEntry{MessageID: m.ID, Status: atoi(st), StatusText: statusTexts[st]}
	}
	return ok(c, out)
}

func (p *Provider) smsStatusLocal(c *api.Call) error {
	if _, _, err := p.begin(c); err != nil {
		return err
	}
	q := readParams(c)
	if err := required(q, one("localid", "localmessageid", "localmessageids")); err != nil {
		return err
	}
	list := q.list("localid", "localmessageid", "localmessageids")
	if len(list) > maxQuery {
		return errCode("414")
	}
	out := make([]localEntry, len(list))
	for i, lid := range list {
		m, found := p.byLocalID(c.Tenant, lid)
		if !found {
			out[i] = localEntry{LocalID: lid, Status: 100, StatusText: statusTexts[stIncorrect]}
			continue
		}
		st := m.statusAt(c.Now)
		out[i] = localEntry{MessageID: m.ID, LocalID: lid, Status: atoi(st), StatusText: statusTexts[st]}
	}
	return ok(c, out)
}

func (p *Provider) smsSelect(c *api.Call) error {
	if err := p.beginReport(c); err != nil {
		return err
	}
	list, err := ids(readParams(c))
	if err != nil {
		return err
	}
	out := make([]entry, len(list))
	for i, raw := range list {
		m, id, found := p.lookup(c.Tenant, raw)
		if !found {
			out[i] = entry{MessageID: id, Status: 100, StatusText: statusTexts[stIncorrect]}
			continue
		}
		out[i] = m.entry(c.Now)
	}
	return ok(c, out)
}

// dateRange reads startdate (required) and enddate (Go SDK: endate; default now).
// A value that is not a Unix integer is 417, like a send date.
func dateRange(q params, now time.Time) (int64, int64, error) {
	if err := required(q, one("startdate")); err != nil {
		return 0, 0, err
	}
	start, good := int64Of(q.get("startdate"))
	if !good {
		return 0, 0, errCode("417")
	}
	end := now.Unix()
	if v := q.get("enddate", "endate"); v != "" {
		if end, good = int64Of(v); !good {
			return 0, 0, errCode("417")
		}
	}
	if end < start {
		return 0, 0, errCode("417")
	}
	return start, end, nil
}

func (p *Provider) smsSelectOutbox(c *api.Call) error {
	if err := p.beginReport(c); err != nil {
		return err
	}
	q := readParams(c)
	start, end, err := dateRange(q, c.Now)
	if err != nil {
		return err
	}
	sender := q.get("sender")
	// The window is sought by date; the answer keeps the order messages were
	// sent in, as it always has.
	var rows []store.Row[message]
	p.messages.byDate.Scan(c.Tenant, dateWindow(start, end), func(r store.Row[message]) bool {
		if sender == "" || r.Value.Sender == sender {
			rows = append(rows, r)
		}
		return true
	})
	slices.SortFunc(rows, func(a, b store.Row[message]) int { return cmp.Compare(a.Seq, b.Seq) })
	out := make([]entry, len(rows))
	for i, r := range rows {
		out[i] = r.Value.entry(c.Now)
	}
	return ok(c, out)
}

func (p *Provider) smsLatestOutbox(c *api.Call) error {
	if err := p.beginReport(c); err != nil {
		return err
	}
	q := readParams(c)
	size := 200
	if v := q.get("pagesize"); v != "" {
		n, good := strconv.Atoi(v)
		if good != nil || n < 1 {
			return errCode("422")
		}
		if n > maxQuery {
			return errCode("414")
		}
		size = n
	}
	sender := q.get("sender")
	out := []entry{}
	add := func(r store.Row[message]) bool {
		out = append(out, r.Value.entry(c.Now))
		return len(out) < size
	}
	// Newest first: insertion order backwards, or the line's own messages in it.
	if sender == "" {
		p.messages.Scan(c.Tenant, true, add)
	} else {
		p.messages.bySender.Scan(c.Tenant, store.Range{From: sender, To: sender + "\x00", Reverse: true}, add)
	}
	return ok(c, out)
}

// smsCancel stops messages still queued (1) or scheduled (2): they end 13 now and
// their cost is refunded. Any other message answers its current status and keeps
// its cost.
func (p *Provider) smsCancel() api.Op[[]string, []statusEntry] {
	return api.Op[[]string, []statusEntry]{Parse: p.parseCancel, Run: p.runCancel}
}

func (p *Provider) parseCancel(c *api.Call) ([]string, error) {
	if _, _, err := p.begin(c); err != nil {
		return nil, err
	}
	return ids(readParams(c))
}

func (p *Provider) runCancel(c *api.Call, list []string) ([]statusEntry, error) {
	// An in-doubt cancel that settles as failed never happened.
	apply := c.Decision.Commits()
	out := make([]statusEntry, len(list))
	for i, raw := range list {
		id, good := int64Of(raw)
		if !good {
			out[i] = incorrect(0)
			continue
		}
		var st string
		var refund int64
		err := p.messages.Update(c.Tenant, idKey(id), func(m *message) error {
			st = m.statusAt(c.Now)
			if !apply || (st != stQueued && st != stScheduled) {
				return errSkip
			}
			m.Plan = m.Plan.Truncate(c.Now, stCanceled)
			st = stCanceled
			if !m.Refunded {
				m.Refunded = true
				refund = m.Cost
			}
			return nil
		})
		if st == "" && err != nil {
			out[i] = incorrect(id)
			continue
		}
		if refund > 0 {
			p.credit(c.Tenant, refund)
		}
		out[i] = statusEntry{MessageID: id, Status: atoi(st), StatusText: statusTexts[st]}
	}
	return out, nil
}

// countEntry is one row of sms/countoutbox.
type countEntry struct {
	periodCount
	SumPart int   `json:"sumpart"`
	Cost    int64 `json:"cost"`
}

func (p *Provider) smsCountOutbox(c *api.Call) error {
	q, period, err := p.beginPeriod(c)
	if err != nil {
		return err
	}
	start, end := period.StartDate, period.EndDate
	status := q.get("status")
	if status != "" {
		var good bool
		if status, good = parseStatus(status); !good {
			return errCode("422")
		}
	}
	e := countEntry{periodCount: period}
	p.messages.byDate.Scan(c.Tenant, dateWindow(start, end), func(r store.Row[message]) bool {
		if m := r.Value; status == "" || m.statusAt(c.Now) == status {
			e.SumCount++
			e.SumPart += m.Parts
			e.Cost += m.Cost
		}
		return true
	})
	return ok(c, []countEntry{e})
}

// outboxView is a message as the control plane lists it.
type outboxView struct {
	MessageID  int64    `json:"messageid"`
	APIKey     string   `json:"apikey"`
	Kind       string   `json:"kind"`
	Receptor   string   `json:"receptor"`
	Sender     string   `json:"sender"`
	Message    string   `json:"message"`
	Status     int      `json:"status"`
	StatusText string   `json:"statustext"`
	Cost       int64    `json:"cost"`
	Parts      int      `json:"parts"`
	Date       int64    `json:"date"`
	LocalID    string   `json:"localid"`
	Template   string   `json:"template"`
	Tokens     []string `json:"tokens"`
	Refunded   bool     `json:"refunded"`
	created    time.Time
}

// recentMessages lists, newest first, up to limit (0: all) messages that keep
// accepts, of one key or of every key that has an account. Each key's messages
// are read newest first and only as far as the limit, so the control plane
// costs the page it shows, not the outbox behind it.
func (p *Provider) recentMessages(key string, limit int, keep func(*message) bool) []outboxView {
	keys := []string{key}
	if key == "" {
		keys = p.accounts.Tenants()
	}
	now := p.clock.Now()
	out := []outboxView{}
	for _, k := range keys {
		n := 0
		p.messages.byCreated.Scan(k, store.Range{Reverse: true}, func(r store.Row[message]) bool {
			m := r.Value
			if keep != nil && !keep(&m) {
				return true
			}
			st := m.statusAt(now)
			out = append(out, outboxView{
				MessageID: m.ID, APIKey: k, Kind: m.Kind, Receptor: m.Receptor, Sender: m.Sender, Message: m.Text,
				Cost: m.Cost, Parts: m.Parts, Date: m.Date, LocalID: m.LocalID, Template: m.Template,
				Tokens: append([]string{}, m.Tokens...), Refunded: m.Refunded, created: m.Created,
				Status: atoi(st), StatusText: statusTexts[st],
			})
			n++
			return limit <= 0 || n < limit
		})
	}
	if len(keys) > 1 {
		// Each key's list is already in this order; merge them (keys in name
		// order break ties).
		sort.SliceStable(out, func(i, j int) bool {
			if !out[i].created.Equal(out[j].created) {
				return out[i].created.After(out[j].created)
			}
			return out[i].MessageID > out[j].MessageID
		})
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// beginReport is begin for the outbox reports, which some accounts may not read.
func (p *Provider) beginReport(c *api.Call) error {
	_, prof, err := p.begin(c)
	if err != nil {
		return err
	}
	if prof.NoReportAccess {
		return errCode("407")
	}
	return nil
}
