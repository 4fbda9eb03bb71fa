// Package page cuts lists into pages in the four styles the simulated providers
// answer with: Laravel's length-aware paginator and API resource collection
// (page numbers, links and totals), a cursor (has_more and the last id), and
// Paynet's 1-based index window (starting_after / ending_before).
//
// Every style takes a Source, so a caller with an index fetches only the rows
// of the page; Slice makes a Source of a sorted slice.
package page

import (
	"net/url"
	"sort"
	"strconv"
)

// Source returns up to limit rows starting at offset (0-based) in the list's
// order, and the list's total length.
type Source[T any] func(offset, limit int) (rows []T, total int)

// Slice is a Source over an already sorted slice.
func Slice[T any](all []T) Source[T] {
	return func(offset, limit int) ([]T, int) {
		n := len(all)
		if offset >= n || limit <= 0 || offset < 0 {
			return []T{}, n
		}
		return all[offset:min(n, offset+limit)], n
	}
}

// Request is a numbered page: Page from 1, PerPage rows.
type Request struct {
	Page    int
	PerPage int
}

// Normalize applies Laravel's reading of the query: a page below 1 is page 1
// (Laravel's paginator resolves a bad page to 1), a per_page of 0 or less is
// def, and above max (when max > 0) is max.
func (r Request) Normalize(def, max int) Request {
	if r.Page < 1 {
		r.Page = 1
	}
	if r.PerPage <= 0 {
		r.PerPage = def
	}
	if max > 0 && r.PerPage > max {
		r.PerPage = max
	}
	return r
}

// numbered is what both Laravel styles compute.
type numbered[T any] struct {
	data              []T
	current, lastPage int
	perPage, total    int
	from, to          *int
}

func fetchNumbered[T any](r Request, src Source[T]) numbered[T] {
	r = r.Normalize(15, 0) // Laravel's default per page
	rows, total := src((r.Page-1)*r.PerPage, r.PerPage)
	if rows == nil {
		rows = []T{}
	}
	out := numbered[T]{data: rows, current: r.Page, perPage: r.PerPage, total: total}
	out.lastPage = max(1, (total+r.PerPage-1)/r.PerPage)
	// Laravel's from and to are null on an empty page.
	if len(rows) > 0 {
		from := (r.Page-1)*r.PerPage + 1
		to := from + len(rows) - 1
		out.from, out.to = &from, &to
	}
	return out
}

// URLs builds Laravel's page links: path?page=N, after any query the caller
// keeps (Laravel's appends()).
type URLs struct {
	Path    string
	Appends url.Values
}

