package vandar

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Tokens (reference §1.2, §2.2). No API issues the first pair: the dashboard
// does, so sandbank ships one per declared business and the control plane issues
// one per new business. A pair issued here is two HS256 JWTs on the virtual
// clock (access 5 days, refresh 10 days); only the business's current pair is
// accepted, so a refresh that returns a new pair retires the old one at once.

// issuePair puts a fresh pair on row (under its lock when called from Update).
func (p *Provider) issuePair(row *businessRow, now time.Time) error {
	row.Pair++
	claims := func(kind string) map[string]any {
		return map[string]any{"typ": kind, "pair": row.Pair, "business_id": row.ID, "role": row.Role}
	}
	access, aexp, err := p.signer.Issue(oauth.Claims{Subject: row.Name, TTL: p.cfg.accessTTL, Extra: claims("access")})
	if err != nil {
		return err
	}
	refresh, rexp, err := p.signer.Issue(oauth.Claims{Subject: row.Name, TTL: p.cfg.refreshTTL, Extra: claims("refresh")})
	if err != nil {
		return err
	}
	row.Access, row.AccessExp, row.Refresh, row.RefreshExp = access, aexp, refresh, rexp
	return nil
}

// live reports whether tok is the business's current token of the kind, unexpired
// on the virtual clock. A JWT must also carry a valid signature.
func (p *Provider) live(row businessRow, tok string, refresh bool, now time.Time) bool {
	cur, exp := row.Access, row.AccessExp
	if refresh {
		cur, exp = row.Refresh, row.RefreshExp
	}
	if tok == "" || tok != cur {
		return false
	}
	if exp.IsZero() {
		return true // a shipped fixture token: valid until the first refresh replaces it
	}
	if !now.Before(exp) {
		return false
	}
	_, err := p.signer.Parse(tok)
	return err == nil
}

var errUnauthenticated = errors.New("unauthenticated")

// bearer resolves the business of the request's access token.
func (p *Provider) bearer(c echo.Context) (businessRow, error) {
	h := strings.TrimSpace(c.Request().Header.Get(echo.HeaderAuthorization))
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "bearer") || tok == "" || len(tok) > 4096 {
		return businessRow{}, errUnauthenticated
	}
	slug, ok := p.credential(tok)
	if !ok {
		return businessRow{}, errUnauthenticated
	}
	row, ok := p.business(slug)
	if !ok || !p.live(row, tok, false, p.clock.Now()) {
		return businessRow{}, errUnauthenticated
	}
	return row, nil
}

// tokenPair is the answer of refreshtoken (family E, reference §2.2).
type tokenPair struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

type refreshReq struct{ token string }

// parseRefresh reads refreshtoken (one word, reference §2.2).
func (p *Provider) parseRefresh(c *api.Call) (refreshReq, error) {
	in := readInput(c)
	s, present, ok := in.str("refreshtoken")
	switch {
	case !present:
		return refreshReq{}, p.failAll(problems{{code: "REFRESHTOKEN_REQUIRED"}})
	case !ok:
		return refreshReq{}, p.failAll(problems{{code: "REFRESHTOKEN_STRING"}})
	}
	return refreshReq{token: s}, nil
}

// runRefresh swaps the pair in one step under the business row's lock: of
// parallel refreshes with the same token exactly one wins; the others, and any
// later use of the old pair, get 401.
func (p *Provider) runRefresh(c *api.Call, r refreshReq) (tokenPair, error) {
	slug, ok := p.credential(r.token)
	if !ok {
		return tokenPair{}, p.fail("UNAUTHENTICATED")
	}
	now := p.clock.Now()
	var out, old businessRow
	err := p.businesses.Update(slug, bizKey, func(row *businessRow) error {
		if !p.live(*row, r.token, true, now) {
			return errUnauthenticated
		}
		old = *row
		if err := p.issuePair(row, now); err != nil {
			return err
		}
		out = *row
		return nil
	})
	if err != nil {
		if errors.Is(err, errUnauthenticated) {
			return tokenPair{}, p.fail("UNAUTHENTICATED")
		}
		return tokenPair{}, err
	}
	p.rotated(old, out)
	c.Set(keyTenant, slug)
	return tokenPair{TokenType: "Bearer", ExpiresIn: int64(p.cfg.accessTTL / time.Second), AccessToken: out.Access, RefreshToken: out.Refresh}, nil
}

