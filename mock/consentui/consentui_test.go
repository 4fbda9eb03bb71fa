package consentui

import (
	"bytes"
	"strings"
	"testing"
)

func TestLoginEscapesAndCarriesFields(t *testing.T) {
	var b bytes.Buffer
	err := Login(&b, Page{
		Title:  "ورود",
		Brand:  "بانک <آینده>",
		Error:  `رمز "اشتباه" است`,
		Action: "http://x/login?session=a&b=1",
		Hidden: []Field{{Name: "session", Value: `s"1`}},
		Fields: []Field{{Name: "username", Label: "کد ملی"}, {Name: "password", Label: "رمز", Type: "password"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		`dir="rtl"`, `lang="fa"`, `<form id="login" method="post" action="http://x/login?session=a&amp;b=1">`,
		`name="session" value="s&#34;1"`, `id="username" name="username"`, `type="password" id="password"`,
		`بانک &lt;آینده&gt;`, `<div id="error" role="alert">رمز &#34;اشتباه&#34; است</div>`, `id="submit">تأیید`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("login page lacks %q\n%s", want, s)
		}
	}
}

func TestConsentListsScopesAndDeposits(t *testing.T) {
	var b bytes.Buffer
	err := Consent(&b, Page{
		Title: "اجازه دسترسی", Client: "drops", Action: "/consent",
		Scopes:   []Option{{Value: "oak:statement:get", Label: "صورتحساب"}},
		Deposits: []Option{{Value: "0206754653002", Label: "0206754653002", Checked: true}, {Value: "0206754653003", Label: "0206754653003"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		`id="client">drops`, `data-scope="oak:statement:get"`,
		`id="deposit-0" value="0206754653002" checked`, `id="deposit-1" value="0206754653003">`,
		`name="action" value="approve" id="approve"`, `name="action" value="deny" id="deny"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("consent page lacks %q\n%s", want, s)
		}
	}
	if strings.Contains(s, `id="error"`) {
		t.Error("error box shown without an error")
	}
}

func TestColourReachesTheStyle(t *testing.T) {
	var b bytes.Buffer
	if err := Login(&b, Page{Color: "#6d2077"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "background:#6d2077") {
		t.Errorf("colour not in style:\n%s", b.String())
	}
}
