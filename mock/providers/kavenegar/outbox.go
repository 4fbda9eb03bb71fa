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

// smsStatus answers sms/status and call/status: the ids are judged first, so a
// forced code meets a checked request.
func (p *Provider) smsStatus() api.Op[[]string, []statusEntry] {
	return api.Op[[]string, []statusEntry]{Parse: p.parseIDs, Run: p.runStatus}
}

// parseIDs opens a call that reads messages by id: the account's magic, then the
// messageid list.
func (p *Provider) parseIDs(c *api.Call) ([]string, error) {
	if _, _, err := p.begin(c); err != nil {
		return nil, err
	}
	return ids(readParams(c))
}

func (p *Provider) runStatus(c *api.Call, list []string) ([]statusEntry, error) {
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
	return out, nil
}

// smsStatusLocal answers sms/statuslocalmessageid.
func (p *Provider) smsStatusLocal() api.Op[[]string, []localEntry] {
	return api.Op[[]string, []localEntry]{Parse: p.parseLocalIDs, Run: p.runStatusLocal}
}

func (p *Provider) parseLocalIDs(c *api.Call) ([]string, error) {
	if _, _, err := p.begin(c); err != nil {
		return nil, err
	}
	q := readParams(c)
	if err := required(q, one("localid", "localmessageid", "localmessageids")); err != nil {
		return nil, err
	}
	list := q.list("localid", "localmessageid", "localmessageids")
	if len(list) > maxQuery {
		return nil, errCode("414")
	}
	return list, nil
}

func (p *Provider) runStatusLocal(c *api.Call, list []string) ([]localEntry, error) {
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
	return out, nil
}

// smsSelect answers sms/select: full message objects, for accounts with report
// access.
func (p *Provider) smsSelect() api.Op[[]string, []entry] {
	return api.Op[[]string, []entry]{Parse: func(c *api.Call) ([]string, error) {
		if err := p.beginReport(c); err != nil {
			return nil, err
		}
		return ids(readParams(c))
	}, Run: p.runSelect}
}

func (p *Provider) runSelect(c *api.Call, list []string) ([]entry, error) {
	out := make([]entry, len(list))
	for i, raw := range list {
		m, id, found := p.lookup(c.Tenant, raw)
		if !found {
			out[i] = entry{MessageID: id, Status: 100, StatusText: statusTexts[stIncorrect]}
			continue
		}
		out[i] = m.entry(c.Now)
	}
	return out, nil
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

// outboxQuery is sms/selectoutbox's and sms/latestoutbox's request: a date
// window (selectoutbox) or a page size (latestoutbox), and an optional line.
type outboxQuery struct {
	start, end int64
	size       int
	sender     string
}

// smsSelectOutbox answers the messages sent between two dates.
func (p *Provider) smsSelectOutbox() api.Op[outboxQuery, []entry] {
	return api.Op[outboxQuery, []entry]{Parse: p.parseSelectOutbox, Run: p.runSelectOutbox}
}

func (p *Provider) parseSelectOutbox(c *api.Call) (outboxQuery, error) {
	if err := p.beginReport(c); err != nil {
		return outboxQuery{}, err
	}
	q := readParams(c)
	start, end, err := dateRange(q, c.Now)
	if err != nil {
		return outboxQuery{}, err
	}
	return outboxQuery{start: start, end: end, sender: q.get("sender")}, nil
}

func (p *Provider) runSelectOutbox(c *api.Call, r outboxQuery) ([]entry, error) {
	// The window is sought by date; the answer keeps the order messages were
	// sent in, as it always has.
	var rows []store.Row[message]
	p.messages.byDate.Scan(c.Tenant, dateWindow(r.start, r.end), func(row store.Row[message]) bool {
		if r.sender == "" || row.Value.Sender == r.sender {
			rows = append(rows, row)
		}
		return true
	})
	slices.SortFunc(rows, func(a, b store.Row[message]) int { return cmp.Compare(a.Seq, b.Seq) })
	out := make([]entry, len(rows))
	for i, row := range rows {
		out[i] = row.Value.entry(c.Now)
	}
	return out, nil
}

// smsLatestOutbox answers the newest messages, at most pagesize (default 200).
func (p *Provider) smsLatestOutbox() api.Op[outboxQuery, []entry] {
	return api.Op[outboxQuery, []entry]{Parse: p.parseLatestOutbox, Run: p.runLatestOutbox}
}

func (p *Provider) parseLatestOutbox(c *api.Call) (outboxQuery, error) {
	if err := p.beginReport(c); err != nil {
		return outboxQuery{}, err
	}
	q := readParams(c)
	size := 200
	if v := q.get("pagesize"); v != "" {
		n, good := strconv.Atoi(v)
		if good != nil || n < 1 {
			return outboxQuery{}, errCode("422")
		}
		if n > maxQuery {
			return outboxQuery{}, errCode("414")
		}
		size = n
	}
	return outboxQuery{size: size, sender: q.get("sender")}, nil
}

func (p *Provider) runLatestOutbox(c *api.Call, r outboxQuery) ([]entry, error) {
	out := []entry{}
	add := func(row store.Row[message]) bool {
		out = append(out, row.Value.entry(c.Now))
		return len(out) < r.size
	}
	// Newest first: insertion order backwards, or the line's own messages in it.
	if r.sender == "" {
		p.messages.Scan(c.Tenant, true, add)
	} else {
		p.messages.bySender.Scan(c.Tenant, store.Range{From: r.sender, To: r.sender + "\x00", Reverse: true}, add)
	}
	return out, nil
}

// smsCancel stops messages still queued (1) or scheduled (2): they end 13 now and
// their cost is refunded. Any other message answers its current status and keeps
// its cost.
func (p *Provider) smsCancel() api.Op[[]string, []statusEntry] {
	return api.Op[[]string, []statusEntry]{Parse: p.parseIDs, Run: p.runCancel}
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
			m.setPlan(m.Plan().Truncate(c.Now, stCanceled))
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

// smsCountOutbox counts the messages sent in a window, their parts and cost,
// optionally of one status.
func (p *Provider) smsCountOutbox() api.Op[countQuery, []countEntry] {
	return api.Op[countQuery, []countEntry]{Parse: p.parseCountOutbox, Run: p.runCountOutbox}
}

func (p *Provider) parseCountOutbox(c *api.Call) (countQuery, error) {
	r, err := p.parsePeriod(c)
	if err != nil {
		return countQuery{}, err
	}
	if v := r.q.get("status"); v != "" {
		var good bool
		if r.status, good = parseStatus(v); !good {
			return countQuery{}, errCode("422")
		}
	}
	return r, nil
}

func (p *Provider) runCountOutbox(c *api.Call, r countQuery) ([]countEntry, error) {
	e := countEntry{periodCount: r.period}
	p.messages.byDate.Scan(c.Tenant, dateWindow(r.period.StartDate, r.period.EndDate), func(row store.Row[message]) bool {
		if m := row.Value; r.status == "" || m.statusAt(c.Now) == r.status {
			e.SumCount++
			e.SumPart += int(m.Parts)
			e.Cost += m.Cost
		}
		return true
	})
	return []countEntry{e}, nil
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
				MessageID: m.ID, APIKey: k, Kind: m.Kind.String(), Receptor: m.Receptor, Sender: m.Sender, Message: m.Text,
				Cost: m.Cost, Parts: int(m.Parts), Date: m.Date, LocalID: m.LocalID(), Template: m.Template(),
				Tokens: append([]string{}, m.Tokens()...), Refunded: m.Refunded, created: m.Created,
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
