package sanbod

import (
	"encoding/json"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/form"
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

func flexOf(v *form.Values, name string) flex {
	val, found := v.Lookup(name)
	switch {
	case !found || val.Type == form.Null:
		return flex{}
	case val.Type == form.Text || val.Type == form.Number:
		return flex{v: val.Text, set: true}
	}
	return flex{set: true, bad: true}
}

// scopeList is the scope parameter: a JSON array of names (the documented form),
// one string of names separated by commas or spaces (RFC 6749, form posts), or
// the form field repeated, as scope or scope[].
type scopeList struct {
	v   oauth.Scopes
	set bool
	bad bool
}

func scopesOf(v *form.Values) scopeList {
	var names []string
	set := false
	for _, name := range []string{"scope", "scope[]"} {
		for _, val := range v.All(name) {
			switch val.Type {
			case form.Null:
				continue
			case form.Text:
				names = append(names, val.Text)
			case form.Array:
				var items []string // a null item reads as ""
				if json.Unmarshal([]byte(val.Text), &items) != nil {
					return scopeList{set: true, bad: true}
				}
				names = append(names, items...)
			default:
				return scopeList{set: true, bad: true}
			}
			set = true
		}
	}
	return scopeList{v: oauth.NewScopes(names...), set: set}
}

// oauthParams are the parameters of authorize, token and revoke together: each
// endpoint reads the ones it knows.
type oauthParams struct {
	ProviderCode flex
	RedirectURI  flex
	Scope        scopeList
	ClientID     flex
	ResponseType flex
	State        flex
	GrantType    flex
	Code         flex
	RefreshToken flex
	AccessToken  flex
	Token        flex
}

var (
	// A browser sent to authorize carries the parameters in the query.
	fromQuery = form.Options{QueryOnly: true}
	// A JSON body (the documented form) matches names regardless of case, as
	// the service's JSON binder does; a form body is the Go SDK's revoke or
	// curl -d; the literal null is no parameters.
	fromBody = form.Options{FoldCase: true, NullBody: true, Choose: func(ct string, first byte) form.Encoding {
		if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || (!strings.Contains(ct, "json") && first != '{') {
			return form.Form
		}
		return form.JSON
	}}
)

// readParams takes the parameters from the query of a GET or from the body. A
// body that cannot be read is BODY_INVALID.
func (p *Provider) readParams(c echo.Context) (oauthParams, error) {
	o := fromBody
	if c.Request().Method == "GET" {
		o = fromQuery
	}
	v, ps := form.Parse(c.Request(), o)
	if len(ps) > 0 {
		return oauthParams{}, p.fail("BODY_INVALID")
	}
	return oauthParams{
		ProviderCode: flexOf(v, "provider_code"), RedirectURI: flexOf(v, "redirect_uri"),
		Scope: scopesOf(v), ClientID: flexOf(v, "client_id"), ResponseType: flexOf(v, "response_type"),
		State: flexOf(v, "state"), GrantType: flexOf(v, "grant_type"), Code: flexOf(v, "code"),
		RefreshToken: flexOf(v, "refresh_token"), AccessToken: flexOf(v, "access_token"), Token: flexOf(v, "token"),
	}, nil
}

// decodeJSON decodes one JSON object into a service's typed request. A body that
// is not one is BODY_INVALID; a field of the wrong JSON type is reported under
// its own name.
func (p *Provider) decodeJSON(body []byte, into any) error {
	pr, bad := form.DecodeJSON(body, into).First()
	switch {
	case !bad:
		return nil
	case pr.Kind == form.BadType:
		return p.failField("FIELD_INVALID", pr.Field, "")
	}
	return p.fail("BODY_INVALID")
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
