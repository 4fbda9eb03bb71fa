package oauth

import (
	"cmp"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
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
	Provider, ClientID, RedirectURI, State, ResponseType string
	Scopes                                               Scopes
	Bank                                                 string
	Extra                                                map[string]string
}

// Session is one authorize → login → consent → redirect dance.
type Session struct {
	ID       string
	Request  Request
	Status   string
	User     string   // national id or username after login
	Deposits []string // offered to the user
	Chosen   []string
	Created  time.Time
	Expires  time.Time
	Redirect string
}

func (s Session) clone() Session {
	s.Request.Scopes = slices.Clone(s.Request.Scopes)
	s.Request.Extra = maps.Clone(s.Request.Extra)
	s.Deposits = slices.Clone(s.Deposits)
	s.Chosen = slices.Clone(s.Chosen)
	return s
}

func (s Session) open() bool { return s.Status == StatusPending || s.Status == StatusLoggedIn }

// Consents holds consent sessions. It is safe for concurrent use.
type Consents struct {
	clk   Clock
	ids   *IDs
	ttl   time.Duration
	codes *Codes

	mu       sync.Mutex
	sessions map[string]*Session
}

// NewConsents returns a store whose sessions must be decided within ttl; approved
// sessions issue their codes into codes.
func NewConsents(clk Clock, ids *IDs, ttl time.Duration, codes *Codes) *Consents {
	return &Consents{clk: clk, ids: ids, ttl: ttl, codes: codes, sessions: map[string]*Session{}}
}

// Create opens a pending session. Its id is a UUID because both providers use UUIDs
// to track a pending consent or SMS login.
func (c *Consents) Create(r Request) Session {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(now)
	id := c.ids.UUID()
	for c.sessions[id] != nil {
		id = c.ids.UUID()
	}
	s := &Session{ID: id, Status: StatusPending, Created: now, Expires: now.Add(c.ttl)}
	s.Request = r
	*s = s.clone()
	c.sessions[id] = s
	return s.clone()
}

// purge forgets sessions one more ttl after they expire, so the control plane still
// sees recently finished dances but the map does not grow forever.
func (c *Consents) purge(now time.Time) {
	for k, s := range c.sessions {
		if now.After(s.Expires.Add(c.ttl)) {
			delete(c.sessions, k)
		}
	}
}

// view is the session as a reader should see it at now.
func view(s *Session, now time.Time) Session {
	v := s.clone()
	if v.open() && !now.Before(v.Expires) {
		v.Status = StatusExpired
	}
	return v
}

// Get returns the session with id.
func (c *Consents) Get(id string) (Session, bool) {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.sessions[id]
	if !ok {
		return Session{}, false
	}
	return view(s, now), true
}

// List returns the sessions of provider ("" for all), oldest first; onlyOpen keeps
// those still waiting for the user, which is what a QA dashboard acts on.
func (c *Consents) List(provider string, onlyOpen bool) []Session {
	now := c.clk.Now()
	c.mu.Lock()
	out := make([]Session, 0, len(c.sessions))
	for _, s := range c.sessions {
		if provider != "" && s.Request.Provider != provider {
			continue
		}
		v := view(s, now)
		if onlyOpen && !v.open() {
			continue
		}
		out = append(out, v)
	}
	c.mu.Unlock()
	slices.SortFunc(out, func(a, b Session) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// open returns the session if it can still be acted on. Callers hold c.mu.
func (c *Consents) open(id string, now time.Time) (*Session, error) {
	s, ok := c.sessions[id]
	switch {
	case !ok:
		return nil, ErrSessionUnknown
	case !s.open():
		return nil, ErrSessionDone
	case !now.Before(s.Expires):
		return nil, ErrSessionExpired
	}
	return s, nil
}

// Login records who logged in at the bank and which deposits the bank offers them.
// Logging in again replaces both, as when a user goes back and changes account.
func (c *Consents) Login(id, user string, offered []string) (Session, error) {
	if user == "" {
		return Session{}, ErrNoUser
	}
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.open(id, now)
	if err != nil {
		return Session{}, err
	}
	s.Status, s.User, s.Deposits = StatusLoggedIn, user, slices.Clone(offered)
	return s.clone(), nil
}

// Approve grants consent for the chosen deposits (all offered when chosen is empty),
// issues a code and returns the redirect_uri carrying code and state.
func (c *Consents) Approve(id string, chosen []string) (redirect string, err error) {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.open(id, now)
	if err != nil {
		return "", err
	}
	if s.Status != StatusLoggedIn {
		return "", ErrNotLoggedIn
	}
	return c.approve(s, s.User, s.Deposits, chosen)
}

// ApproveAs logs in and approves in one step: the shortcut automated tests use to
// skip the HTML login and consent pages.
func (c *Consents) ApproveAs(id, user string, offered, chosen []string) (redirect string, err error) {
	if user == "" {
		return "", ErrNoUser
	}
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.open(id, now)
	if err != nil {
		return "", err
	}
	return c.approve(s, user, offered, chosen)
}

// approve validates everything before changing the session, so a failed call leaves
// it as it was and the user can try again. Callers hold c.mu.
func (c *Consents) approve(s *Session, user string, offered, chosen []string) (string, error) {
	if len(chosen) == 0 {
		chosen = offered
	}
	for _, d := range chosen {
		if !slices.Contains(offered, d) {
			return "", ErrNotOffered
		}
	}
	u, err := parseRedirect(s.Request.RedirectURI)
	if err != nil {
		return "", err
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
	return s.Redirect, nil
}

// Deny records the user's refusal and returns the redirect_uri carrying
// error=access_denied and state.
func (c *Consents) Deny(id string) (redirect string, err error) {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.open(id, now)
	if err != nil {
		return "", err
	}
	u, err := parseRedirect(s.Request.RedirectURI)
	if err != nil {
		return "", err
	}
	s.Status = StatusDenied
	s.Redirect = withParams(u, "error", "access_denied", "state", s.Request.State)
	return s.Redirect, nil
}

// Reset forgets every session, for /_sandbox/reset.
func (c *Consents) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.sessions)
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
