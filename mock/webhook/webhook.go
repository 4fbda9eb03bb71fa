// Package webhook delivers the callbacks providers send to their clients
// (settlement, refund and withdrawal notices to a notify_url). A delivery is due at
// a virtual time and goes out when the app's clock reaches it, so a test advances
// the clock instead of waiting. Sending happens off the request path, on a small
// pool of goroutines: a slow, failing or unreachable receiver never holds up a
// request or a clock move, each attempt is bounded in time, and a failed attempt is
// retried on the virtual clock with backoff up to a limit. Every attempt is written
// to the journal with direction "out".
package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// Delivery is what a provider asks to send.
type Delivery struct {
	Provider string // "vandar"
	Tenant   string // whose delivery it is: listed, filtered and reset by it
	// Operation labels the delivery's attempts in the journal
	// ("vandar.settlementNotify"); empty means "<provider>.webhook".
	Operation   string
	Method      string // empty means POST
	URL         string // absolute http or https URL
	Body        []byte // sent as given: the provider encodes form or JSON itself
	ContentType string // "application/json", "application/x-www-form-urlencoded"
	Headers     http.Header
	// Due is the virtual time the delivery goes out; zero or past means at once.
	Due time.Time
	// Sign, when set, is called on every attempt with the outgoing request and its
	// body, after Headers and Content-Type are set, to add the provider's signature
	// (Vandar's HMAC X-Vandar-Signature). It runs on a sender goroutine.
	Sign func(req *http.Request, body []byte)
}

// Status is where a delivery stands.
type Status string

// A delivery is scheduled (due later), queued (due, waiting for a sender),
// sending, retrying (an attempt failed; the next is scheduled), and ends
// delivered (a 2xx answer) or failed (an answer that is not worth repeating, or
// the retry limit reached).
const (
	Scheduled Status = "scheduled"
	Queued    Status = "queued"
	Sending   Status = "sending"
	Retrying  Status = "retrying"
	Delivered Status = "delivered"
	Failed    Status = "failed"
)

func (s Status) valid() bool {
	switch s {
	case Scheduled, Queued, Sending, Retrying, Delivered, Failed:
		return true
	}
	return false
}

// Attempt is one try at a delivery.
type Attempt struct {
	N         int       `json:"n"`
	At        time.Time `json:"at"`                // virtual time it was sent
	Status    int       `json:"status"`            // receiver's HTTP status; 0 when none came
	Error     string    `json:"error,omitempty"`   // network error or timeout
	LatencyMS float64   `json:"latency_ms"`        // wall time from send to answer
	JournalID int64     `json:"journal,omitempty"` // the journal entry of this attempt
}

// Record is a delivery as the control plane shows it.
type Record struct {
	ID          string       `json:"id"`
	Provider    string       `json:"provider"`
	Tenant      string       `json:"tenant"`
	Operation   string       `json:"operation"`
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	ContentType string       `json:"content_type,omitempty"`
	Headers     http.Header  `json:"headers,omitempty"`
	Body        journal.Body `json:"body"`
	Created     time.Time    `json:"created"` // virtual time Send was called
	Due         time.Time    `json:"due"`
	Status      Status       `json:"status"`
	NextAt      *time.Time   `json:"next_at,omitempty"` // when scheduled or retrying: the next attempt's virtual time
	Attempts    []Attempt    `json:"attempts"`
}

// Config sets a Sender up. Clock and Scheduler are required.
type Config struct {
	Clock     clock.Clock
	Scheduler *lifecycle.Scheduler // the app's clock-driven scheduler: due and retry times live on it
	Journal   *journal.Journal     // nil or off: attempts are only kept on the delivery
	Client    *http.Client         // nil: a client of its own that does not follow redirects
	Log       *slog.Logger
	// Timeout bounds one attempt, connection to last body byte (wall time);
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// Backoff is the virtual-time wait before each retry; its length is the retry
	// limit. Nil means DefaultBackoff; an empty non-nil slice means no retries.
	Backoff []time.Duration
	// Workers is how many deliveries are sent at once; 0 means DefaultWorkers.
	Workers int
	// Keep is how many deliveries are held, oldest dropped first; 0 means DefaultKeep.
	Keep int
	// Observe, when set, is told of every attempt as it ends, before it is
	// journaled (the app counts them for /metrics). It must not block.
	Observe func(provider string, a Attempt)
}

// Defaults for Config's zero fields.
const (
	DefaultTimeout = 5 * time.Second
	DefaultWorkers = 4
	DefaultKeep    = 1000
	// maxAnswer is how much of a receiver's answer is kept for the journal; the
	// rest is read and dropped so the connection can be reused.
	maxAnswer = 64 << 10
	maxDrain  = 1 << 20
)

