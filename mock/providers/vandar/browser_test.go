package vandar_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
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

	var mu sync.Mutex
	var got url.Values
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cb" {
			mu.Lock()
			got = r.URL.Query()
			mu.Unlock()
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(shop.Close)
	v := url.Values{"api_key": {apiKey}, "amount": {"120000"}, "callback_url": {shop.URL + "/cb?order=9"}, "description": {"خرید آزمایشی"}}
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
		browser.WaitURL(shop.URL+"/cb", &landed),
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
	mu.Lock()
	q := got
	mu.Unlock()
	if q.Get("token") != token || q.Get("payment_status") != "OK" || q.Get("order") != "9" {
		t.Fatalf("callback got %v (browser at %s)", q, landed)
	}
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
}