const keyTenant = "vandar.tenant"

// rotated indexes a business's new pair and forgets the pair it replaced, which
// no longer authenticates (live), so the index holds current credentials only.
func (p *Provider) rotated(old, cur businessRow) {
	for _, tok := range []string{old.Access, old.Refresh} {
		if tok != "" && tok != cur.Access && tok != cur.Refresh {
			p.creds.Delete(cur.Name, tok)
		}
	}
	p.recordCreds(cur)
}

// authBusiness is the Auth of every Bearer route under /:business: the token's
// business must be the path's (another business's slug, or an unknown one, is
// "کسب و کار وجود ندارد"). An observer may read but not write. The throttle
// counts the request against the business once it is known.
func (p *Provider) authBusiness() func(c echo.Context) (string, error) {
	return func(c echo.Context) (string, error) {
		row, err := p.bearer(c)
		if err != nil {
			return "", p.fail("UNAUTHENTICATED")
		}
		if err := p.throttle(c, row.Name); err != nil {
			return row.Name, err
		}
		p.ensureWallet(row.Name)
		// A path the seed spells with a literal "business" segment (the custom
		// field list, the Ravand upload) names no business: it is the token's.
		if slug := c.Param("business"); slug != "" && slug != row.Name {
			return row.Name, p.fail("BUSINESS_NOT_FOUND")
		}
		if row.Role == "observer" && c.Request().Method != http.MethodGet {
			return row.Name, p.fail("FORBIDDEN")
		}
		return row.Name, nil
	}
}

// authIPG is the Auth of the gateway's API: the business is the one whose
// api_key the body carries. An absent or unknown key is left to the handler,
// which reports it among the other field errors.
func (p *Provider) authIPG(c echo.Context) (string, error) {
	in := readInput(c)
	key, _, ok := in.str("api_key")
	if !ok || key == "" {
		return "", nil
	}
	slug, found := p.credential(key)
	if !found {
		return "", nil
	}
	row, found := p.business(slug)
	if !found || row.APIKey != key {
		return "", nil
	}
	if err := p.throttle(c, slug); err != nil {
		return slug, err
	}
	p.ensureWallet(slug)
	return slug, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// --- POST /v3/login (legacy, behind legacy_login) ---

type loginReq struct{ mobile, password string }

func (p *Provider) parseLogin(c *api.Call) (loginReq, error) {
	in := readInput(c)
	var ps problems
	m, present, ok := in.str("mobile")
	if !present || !ok {
		ps = append(ps, problem{code: "LOGIN_MOBILE_REQUIRED"})
	}
	pw, present, ok := in.str("password")
	if !present || !ok {
		ps = append(ps, problem{code: "LOGIN_PASSWORD_REQUIRED"})
	}
	if len(ps) > 0 {
		return loginReq{}, p.failAll(ps)
	}
	return loginReq{mobile: m, password: pw}, nil
}

// runLogin issues a new pair to the business whose owner logs in; like a
// refresh it replaces the current pair.
func (p *Provider) runLogin(c *api.Call, r loginReq) (tokenPair, error) {
	for _, b := range p.allBusinesses() {
		if b.Mobile == "" || b.Mobile != r.mobile || b.Password != r.password {
			continue
		}
		var out, old businessRow
		err := p.businesses.Update(b.Name, bizKey, func(row *businessRow) error {
			old = *row
			if err := p.issuePair(row, p.clock.Now()); err != nil {
				return err
			}
			out = *row
			return nil
		})
		if err != nil {
			return tokenPair{}, err
		}
		p.rotated(old, out)
		return tokenPair{TokenType: "Bearer", ExpiresIn: int64(p.cfg.accessTTL / time.Second), AccessToken: out.Access, RefreshToken: out.Refresh}, nil
	}
	return tokenPair{}, p.fail("LOGIN_FAILED")
}