// DefaultBackoff is the retry schedule: after 1 minute, 5 minutes, 30 minutes,
// 2 hours and 6 hours of virtual time, then the delivery has failed.
var DefaultBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// Errors Send and Resend return.
var (
	ErrOff        = errors.New("webhook: no sender configured")
	ErrBadRequest = errors.New("webhook: want an absolute http or https URL and a valid method")
	ErrNotFound   = errors.New("webhook: no such delivery")
	ErrBusy       = errors.New("webhook: the delivery is being sent")
)

// Sender schedules, sends, retries and remembers deliveries. It is safe for
// concurrent use.
type Sender struct {
	clock   clock.Clock
	sched   *lifecycle.Scheduler
	journal *journal.Journal
	client  *http.Client
	log     *slog.Logger
	timeout time.Duration
	backoff []time.Duration
	workers int
	keep    int
	observe func(provider string, a Attempt)

	ctx    context.Context // cancelled by Close: aborts attempts in flight
	cancel context.CancelFunc

	mu      sync.Mutex
	seq     uint64
	byID    map[string]*entry
	order   []string // ids, oldest first, for the Keep cap and listing
	queue   []*entry // due, waiting for a worker
	running int      // workers alive
	idle    *sync.Cond
}

type entry struct {
	d        Delivery
	id       string
	created  time.Time
	status   Status
	next     time.Time // scheduled attempt, when status is Scheduled or Retrying
	retries  int       // retries used since Send or the last Resend
	attempts []Attempt
	gone     bool // dropped (Keep cap, reset) while a worker held it
}

