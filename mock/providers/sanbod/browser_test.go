package sanbod_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

// TestBrowserLoginAndConsent drives the bank pages in headless Chromium: a wrong
// password shows the Persian error, the right login reaches the consent page, one
// deposit is unticked, and approving lands on the app's callback with code and
// state; the code then buys a token bound to the ticked deposit only.
func TestBrowserLoginAndConsent(t *testing.T) {
	ctx := browser.New(t)
	var mu sync.Mutex
	var got url.Values
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.URL.Query()
		mu.Unlock()
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(app.Close)

	c := newClient(t)
	r := c.post("/oautht/v1/authorize", map[string]any{
		"provider_code": "057", "redirect_uri": app.URL + "/cb", "scope": []string{"statement", "achtransfer"},
		"client_id": c.id, "response_type": "code", "state": 7000,
	})
	login := r.Header.Get("Location")
	if r.Status != 302 || login == "" {
		t.Fatalf("authorize: %d %s", r.Status, r.Raw)
	}

	var title, errText, brand string
	err := chromedp.Run(ctx,
		chromedp.Navigate(login),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.Text("header", &brand, chromedp.ByQuery),
		chromedp.SendKeys("#username", user, chromedp.ByQuery),
		chromedp.SendKeys("#password", "9999", chromedp.ByQuery),
		chromedp.SendKeys("#national_code", natCode, chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
		chromedp.Text("#error", &errText, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "پاسارگاد") || !strings.Contains(brand, "پاسارگاد") || !strings.Contains(errText, "رمز") {
		t.Fatalf("login page: title %q brand %q error %q", title, brand, errText)
	}

	// The form comes back with username and national code kept, password empty.
	var scopes, client string
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#password", password, chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#approve", chromedp.ByQuery),
		chromedp.Text("#scopes", &scopes, chromedp.ByQuery),
		chromedp.Text("#client", &client, chromedp.ByQuery),
		chromedp.Click("#deposit-1", chromedp.ByQuery), // untick the second deposit
		chromedp.Click("#approve", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(scopes, "انتقال وجه پایا") || client != c.id {
		t.Fatalf("consent page: scopes %q client %q", scopes, client)
	}
	var code string
	for i := 0; i < 100 && code == ""; i++ {
		mu.Lock()
		if got != nil {
			code = got.Get("code")
			if got.Get("state") != "7000" {
				t.Fatalf("callback query %v", got)
			}
		}
		mu.Unlock()
		if code == "" {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code == "" {
		t.Fatal("the browser never reached the callback")
	}
	access, _ := c.tokens(map[string]any{"grant_type": "authorization_code", "code": code})
	_, claims := decodeJWT(t, access)
	deps, _ := claims["deposits"].([]any)
	if len(deps) == 0 || contains(deps, dep5) || !contains(deps, dep4) {
		t.Fatalf("token deposits %v: want the ticked ones only", deps)
	}
}

func contains(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
