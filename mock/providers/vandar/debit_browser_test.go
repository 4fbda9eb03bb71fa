package vandar_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

// TestBrowserConsentPage drives the bank's consent page in headless Chromium:
// the page is RTL, branded with the bank's name and shows the test login; a
// wrong password shows the Persian error; approving lands the browser on the
// shop's callback with status=SUCCEED, and verify then activates the mandate.
func TestBrowserConsentPage(t *testing.T) {
	ctx := browser.New(t)
	c := newClient(t)
	shop, callback := callbackShop(t, "/dd")
	token := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "056", "mobile": "09121234567", "callback_url": shop + "/dd?user=5",
		"count": 3, "limit": 2_000_000, "expiration_date": "2027-11-22"}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	page := c.srv.Base("subscription.vandar.io") + "/authorizations/" + token

	var bank, login, limit, dir, errText, landed string
	err := chromedp.Run(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible("#mandate-form", chromedp.ByQuery),
		chromedp.Text("#bank", &bank, chromedp.ByQuery),
		chromedp.Text("#test-login", &login, chromedp.ByQuery),
		chromedp.Text("#limit", &limit, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.dir`, &dir),
		chromedp.SendKeys("#username", "09121234567", chromedp.ByQuery),
		chromedp.SendKeys("#password", "000000", chromedp.ByQuery),
		chromedp.Click("#approve", chromedp.ByQuery),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
		chromedp.Text("#error", &errText, chromedp.ByQuery),
		chromedp.SetValue("#password", "123456", chromedp.ByQuery),
		chromedp.Click("#approve", chromedp.ByQuery),
		browser.WaitURL(shop+"/dd", &landed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if bank != "بانک سامان" || dir != "rtl" || !strings.Contains(login, "09121234567") || !strings.Contains(login, "123456") || limit != "2,000,000 ریال" {
		t.Errorf("bank %q, dir %q, login %q, limit %q", bank, dir, login, limit)
	}
	if !strings.Contains(errText, "رمز عبور اشتباه") {
		t.Errorf("error %q", errText)
	}
	q := callback()
	if q.Get("status") != "SUCCEED" || q.Get("token") != token || q.Get("user") != "5" || q.Get("authorization_id") == "" {
		t.Fatalf("callback got %v (browser at %s)", q, landed)
	}
	c.call("PATCH", sub+"/authorization/"+q.Get("authorization_id")+"/verify", nil).want(t, 200)
	if r := c.do("GET", page, "", ""); r.Status != 404 {
		t.Fatalf("page after approval: %d", r.Status)
	}
}