// New returns a Sender. It starts no goroutine until a delivery is due.
func New(cfg Config) *Sender {
	if cfg.Clock == nil || cfg.Scheduler == nil {
		panic("webhook: New needs a Clock and a Scheduler")
	}
	s := &Sender{
		clock: cfg.Clock, sched: cfg.Scheduler, journal: cfg.Journal, client: cfg.Client, log: cfg.Log,
		timeout: cfg.Timeout, backoff: cfg.Backoff, workers: cfg.Workers, keep: cfg.Keep, observe: cfg.Observe,
		byID: map[string]*entry{},
	}
	if s.client == nil {
		// A webhook sender reports a redirect rather than following it: the
		// receiver's URL is wrong, and the user should see that.
		s.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.backoff == nil {
		s.backoff = DefaultBackoff
	}
	if s.workers <= 0 {
		s.workers = DefaultWorkers
	}
	if s.keep <= 0 {
		s.keep = DefaultKeep
	}
	s.idle = sync.NewCond(&s.mu)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Send accepts d and returns its id ("wh_1", "wh_2", …; never reused). It never
// blocks on the network: the delivery is scheduled for d.Due, or queued for a
// sender goroutine when it is already due.
func (s *Sender) Send(d Delivery) (string, error) {
	if s == nil {
		return "", ErrOff
	}
	if d.Method == "" {
		d.Method = http.MethodPost
	}
	// Building the request once checks the URL and the method here, where the
	// provider can report it, rather than on every attempt.
	req, err := http.NewRequest(d.Method, d.URL, nil)
	if err != nil || (req.URL.Scheme != "http" && req.URL.Scheme != "https") || req.URL.Host == "" {
		return "", fmt.Errorf("%w: %s %q", ErrBadRequest, d.Method, d.URL)
	}
	if d.Operation == "" {
		d.Operation = d.Provider + ".webhook"
	}
	d.Body = slices.Clone(d.Body)
	d.Headers = d.Headers.Clone()
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	e := &entry{d: d, id: "wh_" + strconv.FormatUint(s.seq, 10), created: now}
	s.byID[e.id] = e
	s.order = append(s.order, e.id)
	if over := len(s.order) - s.keep; over > 0 {
		for _, id := range s.order[:over] {
			s.forgetLocked(id)
		}
		// Reslicing, not shifting: append reallocates once the front is used up,
		// so a full sender pays O(1) per Send rather than O(Keep).
		clear(s.order[:over])
		s.order = s.order[over:]
	}
	s.planLocked(e, d.Due, now, Scheduled)
	return e.id, nil
}

// planLocked queues e when at is not after now, and otherwise puts it on the
// scheduler with status st.
func (s *Sender) planLocked(e *entry, at, now time.Time, st Status) {
	if !at.After(now) {
		e.next = time.Time{}
		s.enqueueLocked(e)
		return
	}
	e.status, e.next = st, at
	// The callback only queues: the scheduler runs it inside a request or a clock
	// move, which must not wait for the network.
	s.sched.Add(key(e.id), at, func(time.Time) { s.due(e) })
}

func key(id string) string { return "webhook:" + id }

func (s *Sender) due(e *entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.gone || (e.status != Scheduled && e.status != Retrying) {
		return
	}
	e.next = time.Time{}
	s.enqueueLocked(e)
}

func (s *Sender) enqueueLocked(e *entry) {
	e.status = Queued
	s.queue = append(s.queue, e)
	if s.running < s.workers {
		s.running++
		go s.work()
	}
}

// work sends queued deliveries until none is left, then exits, so an idle Sender
// holds no goroutine.
func (s *Sender) work() {
	for {
		s.mu.Lock()
		var e *entry
		for len(s.queue) > 0 && e == nil {
			e, s.queue[0] = s.queue[0], nil
			s.queue = s.queue[1:]
			if e.gone || e.status != Queued {
				e = nil
			}
		}
		if e == nil {
			s.running--
			s.idle.Broadcast()
			s.mu.Unlock()
			return
		}
		e.status = Sending
		d, n := e.d, len(e.attempts)+1
		s.mu.Unlock()

		a := s.attempt(e.id, d, n)
		now := s.clock.Now()

		s.mu.Lock()
		e.attempts = append(e.attempts, a)
		switch {
		case a.Status >= 200 && a.Status < 300:
			e.status = Delivered
		case retryable(a) && e.retries < len(s.backoff) && !e.gone && s.ctx.Err() == nil:
			wait := s.backoff[e.retries]
			e.retries++
			s.planLocked(e, now.Add(wait), now, Retrying)
		default:
			e.status = Failed
		}
		s.mu.Unlock()
		if a.Status == 0 || a.Status >= 300 {
			s.log.Info("webhook attempt failed", "id", e.id, "url", d.URL, "attempt", n, "status", a.Status, "error", a.Error)
		}
	}
}

// retryable reports whether another attempt could succeed: no answer, a timeout,
// rate limiting or a server error. Other answers (3xx, 4xx) say the request itself
// is wrong and are final.
func retryable(a Attempt) bool {
	switch {
	case a.Status == 0:
		return true
	case a.Status == http.StatusRequestTimeout, a.Status == http.StatusTooManyRequests:
		return true
	}
	return a.Status >= 500
}

// attempt sends d once, bounded by the timeout, and journals it.
func (s *Sender) attempt(id string, d Delivery, n int) Attempt {
	at, wall := s.clock.Now(), clock.Wall()
	a := Attempt{N: n, At: at}
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	var answer []byte
	req, err := http.NewRequestWithContext(ctx, d.Method, d.URL, bytes.NewReader(d.Body))
	if err == nil {
		for k, vs := range d.Headers {
			req.Header[k] = slices.Clone(vs)
		}
		if d.ContentType != "" {
			req.Header.Set("Content-Type", d.ContentType)
		}
		err = sign(d.Sign, req, d.Body)
	}
	if err == nil {
		var res *http.Response
		if res, err = s.client.Do(req); err == nil {
			// A body cut short still leaves the status: the receiver answered,
			// and the attempt stands on what it said.
			answer, _ = io.ReadAll(io.LimitReader(res.Body, maxAnswer))
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxDrain))
			_ = res.Body.Close()
			a.Status = res.StatusCode
		}
	}
	if err != nil {
		a.Status = 0
		a.Error = err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			a.Error = fmt.Sprintf("no answer within %s", s.timeout)
		}
	}
	a.LatencyMS = float64(clock.Wall().Sub(wall).Microseconds()) / 1000
	if s.observe != nil {
		s.observe(d.Provider, a)
	}
	if s.journal.Enabled() {
		var path, query string
		if u, perr := url.Parse(d.URL); perr == nil {
			path, query = u.Path, u.RawQuery
		}
		a.JournalID = s.journal.Add(journal.Entry{
			At: at, Wall: wall, Provider: d.Provider, Operation: d.Operation, Tenant: d.Tenant,
			Method: d.Method, Path: path, Query: query, RequestHeaders: sentHeaders(req), RequestBody: d.Body, Status: a.Status,
			ResponseBody: answer, TrackID: id, DurationMS: a.LatencyMS,
			Direction: journal.Out, URL: d.URL, Delivery: id, Attempt: n, Error: a.Error,
		})
	}
	return a
}

// sentHeaders are the headers an attempt went out with (signature included); nil
// when the request could not be made.
func sentHeaders(req *http.Request) journal.Headers {
	if req == nil {
		return ""
	}
	return journal.HeadersOf(req.Header)
}