// Page is the URL of page n.
func (u URLs) Page(n int) string {
	q := url.Values{}
	for k, v := range u.Appends {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return u.Path + "?" + q.Encode()
}

func (u URLs) opt(n int, ok bool) *string {
	if !ok {
		return nil
	}
	s := u.Page(n)
	return &s
}

// LengthAware is Laravel's length-aware paginator as Vandar embeds it (the
// settlement list, "data.settlements"): keys in the order Vandar's
// documentation shows them.
type LengthAware[T any] struct {
	Data        []T     `json:"data"`
	First       string  `json:"first"`
	Last        string  `json:"last"`
	Prev        *string `json:"prev"`
	Next        *string `json:"next"`
	CurrentPage int     `json:"current_page"`
	From        *int    `json:"from"`
	LastPage    int     `json:"last_page"`
	Path        string  `json:"path"`
	PerPage     int     `json:"per_page"`
	To          *int    `json:"to"`
	Total       int     `json:"total"`
}

// NewLengthAware fetches page r from src.
func NewLengthAware[T any](u URLs, r Request, src Source[T]) LengthAware[T] {
	p := fetchNumbered(r, src)
	return LengthAware[T]{
		Data: p.data, First: u.Page(1), Last: u.Page(p.lastPage),
		Prev: u.opt(p.current-1, p.current > 1), Next: u.opt(p.current+1, p.current < p.lastPage),
		CurrentPage: p.current, From: p.from, LastPage: p.lastPage, Path: u.Path,
		PerPage: p.perPage, To: p.to, Total: p.total,
	}
}

// Resource is a Laravel API resource collection: data, links and meta.
type Resource[T any] struct {
	Data  []T   `json:"data"`
	Links Links `json:"links"`
	Meta  Meta  `json:"meta"`
}

// Links are the collection's first/last/prev/next page URLs.
type Links struct {
	First string  `json:"first"`
	Last  string  `json:"last"`
	Prev  *string `json:"prev"`
	Next  *string `json:"next"`
}

// Meta is the collection's position; Links (meta.links) only when asked for.
type Meta struct {
	CurrentPage int    `json:"current_page"`
	From        *int   `json:"from"`
	LastPage    int    `json:"last_page"`
	Links       []Link `json:"links,omitempty"`
	Path        string `json:"path"`
	PerPage     int    `json:"per_page"`
	To          *int   `json:"to"`
	Total       int    `json:"total"`
}

// Link is one entry of meta.links: the previous/next arrows, a page number, or
// "..." (URL null) where pages are left out.
type Link struct {
	URL    *string `json:"url"`
	Label  string  `json:"label"`
	Active bool    `json:"active"`
}

// ResourceOptions say whether meta.links is sent and how its arrows read.
type ResourceOptions struct {
	MetaLinks bool
	PrevLabel string // "" is Vandar's "« قبلی"
	NextLabel string // "" is Vandar's "بعدی »"
}

// NewResource fetches page r from src.
func NewResource[T any](u URLs, r Request, src Source[T], o ResourceOptions) Resource[T] {
	p := fetchNumbered(r, src)
	out := Resource[T]{
		Data: p.data,
		Links: Links{First: u.Page(1), Last: u.Page(p.lastPage),
			Prev: u.opt(p.current-1, p.current > 1), Next: u.opt(p.current+1, p.current < p.lastPage)},
		Meta: Meta{CurrentPage: p.current, From: p.from, LastPage: p.lastPage, Path: u.Path,
			PerPage: p.perPage, To: p.to, Total: p.total},
	}
	if o.MetaLinks {
		out.Meta.Links = metaLinks(u, p.current, p.lastPage, o)
	}
	return out
}

// metaLinks follows Laravel's UrlWindow with its default of 3 pages on each
// side: every page when there are fewer than 14, otherwise the first two, a
// window around the current page and the last two, with "..." between.
func metaLinks(u URLs, current, last int, o ResourceOptions) []Link {
	prev, next := o.PrevLabel, o.NextLabel
	if prev == "" {
		prev = "« قبلی"
	}
	if next == "" {
		next = "بعدی »"
	}
	links := []Link{{URL: u.opt(current-1, current > 1), Label: prev}}
	pages := func(a, b int) {
		for n := a; n <= b; n++ {
			s := u.Page(n)
			links = append(links, Link{URL: &s, Label: strconv.Itoa(n), Active: n == current})
		}
	}
	dots := func() { links = append(links, Link{Label: "..."}) }
	const each, window = 3, 3 + 4
	switch {
	case last < each*2+8:
		pages(1, last)
	case current <= window:
		pages(1, window+each)
		dots()
		pages(last-1, last)
	case current > last-window:
		pages(1, 2)
		dots()
		pages(last-(window+each-1), last)
	default:
		pages(1, 2)
		dots()
		pages(current-each, current+each)
		dots()
		pages(last-1, last)
	}
	return append(links, Link{URL: u.opt(current+1, current < last), Label: next})
}

// Cursor is a cursor page: the rows after the caller's cursor and whether more
// follow (Vandar's transaction list: has_more, and start_after = the last id).
type Cursor[T any] struct {
	HasMore bool `json:"has_more"`
	Data    []T  `json:"data"`
}

// After is a cursor page over a sorted slice: beyond reports whether a row
// comes after the cursor, and must be false then true along the slice (as for
// sort.Search), so a cursor whose own row was deleted still resumes in place.
// A nil beyond starts at the first row.
func After[T any](sorted []T, beyond func(T) bool, limit int) Cursor[T] {
	start := 0
	if beyond != nil {
		start = sort.Search(len(sorted), func(i int) bool { return beyond(sorted[i]) })
	}
	rows, _ := Slice(sorted)(start, limit)
	return Cursor[T]{HasMore: start+len(rows) < len(sorted), Data: rows}
}

// CursorSource returns up to limit rows after the cursor ("" = from the start).
type CursorSource[T any] func(after string, limit int) []T

// NewCursor asks src for one row more than limit, to know whether more follow
// without counting them.
func NewCursor[T any](src CursorSource[T], after string, limit int) Cursor[T] {
	rows := src(after, limit+1)
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	if rows == nil {
		rows = []T{}
	}
	return Cursor[T]{HasMore: more, Data: rows}
}

// IndexRequest is Paynet's list query: rows are numbered from 1; StartingAfter
// S asks for rows S+1..S+Limit, EndingBefore E for rows E-Limit..E-1; 0 is
// unset.
type IndexRequest struct {
	Limit         int
	StartingAfter int
	EndingBefore  int
}

// Window is the answer to an IndexRequest: rows From..To (1-based, inclusive;
// empty when To < From), whether rows remain beyond it in the direction of
// travel, and the list's length.
type Window struct {
	From, To int
	HasMore  bool
	Total    int
}

// Len is the number of rows in the window.
func (w Window) Len() int { return max(0, w.To-w.From+1) }

// Index fetches the window of q from src. Paynet documents "ending_before 90,
// limit 15 → 75..90" (mock/providers/paynet/cards.go, cardList).
func Index[T any](q IndexRequest, src Source[T]) ([]T, Window) {
	var from, last int // the window before clamping to the list's length
	if q.EndingBefore > 0 {
		from, last = max(1, q.EndingBefore-q.Limit), q.EndingBefore-1
	} else {
		from, last = q.StartingAfter+1, q.StartingAfter+q.Limit
	}
	rows, n := src(from-1, last-from+1)
	if rows == nil {
		rows = []T{}
	}
	w := Window{From: from, To: from + len(rows) - 1, Total: n}
	if q.EndingBefore > 0 {
		w.HasMore = min(from-1, n) > 0
	} else {
		w.HasMore = w.To < n
	}
	return rows, w
}
