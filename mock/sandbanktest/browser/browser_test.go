package browser_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sandbank-dev/sandbank/mock/consentui"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest/browser"
)

// TestBrowserFillsAndPostsAForm proves the harness end to end on a consentui page:
// type, tick, click, and the server sees the post a person would have sent.
func TestBrowserFillsAndPostsAForm(t *testing.T) {
	var mu sync.Mutex
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			_ = r.ParseForm()
			mu.Lock()
			got = r.PostForm
			mu.Unlock()
			fmt.Fprint(w, "<html><body><p id=done>ok</p></body></html>")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = consentui.Consent(w, consentui.Page{
			Title: "اجازه دسترسی", Client: "drops", Action: "/post",
			Hidden:   []consentui.Field{{Name: "session", Value: "s1"}},
			Scopes:   []consentui.Option{{Value: "oak:statement:get", Label: "صورتحساب"}},
			Deposits: []consentui.Option{{Value: "111", Label: "111"}, {Value: "222", Label: "222"}},
		})
	}))
	defer srv.Close()

	ctx := browser.New(t)
	var title, done string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Title(&title),
		chromedp.Click("#deposit-1", chromedp.ByQuery),
		chromedp.Click("#approve", chromedp.ByQuery),
		chromedp.Text("#done", &done, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if title != "اجازه دسترسی" || done != "ok" {
		t.Fatalf("title %q, done %q", title, done)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Get("session") != "s1" || got.Get("action") != "approve" || len(got["deposits"]) != 1 || got.Get("deposits") != "222" {
		t.Fatalf("posted %v", got)
	}
}