// sign runs a provider's signing hook. A panic there is the provider's bug: it
// fails this attempt, visibly, instead of killing a sender goroutine.
func sign(fn func(*http.Request, []byte), req *http.Request, body []byte) (err error) {
	if fn == nil {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhook: signing panicked: %v", p)
		}
	}()
	fn(req, body)
	return nil
}

// Resend sends a delivery again now, whatever became of it, with a fresh retry
// budget; its attempts keep counting. It is ErrBusy while an attempt is in flight.
func (s *Sender) Resend(id string) (Record, error) {
	if s == nil {
		return Record{}, ErrOff
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[id]
	if e == nil {
		return Record{}, ErrNotFound
	}
	switch e.status {
	case Sending:
		return Record{}, ErrBusy
	case Queued:
		return e.recordLocked(), nil
	case Scheduled, Retrying:
		s.sched.Cancel(key(id))
	}
	e.retries = 0
	s.enqueueLocked(e)
	return e.recordLocked(), nil
}

// Filter selects deliveries; zero fields match everything.
type Filter struct {
	Provider string
	Tenant   string
	Status   Status
	Limit    int // newest first, at most this many; 0 means all
}

// ParseFilter reads the control plane's query: provider, tenant, status and limit.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Provider: q.Get("provider"), Tenant: q.Get("tenant"), Status: Status(q.Get("status"))}
	if f.Status != "" && !f.Status.valid() {
		return Filter{}, fmt.Errorf("status: %q is not one of scheduled, queued, sending, retrying, delivered, failed", f.Status)
	}
	n, err := journal.ParseLimit(q, 0)
	if err != nil {
		return Filter{}, err
	}
	f.Limit = n
	return f, nil
}

// List returns the matching deliveries, newest first.
func (s *Sender) List(f Filter) []Record {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Record
	for i := len(s.order) - 1; i >= 0; i-- {
		e := s.byID[s.order[i]]
		if (f.Provider != "" && e.d.Provider != f.Provider) || (f.Tenant != "" && e.d.Tenant != f.Tenant) || (f.Status != "" && e.status != f.Status) {
			continue
		}
		out = append(out, e.recordLocked())
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out
}

// Get returns one delivery.
func (s *Sender) Get(id string) (Record, bool) {
	if s == nil {
		return Record{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[id]
	if e == nil {
		return Record{}, false
	}
	return e.recordLocked(), true
}

func (e *entry) recordLocked() Record {
	r := Record{
		ID: e.id, Provider: e.d.Provider, Tenant: e.d.Tenant, Operation: e.d.Operation, Method: e.d.Method,
		URL: e.d.URL, ContentType: e.d.ContentType, Headers: e.d.Headers.Clone(), Body: slices.Clone(e.d.Body),
		Created: e.created, Due: e.d.Due, Status: e.status, Attempts: slices.Clone(e.attempts),
	}
	if r.Due.IsZero() {
		r.Due = e.created
	}
	if !e.next.IsZero() {
		next := e.next
		r.NextAt = &next
	}
	if r.Attempts == nil {
		r.Attempts = []Attempt{}
	}
	return r
}

// Reset drops one tenant's deliveries, or every delivery when tenant is "",
// cancelling what is scheduled; an attempt in flight finishes but is not retried.
func (s *Sender) Reset(tenant string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// One pass that keeps the survivors in order: removing each dropped id from
	// the slice on its own would shift it once per delivery, n² for a tenant
	// holding most of them.
	kept := s.order[:0]
	for _, id := range s.order {
		if tenant == "" || s.byID[id].d.Tenant == tenant {
			s.forgetLocked(id)
			continue
		}
		kept = append(kept, id)
	}
	clear(s.order[len(kept):])
	s.order = kept
}

// forgetLocked drops a delivery from the index and the scheduler; the caller
// takes its id out of s.order.
func (s *Sender) forgetLocked(id string) {
	e := s.byID[id]
	if e == nil {
		return
	}
	if e.status == Scheduled || e.status == Retrying {
		s.sched.Cancel(key(id))
	}
	e.gone = true
	delete(s.byID, id)
}

// Flush waits until no delivery is queued or being sent (scheduled ones are not
// waited for: they wait for the clock), or ctx is done. Tests use it after moving
// the clock.
func (s *Sender) Flush(ctx context.Context) error {
	if s == nil {
		return nil
	}
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.idle.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.running > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.idle.Wait()
	}
	return nil
}

// Close aborts attempts in flight and stops retrying; deliveries already queued
// are still tried once, fail at once, and are recorded. Close does not wait.
func (s *Sender) Close() {
	if s != nil {
		s.cancel()
	}
}
