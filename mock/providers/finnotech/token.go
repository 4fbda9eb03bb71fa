package finnotech

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

const tokenOK = "FN-BRFH-20000000000" // responseCode of an issued token (§1.3)

// tokenRow is one issued access token with everything the services, the token
// list and a refresh need; the JWT carries the same facts as claims.
type tokenRow struct {
	ID           string    `json:"id"` // jti / tokenId
	Value        string    `json:"value"`
	Refresh      string    `json:"refreshToken"`
	ClientID     string    `json:"clientId"`
	Type         string    `json:"type"`     // CLIENT-CREDENTIAL | CODE
	AuthType     string    `json:"authType"` // SMS or ""
	Bank         string    `json:"bank"`
	UserID       string    `json:"userId"`
	Scopes       []string  `json:"scopes"`
	Deposits     []string  `json:"deposits"`
	MaxAmount    int64     `json:"maxAmountPerTransaction"` // 0 = no limit
	MonthlyCalls int64     `json:"monthlyCallLimitation"`
	Created      time.Time `json:"created"`
	Expires      time.Time `json:"expires"`
	// Revoked ends the access token and its refresh token together (tokens.go).
	Revoked bool `json:"revoked,omitempty"`
	// RevokedAt is when, from which --retention counts (retention.go).
	RevokedAt time.Time `json:"revokedAt,omitzero"`
	// RefreshedAt is when the refresh token was last used, kept only with
	// --retention, which forgets a token idle that long (retention.go).
	RefreshedAt time.Time `json:"refreshedAt,omitzero"`
}

// idleSince is when the token was last of use: its access token's expiry, or
// the last refresh with its refresh token if later.
func (t tokenRow) idleSince() time.Time {
	if t.RefreshedAt.After(t.Expires) {
		return t.RefreshedAt
	}
	return t.Expires
}

// active is whether the access token still works at now: not revoked, not expired
// (at its expiry instant, as a JWT's exp).
func (t tokenRow) active(now time.Time) bool { return !t.Revoked && now.Before(t.Expires) }

// Clone keeps stored rows independent of callers' copies.
func (t tokenRow) Clone() tokenRow {
	t.Scopes = slices.Clone(t.Scopes)
	t.Deposits = slices.Clone(t.Deposits)
	return t
}

func (t tokenRow) lifeTime() int64 { return t.Expires.Sub(t.Created).Milliseconds() }

func (t tokenRow) creationDate() string { return iran.FormatJalali(t.Created, "yyyyMMddHHmmss") }

// ccResult is the client-credentials token result (§2.1).
type ccResult struct {
	Value        string   `json:"value"`
	Scopes       []string `json:"scopes"`
	LifeTime     int64    `json:"lifeTime"`
	CreationDate string   `json:"creationDate"`
	RefreshToken string   `json:"refreshToken"`
}

// codeResult is the authorization-code token result (§2.2); the SMS variant adds
// auth_type and sends lifeTime as a string (§2.3).
type codeResult struct {
	Scopes                  []string `json:"scopes"`
	MonthlyCallLimitation   int64    `json:"monthlyCallLimitation"`
	MaxAmountPerTransaction int64    `json:"maxAmountPerTransaction"`
	UserID                  string   `json:"userId"`
	CreationDate            string   `json:"creationDate"`
	Type                    string   `json:"type"`
	Bank                    string   `json:"bank"`
	LifeTime                any      `json:"lifeTime"`
	Deposits                []string `json:"deposits"`
	ClientID                string   `json:"clientId"`
	Value                   string   `json:"value"`
	RefreshToken            string   `json:"refreshToken"`
	AuthType                string   `json:"auth_type,omitempty"`
}

func (t tokenRow) result() any {
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	if t.Type == typeCC {
		return ccResult{Value: t.Value, Scopes: scopes, LifeTime: t.lifeTime(), CreationDate: t.creationDate(), RefreshToken: t.Refresh}
	}
	deposits := t.Deposits
	if deposits == nil {
		deposits = []string{}
	}
	r := codeResult{
		Scopes: scopes, MonthlyCallLimitation: t.MonthlyCalls, MaxAmountPerTransaction: t.MaxAmount,
		UserID: t.UserID, CreationDate: t.creationDate(), Type: t.Type, Bank: t.Bank,
		LifeTime: t.lifeTime(), Deposits: deposits, ClientID: t.ClientID, Value: t.Value, RefreshToken: t.Refresh,
	}
	if t.AuthType == "SMS" {
		r.AuthType = "SMS"
		r.LifeTime = strconv.FormatInt(t.lifeTime(), 10)
	}
	return r
}

