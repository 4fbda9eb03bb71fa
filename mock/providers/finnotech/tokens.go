package finnotech

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// tokenItem is one entry of the token list (§2.6).
type tokenItem struct {
	ID           string   `json:"id"`
	ClientID     string   `json:"clientId"`
	Deposits     []string `json:"deposits"`
	LifeTime     int64    `json:"lifeTime"`
	Type         string   `json:"type"`
	CreationDate string   `json:"creationDate"`
	UserID       string   `json:"userId"`
	Scopes       []string `json:"scopes"`
	Active       bool     `json:"active"`
}

// listTokens is GET /dev/v2/clients/{clientId}/tokens: with bank, the
// authorization-code tokens of that bank; without, the client-credentials and
// SMS tokens. Expired and revoked tokens are listed with active false.
func (p *Provider) listTokens() api.Op[string, map[string]any] {
	return api.Op[string, map[string]any]{Parse: p.parseListTokens, Run: p.runListTokens}
}

// parseListTokens answers the bank asked for ("" for none).
func (p *Provider) parseListTokens(c *api.Call) (string, error) {
	if err := p.takeTrackID(c, false); err != nil {
		return "", err
	}
	bank := c.QueryParam("bank")
	if bank != "" && !authBanks[bank] {
		return "", invalid("bank " + bank + " is not supported")
	}
	return bank, nil
}

func (p *Provider) runListTokens(c *api.Call, bank string) (map[string]any, error) {
	codes, ccs, sms := []tokenItem{}, []tokenItem{}, []tokenItem{}
	for _, it := range p.tokens.List(c.Tenant) {
		t := it.Value
		item := tokenItem{ID: t.ID, ClientID: t.ClientID, Deposits: t.Deposits, LifeTime: t.lifeTime(), Type: t.Type,
			CreationDate: t.creationDate(), UserID: t.UserID, Scopes: t.Scopes, Active: t.active(c.Now)}
		if item.Deposits == nil {
			item.Deposits = []string{}
		}
		switch {
		case bank != "":
			if t.Type == typeCode && t.AuthType != "SMS" && t.Bank == bank {
				codes = append(codes, item)
			}
		case t.Type == typeCC:
			ccs = append(ccs, item)
		case t.AuthType == "SMS":
			sms = append(sms, item)
		}
	}
	if bank != "" {
		return map[string]any{"authorizationCode": codes}, nil
	}
	return map[string]any{"clientCredentials": ccs, "sms": sms}, nil
}

// revokeToken is DELETE /dev/v2/clients/{clientId}/token with the token in a JSON
// body. The Bearer is either a client-credentials token of the client or the
// token being revoked itself (S11 sends the latter). Its refresh token dies with
// it, so the grant cannot be renewed.
// The body's shape is judged before a forced code; which token it names, and
// whether the caller may revoke it, is the act.
func (p *Provider) revokeToken() api.Op[fields, api.Written] {
	return api.Op[fields, api.Written]{Parse: p.parseRevoke, Run: api.Writes(p.runRevoke)}
}

func (p *Provider) parseRevoke(c *api.Call) (fields, error) {
	if err := p.takeTrackID(c, false); err != nil {
		return nil, err
	}
	f, e := readFields(c)
	if e != nil {
		return nil, e
	}
	value, tt := f.get("token"), strings.ToUpper(f.get("token_type"))
	switch {
	case value == "":
		return nil, invalid("token is required")
	case tt == "":
		return nil, invalid("token_type is required")
	case tt != typeCC && tt != typeCode:
		return nil, invalid("token_type must be CLIENT-CREDENTIAL or CODE")
	}
	return f, nil
}

func (p *Provider) runRevoke(c *api.Call, f fields) error {
	value, tt := f.get("token"), strings.ToUpper(f.get("token_type"))
	var target tokenRow
	found := false
	for _, it := range p.tokens.List(c.Tenant) {
		if it.Value.Value == value || it.Value.Refresh == value {
			target, found = it.Value, true
			break
		}
	}
	if !found {
		return invalid("token not found")
	}
	caller := token(c)
	if caller.Type != typeCC && caller.ID != target.ID {
		return forbidden("only a Client_Credential token or the token itself may revoke a token")
	}
	switch {
	case target.Type != tt:
		return invalid("token_type does not match the token")
	case tt == typeCode && target.AuthType != "SMS" && f.has("bank") && f.get("bank") != target.Bank:
		return invalid("bank does not match the token")
	}
	_ = p.tokens.Update(c.Tenant, target.ID, func(t *tokenRow) error {
		if !t.Revoked { // a second revoke keeps the first one's time
			t.Revoked, t.RevokedAt = true, c.Now
		}
		return nil
	})
	return api.JSON(c, 200, map[string]string{"status": "DONE", "trackId": api.TrackID(c)})
}
