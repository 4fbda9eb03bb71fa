// Package journal keeps a bounded history of the requests sandbank served and what it
// answered, so a test can assert on what its application actually sent.
package journal

import (
	"encoding/json"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Directions of an entry: a request sandbank served, or a webhook it sent.
const (
	In  = "in"
	Out = "out"
)

// Entry is one request and its response. At is virtual time (what the provider
// "saw"); Wall is machine time, for correlating with the application's own logs.
//
// An outbound entry (Direction "out") is one attempt to deliver a webhook: URL is
// where it went, Attempt counts from 1 within its delivery, Status is the
// receiver's answer (0 when none came: Error says why) and DurationMS is the
// attempt's latency.
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Wall      time.Time `json:"wall"`
	Provider  string    `json:"provider"`
	Operation string    `json:"operation"`
	Tenant    string    `json:"tenant"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	// RequestHeaders are the headers as received, so a test can verify what its
	// client sent (the /_sandbox/journal/count header.* predicates read them).
	RequestHeaders Headers `json:"request_headers,omitempty"`
	RequestBody    Body    `json:"request_body"`
	Status         int     `json:"status"`
	// ResponseHeaders are the headers sent with the reply.
	ResponseHeaders Headers `json:"response_headers,omitempty"`
	ResponseBody    Body    `json:"response_body"`
	Rule            string  `json:"rule"`
	TrackID         string  `json:"track_id"`
	DurationMS      float64 `json:"duration_ms"`
	Direction       string  `json:"direction"`
	URL             string  `json:"url,omitempty"`
	Delivery        string  `json:"delivery,omitempty"` // the webhook delivery's id
	Attempt         int     `json:"attempt,omitempty"`
	Error           string  `json:"error,omitempty"`

	// A body longer than the journal keeps per body (Options.BodyCap) is stored cut,
	// ending in a marker; these then say so and give its full length in bytes.
	RequestTruncated  bool `json:"request_body_truncated,omitempty"`
	RequestSize       int  `json:"request_body_size,omitempty"`
	ResponseTruncated bool `json:"response_body_truncated,omitempty"`
	ResponseSize      int  `json:"response_body_size,omitempty"`
}

// MarshalJSON writes the entry with its times in RFC 3339 even when one lies outside
// the years 0–9999 that time.Time's own encoder refuses: one such entry must not make
// the whole journal unreadable.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry // the same fields without this method
	return json.Marshal(struct {
		plain
		At   safeTime `json:"at"`
		Wall safeTime `json:"wall"`
	}{plain(e), safeTime(e.At), safeTime(e.Wall)})
}

type safeTime time.Time

func (t safeTime) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, time.Time(t).Format(time.RFC3339Nano)), nil
}

// Body is a raw request or response body. It marshals so the journal reads naturally:
// a JSON body is embedded as JSON (a test can walk into it), anything else (forms,
// text, binary) becomes a string, and no body is null.
type Body []byte

// MarshalJSON implements json.Marshaler.
func (b Body) MarshalJSON() ([]byte, error) {
	if len(b) == 0 {
		return []byte("null"), nil
	}
	if json.Valid(b) {
		return b, nil
	}
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return json.Marshal(s)
}

// UnmarshalJSON implements json.Unmarshaler so clients (sandbanktest) can decode the
// control plane's answer into Entry. A string is taken as the body's text, since
// that is how non-JSON bodies are written; the one body this cannot restore exactly
// is one that was itself a bare JSON string literal.
func (b *Body) UnmarshalJSON(data []byte) error {
	switch {
	case string(data) == "null":
		*b = nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*b = Body(s)
	default:
		*b = Body(slices.Clone(data))
	}
	return nil
}

// Filter selects entries. Zero fields match everything. Operation may be a glob in
// path.Match syntax ("kavenegar.*"), as in scenarios.
type Filter struct {
	Provider  string
	Operation string
	Tenant    string
	TrackID   string
	Status    int
	Direction string    // "in" or "out"
	Since     time.Time // virtual time: entries with At >= Since
	Limit     int       // at most this many, newest first; 0 means all
}

func (f *Filter) match(e *Entry) bool {
	if f.Provider != "" && e.Provider != f.Provider {
		return false
	}
	if f.Tenant != "" && e.Tenant != f.Tenant {
		return false
	}
	if f.TrackID != "" && e.TrackID != f.TrackID {
		return false
	}
	if f.Direction != "" && e.Direction != f.Direction {
		return false
	}
	if f.Status != 0 && e.Status != f.Status {
		return false
	}
	if !f.Since.IsZero() && e.At.Before(f.Since) {
		return false
	}
	if f.Operation != "" && f.Operation != e.Operation {
		// A malformed pattern matches nothing; ParseFilter rejects it up front.
		if ok, err := path.Match(f.Operation, e.Operation); err != nil || !ok {
			return false
		}
	}
	return true
}

// Journal is a ring of entries bounded both in count and in bytes, safe for
// concurrent use. Both bounds are fixed at creation so memory stays bounded however
// long the server runs and however large the bodies it is sent.
type Journal struct {
	mu       sync.Mutex
	ring     []Entry
	head     int // index the next entry is written to
	n        int // entries held
	lastID   int64
	bytes    int64 // cost of the entries held
	maxBytes int64
	bodyCap  int
}

// Defaults for Options fields left zero.
const (
	DefaultBytes     = 32 << 20 // the whole journal
	DefaultBodyCap   = 64 << 10 // one request or response body
	DefaultReadLimit = 100      // entries a read returns when it names no limit
)

// Options size a journal.
type Options struct {
	Entries int   // entries kept; <= 0 turns the journal off
	Bytes   int64 // bytes kept, bodies and fields counted; <= 0 means DefaultBytes
	BodyCap int   // bytes kept of each body; <= 0 means DefaultBodyCap
}

// New returns a journal holding the latest size entries within DefaultBytes;
// size <= 0 turns it off.
func New(size int) *Journal { return NewWith(Options{Entries: size}) }

// NewWith returns a journal sized by o.
func NewWith(o Options) *Journal {
	if o.Bytes <= 0 {
		o.Bytes = DefaultBytes
	}
	if o.BodyCap <= 0 {
		o.BodyCap = DefaultBodyCap
	}
	return &Journal{ring: make([]Entry, max(o.Entries, 0)), maxBytes: o.Bytes, bodyCap: o.BodyCap}
}

// entryOverhead approximates what an entry costs besides its bodies and strings: the
// ring slot, times and numbers, and slice and string headers.
const entryOverhead = 256

func cost(e *Entry) int64 {
	return int64(entryOverhead + len(e.RequestBody) + len(e.ResponseBody) + len(e.Provider) + len(e.Operation) +
		len(e.Tenant) + len(e.Method) + len(e.Path) + len(e.Query) + len(e.Rule) + len(e.TrackID) +
		len(e.Direction) + len(e.URL) + len(e.Delivery) + len(e.Error) +
		headerCost(e.RequestHeaders) + headerCost(e.ResponseHeaders))
}

// headerCost counts a header's encoded names and values against the byte budget.
func headerCost(h Headers) int { return len(h) }

// truncate keeps the first limit bytes of b (backing off to a whole UTF-8 rune), then
// a marker naming the full size; the copy lets the caller's large buffer go.
func truncate(b Body, limit int) Body {
	cut := limit
	for cut > 0 && cut > limit-utf8.UTFMax && !utf8.RuneStart(b[cut]) {
		cut--
	}
	marker := "…[sandbank: body truncated, " + strconv.Itoa(len(b)) + " bytes, first " + strconv.Itoa(cut) + " kept]"
	out := make(Body, 0, cut+len(marker))
	return append(append(out, b[:cut]...), marker...)
}

// Enabled reports whether entries are kept, so callers can skip reading bodies when
// nothing would record them.
func (j *Journal) Enabled() bool { return len(j.ring) > 0 }

// Add records e, overwriting the oldest entry when full, and returns its ID (0 when
// the journal is off). IDs rise from 1 and are never reused, even across Clear, so a
// client can poll for "entries after the last one I saw". The journal keeps e's
// bodies as given: the caller must not modify them afterwards. An entry with no
// Direction is a request served ("in"), so the request pipeline need not say so.
func (j *Journal) Add(e Entry) int64 {
	if len(j.ring) == 0 {
		return 0
	}
	if e.Direction == "" {
		e.Direction = In
	}
	if len(e.RequestBody) > j.bodyCap {
		e.RequestTruncated, e.RequestSize = true, len(e.RequestBody)
		e.RequestBody = truncate(e.RequestBody, j.bodyCap)
	}
	if len(e.ResponseBody) > j.bodyCap {
		e.ResponseTruncated, e.ResponseSize = true, len(e.ResponseBody)
		e.ResponseBody = truncate(e.ResponseBody, j.bodyCap)
	}
	c := cost(&e)
	j.mu.Lock()
	// Make room: the slot written next, when the ring is full, then the oldest
	// entries until the new one fits in the byte budget (it always may be the only one).
	size := len(j.ring)
	for j.n > 0 && (j.n == size || j.bytes+c > j.maxBytes) {
		old := &j.ring[(j.head-j.n+size)%size]
		j.bytes -= cost(old)
		*old = Entry{} // release the bodies, not just forget them
		j.n--
	}
	j.lastID++
	e.ID = j.lastID
	j.ring[j.head] = e
	j.head = (j.head + 1) % size
	j.n++
	j.bytes += c
	j.mu.Unlock()
	return e.ID
}

// Bytes reports what the held entries cost, as counted against Options.Bytes.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// Query returns matching entries, newest first. The result is the caller's own: bodies
// are copied too, so changing them cannot alter the journal.
func (j *Journal) Query(f Filter) []Entry {
	out := j.collect(f)
	// Cloning after unlocking is safe: the journal replaces bodies, never writes into them.
	for i := range out {
		out[i].RequestBody = slices.Clone(out[i].RequestBody)
		out[i].ResponseBody = slices.Clone(out[i].ResponseBody)
	}
	return out
}

// collect returns matching entries, newest first, sharing their bodies with the ring.
func (j *Journal) collect(f Filter) []Entry {
	if len(j.ring) == 0 {
		return nil
	}
	var out []Entry
	j.mu.Lock()
	for i := 1; i <= j.n; i++ {
		e := &j.ring[(j.head-i+len(j.ring))%len(j.ring)]
		if f.match(e) {
			out = append(out, *e)
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
	}
	j.mu.Unlock()
	return out
}

// WriteJSON streams the matching entries to w as {"enabled":...,"entries":[...]}, one
// entry at a time, so a large read never holds the whole answer in memory. It shares
// bodies with the ring instead of copying them; they are never written into.
func (j *Journal) WriteJSON(w io.Writer, f Filter) error {
	if _, err := io.WriteString(w, `{"enabled":`+strconv.FormatBool(j.Enabled())+`,"entries":[`); err != nil {
		return err
	}
	for i, e := range j.collect(f) {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if i > 0 {
			b = append([]byte{','}, b...)
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]}\n")
	return err
}

// Clear drops every entry. IDs keep counting (see Add).
func (j *Journal) Clear() {
	j.mu.Lock()
	clear(j.ring) // release the bodies, not just forget them
	j.head, j.n, j.bytes = 0, 0, 0
	j.mu.Unlock()
}

// ClearTenant drops one tenant's entries, for a per-tenant reset, keeping the others
// in order.
func (j *Journal) ClearTenant(tenant string) {
	if len(j.ring) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	size := len(j.ring)
	kept := make([]Entry, 0, j.n)
	j.bytes = 0
	for i := j.n; i >= 1; i-- {
		e := j.ring[(j.head-i+size)%size]
		if e.Tenant != tenant {
			kept = append(kept, e)
			j.bytes += cost(&e)
		}
	}
	clear(j.ring)
	copy(j.ring, kept)
	j.n = len(kept)
	j.head = len(kept) % size
}

// Len reports how many entries are held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}
