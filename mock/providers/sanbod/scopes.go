package sanbod

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Grant types, as the JWT header's grant_type names them.
const (
	grantAC = "AC"
	grantCC = "CC"
)

// acScopes are the AC service scopes of the doc's table, with the Persian names the
// consent page shows.
var acScopes = map[string]string{
	"statement":      "صورت حساب",
	"normaltransfer": "انتقال وجه داخلی",
	"achtransfer":    "انتقال وجه پایا",
	"achreport":      "گزارش پایا",
	"rtgstransfer":   "انتقال وجه ساتنا",
	"rtgsreport":     "گزارش ساتنا",
}

// ccScopes are the client-credentials scopes: the documentation's table plus every name the
// public clients request (some for services sandbank does not model; a token for
// them is still issued, as the real service would).
var ccScopes = map[string]bool{
	"ibaninquiry": true, "cardtoiban": true, "cardtodeposit": true, "deposittoiban": true, "ibantodeposit": true,
	"mobilenationalid": true, "cardnationalid": true,
	"personal": true, "personalinquiry": true, "citizenshipverification": true,
	"personalwithimage": true, "personalimage": true, "personalimageinquiry": true,
	"foreignersiddenty": true, "inquery": true,
}

// lower normalises scope names: the doc's table capitalises them (Ibaninquiry),
// every example sends them in lower case.
func lower(sc oauth.Scopes) oauth.Scopes {
	out := make(oauth.Scopes, 0, len(sc))
	for _, s := range sc {
		s = strings.ToLower(s)
		if !out.Has(s) {
			out = append(out, s)
		}
	}
	return out
}

// scopes reads a requested scope list, in lower case, and records the problems
// with it: unreadable, empty, or naming a service the grant does not offer.
func (pr *problems) scopes(in scopeList, allowed func(string) bool, grant string) oauth.Scopes {
	scopes := lower(in.v)
	switch {
	case in.bad:
		pr.add("SCOPE_INVALID")
	case len(scopes) == 0:
		pr.add("SCOPE_REQUIRED")
	default:
		for _, s := range scopes {
			if !allowed(s) {
				pr.addMsg("SCOPE_INVALID", "سرویس "+s+" در روش "+grant+" مجاز نیست.")
			}
		}
	}
	return scopes
}
