package sanbod

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// flex is an OAuth parameter that clients send as a string or a number (state 7000,
// provider_code "059"). It keeps the literal text; anything else (object, array,
// bool) is remembered as bad so the field can be reported by name.
type flex struct {
	v   string
	set bool
	bad bool
}

func (f *flex) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = flex{}
	case len(b) > 0 && b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			*f = flex{set: true, bad: true}
			return nil
		}
		*f = flex{v: s, set: true}
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*f = flex{v: string(b), set: true}
	default:
		*f = flex{set: true, bad: true}
	}
	return nil
}

// scopeList is the scope parameter: a JSON array of names (the documented form), or
// one string of names separated by commas or spaces (RFC 6749, form posts).
type scopeList struct {
	v   oauth.Scopes
	set bool
	bad bool
}

func (s *scopeList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = scopeList{set: true}
	switch {
	case bytes.Equal(b, []byte("null")):
		s.set = false
	case len(b) > 0 && b[0] == '"':
		var one string
		if json.Unmarshal(b, &one) != nil {
			s.bad = true
			return nil
		}
		s.v = oauth.ParseScopes(one)
	case len(b) > 0 && b[0] == '[':
		var items []json.RawMessage
		if json.Unmarshal(b, &items) != nil {
			s.bad = true
			return nil
		}
		names := make([]string, 0, len(items))
		for _, it := range items {
			var n string
			if json.Unmarshal(it, &n) != nil {
				s.bad = true
				return nil
			}
			names = append(names, n)
		}
		s.v = oauth.NewScopes(names...)
	default:
		s.bad = true
	}
	return nil
}

// oauthParams are the parameters of authorize, token and revoke together: each
// endpoint reads the ones it knows.
type oauthParams struct {
	ProviderCode flex      `json:"provider_code"`
	RedirectURI  flex      `json:"redirect_uri"`
	Scope        scopeList `json:"scope"`
	ClientID     flex      `json:"client_id"`
	ResponseType flex      `json:"response_type"`
	State        flex      `json:"state"`
	GrantType    flex      `json:"grant_type"`
	Code         flex      `json:"code"`
	RefreshToken flex      `json:"refresh_token"`
	AccessToken  flex      `json:"access_token"`
	Token        flex      `json:"token"`
}

// readParams takes the parameters from a JSON body (the documented form), a form
// body (the Go SDK's revoke, curl -d), or the query of a GET (a browser sent to
// authorize). A body that is neither is reported as BODY_INVALID.
func (p *Provider) readParams(c echo.Context) (oauthParams, error) {
	var out oauthParams
	req := c.Request()
	if req.Method == "GET" {
		fromValues(&out, req.URL.Query())
		return out, nil
	}
	raw, err := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return out, p.fail("BODY_INVALID")
	}
	trimmed := bytes.TrimSpace(raw)
	ctype := strings.ToLower(req.Header.Get("Content-Type"))
	switch {
	case len(trimmed) == 0:
		return out, nil
	case strings.HasPrefix(ctype, "application/x-www-form-urlencoded") || (!strings.Contains(ctype, "json") && trimmed[0] != '{'):
		vals, err := url.ParseQuery(string(trimmed))
		if err != nil {
			return out, p.fail("BODY_INVALID")
		}
		fromValues(&out, vals)
		return out, nil
	}
	return out, p.decodeJSON(trimmed, &out)
}

func fromValues(out *oauthParams, v url.Values) {
	set := func(f *flex, name string) {
		if vals, ok := v[name]; ok && len(vals) > 0 {
			*f = flex{v: vals[0], set: true}
		}
	}
	set(&out.ProviderCode, "provider_code")
	set(&out.RedirectURI, "redirect_uri")
	set(&out.ClientID, "client_id")
	set(&out.ResponseType, "response_type")
	set(&out.State, "state")
	set(&out.GrantType, "grant_type")
	set(&out.Code, "code")
	set(&out.RefreshToken, "refresh_token")
	set(&out.AccessToken, "access_token")
	set(&out.Token, "token")
	for _, name := range []string{"scope", "scope[]"} {
		if vals, ok := v[name]; ok {
			out.Scope = scopeList{v: append(out.Scope.v, oauth.NewScopes(vals...)...), set: true}
		}
	}
}

// decodeJSON decodes one JSON object. A body that is not one is BODY_INVALID; a
// field of the wrong JSON type is reported under its own name.
func (p *Provider) decodeJSON(body []byte, into any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return p.failField("FIELD_INVALID", te.Field, "")
		}
		return p.fail("BODY_INVALID")
	}
	if dec.More() {
		return p.fail("BODY_INVALID")
	}
	if _, err := dec.Token(); err != io.EOF {
		return p.fail("BODY_INVALID")
	}
	return nil
}

// problems collects field errors so one answer lists every bad field, the way the
// {"field": ["…"]} shape suggests the service validates (a serializer reporting
// all fields at once).
type problems struct {
	p     *Provider
	first string
	f     map[string][]string
}

func (pr *problems) add(code string) { pr.addMsg(code, "") }

func (pr *problems) addMsg(code, msg string) {
	en := pr.p.errs[code]
	if msg == "" {
		msg = en.msg
	}
	if pr.f == nil {
		pr.f, pr.first = map[string][]string{}, code
	}
	pr.f[en.field] = append(pr.f[en.field], msg)
}

func (pr *problems) err() error {
	if pr.f == nil {
		return nil
	}
	e := pr.p.cat.Err(pr.first)
	e.Fields = pr.f
	return e
}
