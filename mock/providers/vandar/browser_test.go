package vandar_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

// TestBrowserPaymentPage drives the hosted payment page in headless Chromium: a
// wrong card shows the Persian error, "send code" shows the dynamic password, Pay
// lands the browser on the shop's callback with payment_status=OK, and verify
// then succeeds.
func TestBrowserPaymentPage(t *testing.T) {
	ctx := browser.New(t)
	c := newClient(t)

	shop, callback := callbackShop(t, "/cb")
	v := url.Values{"api_key": {apiKey}, "amount": {"120000"}, "callback_url": {shop + "/cb?order=9"}, "description": {"خرید آزمایشی"}}
	token := c.ipgForm("/api/v4/send", v).want(t, 200)["token"].(string)

	var title, amount, errText, notice, landed string
	err := chromedp.Run(ctx,
		chromedp.Navigate(c.ipg+"/v4/"+token),
		chromedp.WaitVisible("#card", chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.Text("#amount", &amount, chromedp.ByQuery),
		chromedp.SendKeys("#card", "6037990000000015", chromedp.ByQuery),
		chromedp.Click("#send-otp", chromedp.ByQuery),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
		chromedp.Text("#error", &errText, chromedp.ByQuery),
		// The page is open until paid or cancelled: load it afresh.
		chromedp.Navigate(c.ipg+"/v4/"+token),
		chromedp.WaitVisible("#card", chromedp.ByQuery),
		chromedp.SendKeys("#card", cardOK, chromedp.ByQuery),
		chromedp.Click("#send-otp", chromedp.ByQuery),
		chromedp.WaitVisible("#notice", chromedp.ByQuery),
		chromedp.Text("#notice", &notice, chromedp.ByQuery),
		chromedp.SendKeys("#cvv2", "123", chromedp.ByQuery),
		chromedp.SendKeys("#month", "12", chromedp.ByQuery),
		chromedp.SendKeys("#year", "08", chromedp.ByQuery),
		chromedp.SendKeys("#otp", "111111", chromedp.ByQuery),
		chromedp.Click("#pay", chromedp.ByQuery),
		browser.WaitURL(shop+"/cb", &landed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "وندار") || amount != "120,000" {
		t.Errorf("page title %q, amount %q", title, amount)
	}
	if !strings.Contains(errText, "شماره کارت معتبر نیست") || !strings.Contains(notice, "111111") {
		t.Errorf("error %q, notice %q", errText, notice)
	}
	q := callback()
	if q.Get("token") != token || q.Get("payment_status") != "OK" || q.Get("order") != "9" {
		t.Fatalf("callback got %v (browser at %s)", q, landed)
	}
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
}

// TestBrowserRavandActivation drives the hosted activation page in headless
// Chromium: a wrong last-four shows the Persian error, the code the page
// shows (sandbox) with the right digits activates the card, and the link is
// spent.
func TestBrowserRavandActivation(t *testing.T) {
	ctx := browser.New(t)
	c := newClient(t)
	c.rv("POST", rvBase+"/set-config", map[string]any{"card_title": "کارت آکمه"}).want(t, 200)
	path, card := c.issue(t, rvNational, "1111111111")
	var out map[string]any
	if st := c.srv.Admin.Do("POST", "/vandar/ravand/deliver", map[string]any{"card_number": card}, &out); st != 200 {
		t.Fatalf("deliver: %d %v", st, out)
	}
	link := dataOf(t, c.rv("POST", path+"/card/activate/token", nil))["url"].(string)

	var title, masked, notice, errText, done string
	err := chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible("#last4", chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.Text("#card", &masked, chromedp.ByQuery),
		chromedp.Text("#notice", &notice, chromedp.ByQuery),
		chromedp.SendKeys("#last4", "0000", chromedp.ByQuery),
		chromedp.SendKeys("#otp", "123456", chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
		chromedp.Text("#error", &errText, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	code := between(notice, "محیط آزمایشی: ", ")")
	// The link stays open until completed: load it afresh (a node of the
	// answered form may be gone by the time it is typed into).
	err = chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible("#last4", chromedp.ByQuery),
		chromedp.SendKeys("#last4", card[12:], chromedp.ByQuery),
		chromedp.SendKeys("#otp", code, chromedp.ByQuery),
		chromedp.Click("#submit", chromedp.ByQuery),
		chromedp.WaitVisible("#done", chromedp.ByQuery),
		chromedp.Text("#done", &done, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "فعال") || !strings.HasSuffix(strings.TrimSpace(masked), card[12:]) || len(code) != 6 {
		t.Errorf("title %q, card %q, code %q", title, masked, code)
	}
	if !strings.Contains(errText, "چهار رقم آخر") || !strings.Contains(done, "فعال شد") {
		t.Errorf("error %q, done %q", errText, done)
	}
	if st := dataOf(t, c.rv("GET", path+"/card/status?card_number="+card, nil))["status"]; st != "ACTIVE" {
		t.Fatalf("status %v", st)
	}
	if again := c.do("GET", link, "", ""); again.Status != 404 {
		t.Fatalf("spent link: %d", again.Status)
	}
}