// lifetimeFor is 15 minutes for Keshavarzi and Khavarmianeh tokens, 10 days
// otherwise (§2.2, balance page).
func lifetimeFor(bank string) time.Duration {
	if bank == "016" || bank == "078" {
		return shortLife
	}
	return longLife
}

// issue mints an access token and a refresh token for the grant in g (its ID,
// Value, Refresh and times are filled in) and records both.
func (p *Provider) issue(g tokenRow) (tokenRow, error) {
	ttl := lifetimeFor(g.Bank)
	g.ID = p.ids.UUID()
	g.Refresh = p.ids.Alnum(256)
	nullable := func(n int64) any {
		if n == 0 {
			return nil
		}
		return n
	}
	deposits := g.Deposits
	if deposits == nil {
		deposits = []string{}
	}
	// Claim sets as the documented example tokens decode (§2.1, §2.2); Issue adds
	// jti, iat and exp, which real 2024 tokens carry too.
	var claims map[string]any
	if g.Type == typeCC {
		claims = map[string]any{
			"refreshToken": g.Refresh, "lifeTime": ttl.Milliseconds(), "clientId": g.ClientID,
			"userId": g.UserID, "active": true, "scopes": g.Scopes, "deposits": deposits,
			"monthlyCallLimitation": nil, "maxAmountPerTransaction": nil, "destination": nil, "type": typeCC,
		}
	} else {
		claims = map[string]any{
			"tokenId": g.ID, "scopes": g.Scopes, "monthlyCallLimitation": nullable(g.MonthlyCalls),
			"maxAmountPerTransaction": nullable(g.MaxAmount), "userId": g.UserID, "type": typeCode,
			"bank": g.Bank, "lifeTime": ttl.Milliseconds(), "deposits": deposits, "clientId": g.ClientID,
			"randomUKID": p.ids.UUID(),
		}
	}
	// Signed directly (not Signer.Issue) so creationDate, iat and exp come from the
	// one instant, whole seconds as JWT stores them.
	now := p.clock.Now().Truncate(time.Second)
	exp := now.Add(ttl)
	claims["creationDate"] = iran.FormatJalali(now, "yyyyMMddHHmmss")
	claims["jti"], claims["iat"], claims["exp"] = g.ID, now.Unix(), exp.Unix()
	value, err := p.signer.Sign(jwt.MapClaims(claims), nil)
	if err != nil {
		return tokenRow{}, err
	}
	g.Value, g.Expires, g.Created = value, exp, now
	g.Revoked, g.RevokedAt = false, time.Time{}
	p.tokens.Put(g.ClientID, g.ID, g)
	p.refresh.Put(g.ClientID, g.Refresh, g.ID)
	return g, nil
}

// token is POST /dev/v2/oauth2/token: one endpoint, the grant chosen by
// grant_type; fields a grant does not use are ignored (§2, S10 sends extras).
func (p *Provider) token() api.Op[fields, api.Written] {
	return api.Op[fields, api.Written]{Parse: parseToken, Run: p.runToken}
}

// parseToken judges the body's shape for its grant: the fields each grant
// requires and their form. What the code or refresh token names is the act's.
func parseToken(c *api.Call) (fields, error) {
	f, e := readFields(c)
	if e != nil {
		return nil, e
	}
	switch gt := f.get("grant_type"); gt {
	case "client_credentials":
		nid := f.get("nid")
		switch {
		case nid == "":
			return nil, invalid("nid is required")
		case !digits.Len(nid, 10):
			return nil, invalid("nid must be a 10-digit national id")
		}
		scopes := oauth.ParseScopes(f.get("scopes"))
		if len(scopes) == 0 {
			return nil, invalid("scopes is required")
		}
		if bad := badScope(scopes); bad != "" {
			return nil, invalid("invalid scope " + bad)
		}
	case "authorization_code":
		switch {
		case f.get("code") == "":
			return nil, invalid("code is required")
		case f.get("redirect_uri") == "":
			return nil, invalid("redirect_uri is required")
		case !strings.EqualFold(f.get("auth_type"), "SMS") && f.get("bank") == "":
			return nil, invalid("bank is required")
		}
	case "refresh_token":
		tt := strings.ToUpper(f.get("token_type"))
		switch {
		case f.get("refresh_token") == "":
			return nil, invalid("refresh_token is required")
		case tt == "":
			return nil, invalid("token_type is required")
		case tt != typeCC && tt != typeCode:
			return nil, invalid("token_type must be CLIENT-CREDENTIAL or CODE")
		}
	case "":
		return nil, invalid("grant_type is required")
	default:
		return nil, invalid("grant_type " + gt + " is not supported")
	}
	return f, nil
}

