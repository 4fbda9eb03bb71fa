// Package consentui renders the bank login and consent pages of the OAuth dances
// (Finnotech, Sanbod). The pages are plain HTML forms that need no JavaScript, so a
// test can walk them with curl form posts exactly as a person does in a browser.
// It knows no provider: titles, brands and field names come from the caller.
package consentui

import (
	"embed"
	"html/template"
	"io"
)

// Field is one input of the login form, or a hidden value carried through a post.
type Field struct {
	Name, Label, Type, Value, Autocomplete string
}

// Option is one line of the consent page: a scope (read-only) or a deposit
// (a checkbox named "deposits").
type Option struct {
	Value, Label, Detail string
	Checked              bool
}

// Page is everything a login or consent page shows.
type Page struct {
	Title    string
	Brand    string
	Color    string // header colour; empty means a neutral one
	Intro    string
	Error    string
	Action   string
	Hidden   []Field
	Fields   []Field
	Client   string
	Scopes   []Option
	Deposits []Option
	Cards    []Option // read-only lines under the deposits (Sanbod's consent confirms cards too)
	Submit   string
	Deny     string
}

//go:embed pages.html
var files embed.FS

// The template set is parsed once and only read afterwards, so sharing it between
// requests is safe.
var pages = template.Must(template.ParseFS(files, "pages.html"))

// Login writes the login page.
func Login(w io.Writer, p Page) error { return pages.ExecuteTemplate(w, "login", view(p)) }

// Consent writes the consent page.
func Consent(w io.Writer, p Page) error { return pages.ExecuteTemplate(w, "consent", view(p)) }

// view fills the defaults a page must never be without.
func view(p Page) Page {
	if p.Color == "" {
		p.Color = "#37474f"
	}
	if p.Submit == "" {
		p.Submit = "تأیید"
	}
	if p.Deny == "" {
		p.Deny = "انصراف"
	}
	for i := range p.Fields {
		if p.Fields[i].Type == "" {
			p.Fields[i].Type = "text"
		}
	}
	return p
}
