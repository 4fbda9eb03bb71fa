package sandbanktest_test

import (
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// rotationRounds is how many rounds of 100 parallel refreshes the rotation tests
// run. 40 keeps make test quick (about 3 s under -race); issue 16's check is 200
// (about 13 s for Sanbod under -race on a shared machine), run by hand with
//
//	go test -race -run RotatesOnce ./mock/sandbanktest -args -rotation-rounds=200
var rotationRounds = flag.Int("rotation-rounds", 40, "rounds of 100 parallel refreshes in the rotation tests")

// rotate runs rounds of 100 parallel refreshes, in memory through the server's
// Client, each round with the refresh token the previous round's winner got:
// exactly one refresh a round may succeed, the others must be refused with
// refused, and the winner's pair must be the one that works next.
func rotate(t *testing.T, hc *http.Client, first string, refused int, send func(tok string) *http.Request) {
	t.Helper()
	tok := first
	for round := range *rotationRounds {
		var won, lost, other atomic.Int32
		var next atomic.Value
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 100 {
			wg.Go(func() {
				req := send(tok)
				<-start
				res, err := hc.Do(req)
				if err != nil {
					other.Add(1)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				switch res.StatusCode {
				case http.StatusOK:
					won.Add(1)
					var pair struct {
						RefreshToken string `json:"refresh_token"`
					}
					if json.Unmarshal(body, &pair) == nil {
						next.Store(pair.RefreshToken)
					}
				case refused:
					lost.Add(1)
				default:
					other.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if won.Load() != 1 || lost.Load() != 99 || other.Load() != 0 {
			t.Fatalf("round %d: %d refreshes succeeded, %d refused, %d otherwise; want 1, 99, 0", round, won.Load(), lost.Load(), other.Load())
		}
		tok, _ = next.Load().(string)
		if tok == "" {
			t.Fatalf("round %d: the winner got no refresh token", round)
		}
	}
}

// Issue 16 item 1: Sanbod's refresh rotates with one compare-and-swap, so of 100
// parallel refreshes with one token exactly one mints a pair, round after round.
func TestSanbodRefreshRotatesOnce(t *testing.T) {
	srv := sandbanktest.Start(t)
	hc := srv.Client()
	token := func(body string) *http.Request {
		req, _ := http.NewRequest("POST", "https://api.sanbod.co/oauth/v1/token?traceid=rotate", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth("rotating-app", "secret")
		return req
	}
	res, err := hc.Do(token(`{"grant_type":"client_credentials","scope":["cardtoiban"],"provider_code":"999"}`))
	if err != nil {
		t.Fatal(err)
	}
	var pair struct {
		RefreshToken string `json:"refresh_token"`
	}
	err = json.NewDecoder(res.Body).Decode(&pair)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || pair.RefreshToken == "" {
		t.Fatalf("client credentials: %d %v", res.StatusCode, err)
	}
	rotate(t, hc, pair.RefreshToken, http.StatusBadRequest, func(tok string) *http.Request {
		return token(`{"grant_type":"refresh_token","refresh_token":"` + tok + `"}`)
	})
}

// Issue 16 item 1: Vandar's refresh swaps the business's pair under its row's
// lock, so of 100 parallel refreshes with one token exactly one wins, round after
// round, starting from the shipped pair (fixtures/vandar.yaml).
func TestVandarRefreshRotatesOnce(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithConfig("providers:\n  vandar:\n    rate_limit:\n      enabled: false\n"))
	rotate(t, srv.Client(), "def50200sbx_vandar_acme_refresh_3e8a5c1f7d", http.StatusUnauthorized, func(tok string) *http.Request {
		req, _ := http.NewRequest("POST", "https://api.vandar.io/v3/refreshtoken", strings.NewReader(`{"refreshtoken":"`+tok+`"}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	})
}
