package app_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

var dashT0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("IRST", 3*3600+1800))

// poll waits until a JavaScript expression is truthy, naming what it waited for.
func poll(what, expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var ok bool
		if err := chromedp.Poll(expr, &ok, chromedp.WithPollingInterval(50*time.Millisecond)).Do(ctx); err != nil {
			return &waitError{what, err}
		}
		return nil
	})
}

type waitError struct {
	what string
	err  error
}

func (e *waitError) Error() string { return "waiting for " + e.what + ": " + e.err.Error() }

func eval(expr string, into any) chromedp.Action { return chromedp.Evaluate(expr, into) }

// shot saves a screenshot for the README when SANDBANK_SCREENSHOTS names a
// directory (docs/images is where the README looks).
func shot(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		dir := os.Getenv("SANDBANK_SCREENSHOTS")
		if dir == "" {
			return nil
		}
		var png []byte
		if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// TestDashboardInChromium drives /_sandbox/ui in headless Chromium: a request made
// after the page loaded shows without reload, its detail has the headers and a
// Persian body laid out left to right, the filters narrow the list, the SMS is in
// the phone outbox, the message's status timeline moves with the clock, a scenario
// with a mistake shows the error under the right line, and the route list searches.
func TestDashboardInChromium(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(dashT0))
	ctx := browser.New(t) // after Start: the browser closes first, ending its event stream
	send := func(key, receptor, text string) {
		t.Helper()
		res, err := http.PostForm(srv.URL+"/kavenegar/v1/"+key+"/sms/send.json", url.Values{"receptor": {receptor}, "message": {text}})
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("send: %v %v", err, res)
		}
		res.Body.Close()
	}
	if res, err := http.Get(srv.URL + "/paynet/v1/bin/list?key=x"); err == nil {
		res.Body.Close() // an exchange of another provider, for the filters
	}

	var dir, rows, phone, detailHeaders, stepBefore, stepAfter, routesShown string
	var count int
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(srv.URL+"/"),
		poll("the live event stream", `document.querySelector("#live").className === "on"`),
		chromedp.ActionFunc(func(context.Context) error {
			send("dash-key", "09121234567", "کد ورود شما ۱۲۳۴ است")
			return nil
		}),
		poll("the new request in the journal", `[...document.querySelectorAll("#journal-table tr.entry")].some(r => r.textContent.includes("kavenegar.smsSend"))`),
		eval(`location.pathname`, &rows),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rows != "/_sandbox/ui" {
		t.Fatalf("/ went to %s", rows)
	}
	err = chromedp.Run(ctx,
		shot(t, "dashboard-journal"),
		// Filters: by operation glob, by text, by provider.
		chromedp.SendKeys("#f-operation", "paynet.*", chromedp.ByQuery),
		eval(`[...document.querySelectorAll("#journal-table tr.entry")].filter(r => r.textContent.includes("kavenegar")).length`, &count),
	)
	if err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Fatalf("the operation filter paynet.* still shows %d kavenegar rows", count)
	}
	err = chromedp.Run(ctx,
		eval(`document.querySelector("#f-operation").value = ""; document.querySelector("#f-text").value = "۱۲۳۴"; renderJournal(); document.querySelectorAll("#journal-table tr.entry").length`, &count),
	)
	if err != nil || count != 1 {
		t.Fatalf("text filter on the Persian body: %d rows (%v)", count, err)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#journal-table tr.entry", chromedp.ByQuery),
		chromedp.WaitVisible("#d-req-body", chromedp.ByQuery),
		chromedp.Text("#d-req-headers", &detailHeaders, chromedp.ByQuery),
		eval(`getComputedStyle(document.querySelector("#d-req-body")).direction + " " + document.querySelector("#d-req-body").textContent.includes("کد ورود شما")`, &dir),
		shot(t, "dashboard-detail"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detailHeaders, "Content-Type") || !strings.Contains(detailHeaders, "application/x-www-form-urlencoded") {
		t.Fatalf("detail request headers: %q", detailHeaders)
	}
	if dir != "ltr true" {
		t.Fatalf("request body direction and text: %q", dir)
	}

	// The SMS in the phone outbox.
	err = chromedp.Run(ctx,
		chromedp.Click("#tab-messages", chromedp.ByQuery),
		poll("the outbox", `document.querySelectorAll("#outbox .sms").length > 0`),
		chromedp.Text("#outbox", &phone, chromedp.ByQuery),
		shot(t, "dashboard-messages"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(phone, "کد ورود شما ۱۲۳۴ است") || !strings.Contains(phone, "09121234567") {
		t.Fatalf("outbox: %q", phone)
	}

	// The message's status timeline, before and after the clock moves a minute.
	err = chromedp.Run(ctx,
		chromedp.Click("#tab-tenants", chromedp.ByQuery),
		poll("the tenant's timeline", `document.querySelector("#tenant-state .step.current") !== null`),
		eval(`document.querySelector("#tenant-list").value + " " + document.querySelector(".table-kavenegar-messages .step.current").textContent`, &stepBefore),
		chromedp.Click(`[data-advance="1m"]`, chromedp.ByQuery),
		poll("the timeline to move", `document.querySelector(".table-kavenegar-messages .step.current").textContent.startsWith("10 ")`),
		eval(`document.querySelector(".table-kavenegar-messages .step.current").textContent`, &stepAfter),
		shot(t, "dashboard-tenants"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stepBefore, "dash-key 1 ") || !strings.HasPrefix(stepAfter, "10 ") {
		t.Fatalf("timeline: before %q, after %q", stepBefore, stepAfter)
	}

	// A scenario with a mistake on line 5: the error shows under that line.
	file := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(file, []byte("name: broken\ndescription: a code kavenegar never answers\nrules:\n  - operation: kavenegar.smsSend\n    code: \"999\"\n    outcome: failure\n"), 0o644)
	var errLine, errMsg string
	err = chromedp.Run(ctx,
		chromedp.Click("#tab-scenarios", chromedp.ByQuery),
		poll("the scenario list", `document.querySelectorAll("#scenario-table tr[data-name]").length > 0`),
		chromedp.SetUploadFiles("#scenario-file", []string{file}, chromedp.ByQuery),
		chromedp.Click("#scenario-upload", chromedp.ByQuery),
		poll("the lint error", `document.querySelector("#scenario-errors .err-line") !== null`),
		eval(`[...document.querySelectorAll("#scenario-errors .err-line")].map(d => d.dataset.line).join(",")`, &errLine),
		chromedp.Text("#scenario-errors .err-msg", &errMsg, chromedp.ByQuery),
		shot(t, "dashboard-scenarios"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if errLine != "5" || !strings.Contains(errMsg, "999") {
		t.Fatalf("scenario error at line %q: %q", errLine, errMsg)
	}

	// The route list: collapsed by provider, searchable.
	err = chromedp.Run(ctx,
		chromedp.Click("#tab-routes", chromedp.ByQuery),
		eval(`document.querySelectorAll("#route-list details.provider").length + " " + document.querySelectorAll("#route-list details[open]").length`, &routesShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.App.Providers()); routesShown != strconv.Itoa(n)+" 0" {
		t.Fatalf("route groups (shown, open): %q, want %d providers, none open", routesShown, n)
	}
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#route-search", "getdate", chromedp.ByQuery),
		eval(`[...document.querySelectorAll("#route-list details[open]")].map(d => d.dataset.provider + ":" + d.querySelectorAll("tr.route").length).join(",")`, &routesShown),
		shot(t, "dashboard-routes"),
		chromedp.Navigate("about:blank"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(routesShown, "kavenegar:") || strings.Contains(routesShown, ",") {
		t.Fatalf("search for getdate shows %q", routesShown)
	}
}
