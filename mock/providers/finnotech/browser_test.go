package finnotech_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

// TestBrowserLoginAndConsent drives the sandbox bank pages in headless Chromium:
// a wrong login shows the Persian error, the right one leads to the consent page,
// a deposit is ticked and approved, and the browser lands on the application's
// redirect_uri with a code that exchanges for a token of that deposit.
func TestBrowserLoginAndConsent(t *testing.T) {
	ctx := browser.New(t)
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")

	var mu sync.Mutex
	var got url.Values
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cb" { // not the favicon the browser asks for next
			mu.Lock()
			got = r.URL.Query()
			mu.Unlock()
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(app.Close)
	redirect := app.URL + "/cb"

	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"oak:card-charge:execute,oak:balance:get"}, "bank": {"062"}, "state": {"br-1"}}
	var errText, title, scopes, pageText, landed string
	err := chromedp.Run(ctx,
		chromedp.Navigate(c.base+"/dev/v2/oauth2/authorize?"+q.Encode()),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.SendKeys("#username", "1111111111", chromedp.ByQuery),
		chromedp.SendKeys("#password", "wrong-pass", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
		chromedp.Text("#error", &errText, chromedp.ByQuery),
		chromedp.SendKeys("#username", "1111111111", chromedp.ByQuery),
		chromedp.SendKeys("#password", "1111111111", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#consent", chromedp.ByQuery),
		chromedp.Text("#consent", &scopes, chromedp.ByQuery),
		chromedp.Text("main", &pageText, chromedp.ByQuery),
		chromedp.Click("#deposit-0", chromedp.ByQuery),
		chromedp.Click("#approve", chromedp.ByQuery),
		browser.WaitURL(redirect, &landed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "آینده") {
		t.Errorf("login page title %q", title)
	}
	if !strings.Contains(errText, "نام کاربری یا رمز عبور اشتباه است") {
		t.Errorf("error text %q", errText)
	}
	if !strings.Contains(scopes, "oak:card-charge:execute") || !strings.Contains(scopes, "0211111111111") {
		t.Errorf("consent page text %q", scopes)
	}
	// Scopes by their Persian names (the id beside), the client named once, and
	// each magic deposit with the outcome it produces.
	for _, want := range []string{"شارژ کارت بن", "مشاهده موجودی حساب", "0200000000107", "A107", "C10", "شارژ سوم هر روز: A116"} {
		if !strings.Contains(pageText, want) {
			t.Errorf("consent page lacks %q:\n%s", want, pageText)
		}
	}
	if n := strings.Count(pageText, "drops"); n != 1 {
		t.Errorf("the client is named %d times:\n%s", n, pageText)
	}
	if !strings.HasPrefix(landed, redirect) {
		t.Fatalf("browser ended at %s", landed)
	}
	mu.Lock()
	code, state := got.Get("code"), got.Get("state")
	mu.Unlock()
	if state != "br-1" || len(code) != 16 {
		t.Fatalf("redirect_uri got %v", got)
	}
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect})
	deps, _ := tok.field("result.deposits").([]any)
	if tok.Status != 200 || len(deps) != 1 || deps[0] != "0211111111111" {
		t.Errorf("token after the browser dance: %d %s", tok.Status, tok.Raw)
	}
}
