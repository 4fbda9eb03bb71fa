package finnotech_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The documented examples sent exactly as written (issue 15, points 7-10).

// TestCardListReproducesTheDocExample: the README's mobile answers the card-list
// example's cardDetailList exactly, "بانک ملی" included.
func TestCardListReproducesTheDocExample(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	tok := c.ccToken("card:list:get")
	r := c.bearer(tok, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId=get-list-0l12", nil)
	const doc = `[{"index":"1","bankIdentify":"636214","bankName":"بانک آینده","lastFourDigits":"1111"},
		{"index":"2","bankIdentify":"603799","bankName":"بانک ملی","lastFourDigits":"2222"},
		{"index":"3","bankIdentify":"610433","bankName":"بانک ملت","lastFourDigits":"3333"}]`
	var want, got any
	_ = json.Unmarshal([]byte(doc), &want)
	raw, _ := json.Marshal(r.field("result.cardDetailList"))
	_ = json.Unmarshal(raw, &got)
	if r.Status != 200 || r.str("trackId") != "get-list-0l12" || string(mustJSON(t, got)) != string(mustJSON(t, want)) {
		t.Fatalf("card list: %d %s", r.Status, r.Raw)
	}
	// The card inquiry names the bank the same way.
	tok = c.ccToken("card:information:get")
	if r := c.bearer(tok, "GET", "/mpg/v2/clients/drops/cards/6037990000042222", nil); r.str("result.bankName") != "بانک ملی" {
		t.Errorf("card inquiry bankName: %s", r.Raw)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServiceCallErrorHasTheDocumentedShape: SERVICE_CALL_ERROR is answered as the
// one documented body, byte for byte.
func TestServiceCallErrorHasTheDocumentedShape(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	tok := c.ccToken("card:information:get")
	r := c.bearer(tok, "GET", "/mpg/v2/clients/drops/cards/6273530000013899", nil, "X-Sandbank-Outcome", "failure:SERVICE_CALL_ERROR")
	const doc = `{"result":{"response":null,"status":"FAILED","error":{"code":"SERVICE_CALL_ERROR","message":"Minimum amount is 10000 Rials. "}}}`
	if r.Status != 400 || strings.TrimSpace(string(r.Raw)) != doc {
		t.Fatalf("SERVICE_CALL_ERROR: %d %s", r.Status, r.Raw)
	}
}

// TestCardInquiryInvalidCardResponseCode: a malformed card number is HTTP 400
// invalid card with the mpg responseCode clients check for.
func TestCardInquiryInvalidCardResponseCode(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	tok := c.ccToken("card:information:get")
	r := c.bearer(tok, "GET", "/mpg/v2/clients/drops/cards/62735300?trackId=inv-1", nil)
	if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != "invalid card" ||
		r.str("responseCode") != "FN-MGFH-40000130125" || r.str("trackId") != "inv-1" {
		t.Fatalf("invalid card: %d %s", r.Status, r.Raw)
	}
}

// TestUnknownPathEchoesTrackIDAndIsJournaled: a path Finnotech does not have
// answers with the request's trackId and shows in the journal.
func TestUnknownPathEchoesTrackIDAndIsJournaled(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	r := c.do("GET", "/mpg/v2/clients/drops/nothing-here?trackId=nf-track-1", nil)
	if r.Status != 404 || r.str("trackId") != "nf-track-1" || r.str("status") != "FAILED" {
		t.Fatalf("unknown path: %d %s", r.Status, r.Raw)
	}
	e := srv.Admin.Journal("provider=finnotech&track_id=nf-track-1")
	if len(e) != 1 || e[0].Status != 404 || !strings.Contains(string(e[0].ResponseBody), "nf-track-1") {
		t.Fatalf("journal: %+v", e)
	}
	// Without a trackId one is made up, and journaled with the answer.
	r = c.do("POST", "/nope", nil)
	if id := r.str("trackId"); r.Status != 404 || id == "" || len(srv.Admin.Journal("track_id="+url.QueryEscape(id))) != 1 {
		t.Fatalf("unknown path without trackId: %d %s", r.Status, r.Raw)
	}
}

// TestBankLoginAcceptsPersianDigits: the login hint shows the national ids in
// Persian digits; typed that way they log in.
func TestBankLoginAcceptsPersianDigits(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://www.drops.com/return"},
		"scope": {"oak:balance:get"}, "bank": {"062"}, "state": {"1"}}
	session := location(t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)).Query().Get("session")
	consent := location(t, c.do("POST", "/dev/v2/oauth2/bank/login", url.Values{"session": {session}, "username": {"۱۱۱۱۱۱۱۱۱۱"}, "password": {"۱۱۱۱۱۱۱۱۱۱"}}))
	if consent.Path != "/finnotech/dev/v2/oauth2/bank/consent" {
		t.Fatalf("Persian-digit login went to %s", consent)
	}
	var pending struct{ Consents []struct{ User string } }
	srv.Admin.Get("/finnotech/consents", &pending)
	if len(pending.Consents) != 1 || pending.Consents[0].User != "1111111111" {
		t.Errorf("consent user: %+v", pending)
	}
}
