package oauth

import (
	"cmp"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Session statuses. A session moves pending → logged_in → approved or denied; expired
// is computed on read once the clock passes Expires, so nothing runs in the background.
const (
	StatusPending  = "pending"
	StatusLoggedIn = "logged_in"
	StatusApproved = "approved"
	StatusDenied   = "denied"
	StatusExpired  = "expired"
)

// Keys Approve adds to Grant.Data next to Request.Extra, so the token exchange can
// tell the bank and which consent produced the code (Sanbod's consent_tracking_uuid).
const (
	DataBank    = "bank"
	DataConsent = "consent"
)

// Request is an authorize call as the provider validated it.
type Request struct {
	Provider     string            `json:"provider"`
	ClientID     string            `json:"clientId"`
	RedirectURI  string            `json:"redirectUri"`
	State        string            `json:"state"`
	ResponseType string            `json:"responseType"`
	Scopes       Scopes            `json:"scopes"`
	Bank         string            `json:"bank,omitempty"`
	Extra        map[string]string `json:"extra,omitempty"`
}

// Session is one authorize → login → consent → redirect dance.
type Session struct {
	ID       string    `json:"id"`
	Request  Request   `json:"request"`
	Status   string    `json:"status"`
	User     string    `json:"user,omitempty"`     // national id or username after login
	Deposits []string  `json:"deposits,omitempty"` // offered to the user
	Chosen   []string  `json:"chosen,omitempty"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	Redirect string    `json:"redirect,omitempty"`
}

// Retenant moves a session restored into another client's tenant to that client,
// so the code its approval issues is the new client's (store.Retenanter).
func (s Session) Retenant(from, to string) (Session, bool) {
	if s.Request.ClientID == from {
		s.Request.ClientID = to
	}
	return s, true
}

// Clone keeps stored sessions independent of callers' copies.
func (s Session) Clone() Session {
	s.Request.Scopes = slices.Clone(s.Request.Scopes)
	s.Request.Extra = maps.Clone(s.Request.Extra)
	s.Deposits = slices.Clone(s.Deposits)
	s.Chosen = slices.Clone(s.Chosen)
	return s
}

func (s Session) open() bool { return s.Status == StatusPending || s.Status == StatusLoggedIn }

// Consents holds consent sessions in a store table under the client's tenant, so a
// tenant reset drops its pending dances and a restore brings them back. The pages
// reach a session by its id alone, which the table finds in any tenant. It is safe
// for concurrent use: every step of a dance changes the session under its lock.
type Consents struct {
	clk   Clock
	ids   *IDs
	ttl   time.Duration
	codes *Codes
	table *store.Table[Session]
	aged  *store.Index[Session] // by expiry, with Retain only
}

// NewConsents returns sessions, kept in st as table name, that must be decided
// within ttl; approved sessions issue their codes into codes.
func NewConsents(st *store.Store, name string, clk Clock, ids *IDs, ttl time.Duration, codes *Codes) *Consents {
	return &Consents{clk: clk, ids: ids, ttl: ttl, codes: codes, table: store.NewTable[Session](st, name)}
}

// Create opens a pending session. Its id is a UUID because both providers use UUIDs
// to track a pending consent or SMS login.
func (c *Consents) Create(r Request) Session {
	now := c.clk.Now()
	c.purge(r.ClientID, now)
	s := Session{Status: StatusPending, Created: now, Expires: now.Add(c.ttl), Request: r}
	s = s.Clone()
	for {
		s.ID = c.ids.UUID()
		if c.table.Insert(r.ClientID, s.ID, s) {
			return s.Clone()
		}
	}
}

// purge forgets a tenant's sessions one more ttl after they expire, so the control
// plane still sees recently finished dances but the table does not grow forever.
func (c *Consents) purge(tenant string, now time.Time) {
	for _, it := range c.table.List(tenant) {
		if now.After(it.Value.Expires.Add(c.ttl)) {
			c.table.Delete(tenant, it.ID)
		}
	}
}

// view is the session as a reader should see it at now.
func view(s Session, now time.Time) Session {
	if s.open() && !now.Before(s.Expires) {
		s.Status = StatusExpired
	}
	return s
}

// Get returns the session with id.
func (c *Consents) Get(id string) (Session, bool) {
	_, s, ok := c.table.Find(id)
	if !ok {
		return Session{}, false
	}
	return view(s, c.clk.Now()), true
}

// List returns the sessions of provider ("" for all), oldest first; onlyOpen keeps
// those still waiting for the user, which is what a QA dashboard acts on.
func (c *Consents) List(provider string, onlyOpen bool) []Session {
	now := c.clk.Now()
	var out []Session
	for _, tenant := range c.table.Tenants() {
		for _, it := range c.table.List(tenant) {
			if provider != "" && it.Value.Request.Provider != provider {
				continue
			}
			v := view(it.Value, now)
			if onlyOpen && !v.open() {
				continue
			}
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Session) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// act runs fn on the open session id under its lock; fn's error leaves the session
// as it was.
func (c *Consents) act(id string, fn func(s *Session) error) (Session, error) {
	tenant, _, ok := c.table.Find(id)
	if !ok {
		return Session{}, ErrSessionUnknown
	}
	now := c.clk.Now()
	var out Session
	err := c.table.Update(tenant, id, func(s *Session) error {
		switch {
		case !s.open():
			return ErrSessionDone
		case !now.Before(s.Expires):
			return ErrSessionExpired
		}
		if err := fn(s); err != nil {
			return err
		}
		out = s.Clone()
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrSessionUnknown
	}
	return out, err
}

// Login records who logged in at the bank and which deposits the bank offers them.
// Logging in again replaces both, as when a user goes back and changes account.
func (c *Consents) Login(id, user string, offered []string) (Session, error) {
	if user == "" {
		return Session{}, ErrNoUser
	}
	return c.act(id, func(s *Session) error {
		s.Status, s.User, s.Deposits = StatusLoggedIn, user, slices.Clone(offered)
		return nil
	})
}

// Approve grants consent for the chosen deposits (all offered when chosen is empty),
// issues a code and returns the redirect_uri carrying code and state.
func (c *Consents) Approve(id string, chosen []string) (redirect string, err error) {
	s, err := c.act(id, func(s *Session) error {
		if s.Status != StatusLoggedIn {
			return ErrNotLoggedIn
		}
		return c.approve(s, s.User, s.Deposits, chosen)
	})
	return s.Redirect, err
}

// ApproveAs logs in and approves in one step: the shortcut automated tests use to
// skip the HTML login and consent pages.
func (c *Consents) ApproveAs(id, user string, offered, chosen []string) (redirect string, err error) {
	if user == "" {
		return "", ErrNoUser
	}
	s, err := c.act(id, func(s *Session) error { return c.approve(s, user, offered, chosen) })
	return s.Redirect, err
}

// approve validates everything before changing the session, so a failed call leaves
// it as it was and the user can try again. Callers hold the session's lock, so a
// session issues one code however many approvals race.
func (c *Consents) approve(s *Session, user string, offered, chosen []string) error {
	if len(chosen) == 0 {
		chosen = offered
	}
	for _, d := range chosen {
		if !slices.Contains(offered, d) {
			return ErrNotOffered
		}
	}
	u, err := parseRedirect(s.Request.RedirectURI)
	if err != nil {
		return err
	}
	data := maps.Clone(s.Request.Extra)
	if data == nil {
		data = map[string]string{}
	}
	if s.Request.Bank != "" {
		data[DataBank] = s.Request.Bank
	}
	data[DataConsent] = s.ID
	code := c.codes.Issue(Grant{
		ClientID:    s.Request.ClientID,
		RedirectURI: s.Request.RedirectURI,
		Subject:     user,
		Scopes:      s.Request.Scopes,
		Deposits:    chosen,
		Data:        data,
	})
	s.Status, s.User = StatusApproved, user
	s.Deposits, s.Chosen = slices.Clone(offered), slices.Clone(chosen)
	s.Redirect = withParams(u, "code", code, "state", s.Request.State)
	return nil
}

// Deny records the user's refusal and returns the redirect_uri carrying
// error=access_denied and state.
func (c *Consents) Deny(id string) (redirect string, err error) {
	s, err := c.act(id, func(s *Session) error {
		u, err := parseRedirect(s.Request.RedirectURI)
		if err != nil {
			return err
		}
		s.Status = StatusDenied
		s.Redirect = withParams(u, "error", "access_denied", "state", s.Request.State)
		return nil
	})
	return s.Redirect, err
}

func parseRedirect(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return nil, ErrRedirectInvalid
	}
	return u, nil
}

// withParams appends name/value pairs (skipping empty values) to u's query. The
// client's own parameters keep their order and encoding, since RFC 6749 §3.1.2 says
// they must be retained; any that reuse one of our names are dropped so the client
// never sees two codes or two states.
func withParams(u *url.URL, kv ...string) string {
	names := map[string]bool{"code": true, "state": true, "error": true}
	var parts []string
	for p := range strings.SplitSeq(u.RawQuery, "&") {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil && names[dk] {
			continue
		}
		parts = append(parts, p)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			parts = append(parts, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
		}
	}
	v := *u
	v.RawQuery = strings.Join(parts, "&")
	v.ForceQuery = false
	return v.String()
}
