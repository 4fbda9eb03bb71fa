// Package browser starts a headless Chromium for tests that must see the login and
// consent pages the way a person does: rendered, typed into, clicked.
//
// A machine without Chromium skips those tests, unless SANDBANK_BROWSER=require
// (set by .ci/run, which installs Chromium), so CI can never pass by skipping them.
package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds the Chromium binary: $SANDBANK_CHROMIUM, then the usual names on PATH.
func Path() string {
	if p := os.Getenv("SANDBANK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a chromedp context bound to a fresh headless Chromium with its own
// profile directory; the browser is closed when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		if os.Getenv("SANDBANK_BROWSER") == "require" {
			t.Fatal("browser: SANDBANK_BROWSER=require but no Chromium found (install Debian's chromium or set SANDBANK_CHROMIUM)")
		}
		t.Skip("browser: no Chromium on this machine; set SANDBANK_BROWSER=require to make this fatal")
	}
	// Not t.TempDir: Chromium's helper processes may still be writing the profile
	// for a moment after the browser is cancelled, which would fail the test in
	// TempDir's own cleanup.
	profile, err := os.MkdirTemp("", "sandbank-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// The flags keep Chromium off the network: this machine's closed network refuses
	// its background connections, and a headless root run needs no sandbox.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	// Start the browser now so a broken installation fails here, named, rather than
	// inside the first page action of the test.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("browser: starting %s: %v", path, err)
	}
	return ctx
}

// WaitURL waits until the page's address starts with prefix and stores it in
// into. A click that submits a form returns before the navigation it starts has
// finished, so reading the location right after it would still see the old page.
func WaitURL(prefix string, into *string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			if err := chromedp.Location(into).Do(ctx); err != nil {
				return err
			}
			if strings.HasPrefix(*into, prefix) {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("browser: still at %s, waiting for %s: %w", *into, prefix, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}