func (p *Provider) runToken(c *api.Call, f fields) (api.Written, error) {
	var row tokenRow
	var err error
	switch f.get("grant_type") {
	case "client_credentials":
		row, err = p.issue(tokenRow{ClientID: c.Tenant, Type: typeCC, UserID: f.get("nid"), Scopes: oauth.ParseScopes(f.get("scopes"))})
	case "authorization_code":
		row, err = p.exchangeCode(c, f)
	default:
		row, err = p.refreshToken(c, f)
	}
	if err != nil {
		return api.Written{}, err
	}
	return api.Written{}, api.JSON(c, 200, success{Result: row.result(), Status: "DONE", ResponseCode: tokenOK})
}

// badScope returns the first scope not shaped module:resource:action.
func badScope(sc oauth.Scopes) string {
	for _, s := range sc {
		if strings.Count(s, ":") != 2 || strings.HasPrefix(s, ":") || strings.HasSuffix(s, ":") || strings.Contains(s, "::") {
			return s
		}
	}
	return ""
}

func (p *Provider) exchangeCode(c *api.Call, f fields) (tokenRow, error) {
	code, redirect := f.get("code"), f.get("redirect_uri")
	sms := strings.EqualFold(f.get("auth_type"), "SMS")
	// Every check of the request against the grant runs before the code is spent, so
	// an exchange with the wrong bank (or an SMS code sent as a bank code) leaves the
	// code to the right request.
	g, err := p.codes.RedeemIf(code, c.Tenant, redirect, func(g oauth.Grant) error {
		if g.Data[dataAuthType] == "SMS" {
			sent, _ := time.Parse(time.RFC3339Nano, g.Data[dataSMSAt])
			if !c.Now.Before(sent.Add(smsTTL)) {
				return p.errCode(keyOTPExpired)
			}
			return nil
		}
		if sms {
			return invalid("invalid code")
		}
		if b := f.get("bank"); b != g.Data[oauth.DataBank] {
			return invalid("bank " + b + " does not match the authorized bank")
		}
		return nil
	})
	var ee *envelope.Error
	switch {
	case errors.As(err, &ee):
		return tokenRow{}, ee
	case errors.Is(err, oauth.ErrRedirectMismatch):
		return tokenRow{}, invalid("redirect_uri does not match the one authorized")
	case errors.Is(err, oauth.ErrCodeExpired):
		return tokenRow{}, invalid("code is expired")
	case err != nil:
		return tokenRow{}, invalid("invalid code")
	}
	if g.Data[dataAuthType] == "SMS" {
		return p.issue(tokenRow{ClientID: c.Tenant, Type: typeCode, AuthType: "SMS", Bank: g.Data[dataSMSBank],
			UserID: g.Subject, Scopes: g.Scopes, Deposits: g.Deposits})
	}
	limit, _ := strconv.ParseInt(g.Data["limit"], 10, 64)
	count, _ := strconv.ParseInt(g.Data["count"], 10, 64)
	return p.issue(tokenRow{ClientID: c.Tenant, Type: typeCode, Bank: g.Data[oauth.DataBank], UserID: g.Subject,
		Scopes: g.Scopes, Deposits: g.Deposits, MaxAmount: limit, MonthlyCalls: count})
}

// refreshToken renews a token. The refresh token stays valid afterwards: several
// clients keep refreshing with the first one (§2.4).
func (p *Provider) refreshToken(c *api.Call, f fields) (tokenRow, error) {
	rt, tt := f.get("refresh_token"), strings.ToUpper(f.get("token_type"))
	id, found := p.refresh.Get(c.Tenant, rt)
	if !found {
		return tokenRow{}, invalid("invalid refresh token")
	}
	old, found := p.tokens.Get(c.Tenant, id)
	if !found || old.Refresh != rt || old.Revoked {
		return tokenRow{}, invalid("invalid refresh token")
	}
	if old.Type != tt {
		return tokenRow{}, invalid("token_type does not match the refresh token")
	}
	if tt == typeCode {
		sms := old.AuthType == "SMS"
		switch {
		case sms && !strings.EqualFold(f.get("auth_type"), "SMS"):
			return tokenRow{}, invalid("auth_type SMS is required for this token")
		case !sms && f.get("bank") == "":
			return tokenRow{}, invalid("bank is required")
		case !sms && f.get("bank") != old.Bank:
			return tokenRow{}, invalid("bank " + f.get("bank") + " does not match the token's bank")
		}
	}
	if p.retention > 0 {
		// The refresh token is in use: --retention must not forget it yet.
		_ = p.tokens.Update(c.Tenant, id, func(t *tokenRow) error { t.RefreshedAt = c.Now; return nil })
	}
	g := old
	g.Value, g.Refresh, g.RefreshedAt = "", "", time.Time{}
	return p.issue(g)
}
