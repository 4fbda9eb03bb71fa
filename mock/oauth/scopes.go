package oauth

import (
	"slices"
	"strings"
)

// Scopes is an ordered set of scope names. Order is kept because providers echo the
// granted scopes back in the order the client asked for them.
type Scopes []string

// ParseScopes splits on commas and whitespace, since Finnotech sends "a,b", OAuth2
// sends "a b" and hand-written requests mix both; empty items and repeats are dropped.
func ParseScopes(s string) Scopes {
	var out Scopes
	for _, f := range strings.FieldsFunc(s, isScopeSep) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// NewScopes normalises a list that arrived as a JSON array (Sanbod's `scope`), where an
// item may itself be a comma-joined string (a Finnotech quirk).
func NewScopes(items ...string) Scopes {
	return ParseScopes(strings.Join(items, ","))
}

func isScopeSep(r rune) bool {
	return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// Has reports whether s is granted. Matching is exact: wildcard scopes such as
// "oak:block:*" are names a provider may give meaning to, not patterns here.
func (sc Scopes) Has(s string) bool { return slices.Contains(sc, s) }

// HasAll reports whether every scope in other is granted.
func (sc Scopes) HasAll(other Scopes) bool { return len(sc.Missing(other)) == 0 }

// Missing lists the scopes of other that are not granted, in other's order, so an
// error message can name them; nil when none are missing.
func (sc Scopes) Missing(other Scopes) Scopes {
	var out Scopes
	for _, s := range other {
		if !sc.Has(s) && !out.Has(s) {
			out = append(out, s)
		}
	}
	return out
}

// String joins the scopes with sep ("," for Finnotech, " " for RFC 6749).
func (sc Scopes) String(sep string) string { return strings.Join(sc, sep) }
