package bank

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/store"
)

func TestShippedFixturesConsistent(t *testing.T) {
	b := newBank(t)
	ayandeh, _ := iran.BankByCode("062")
	for num, c := range b.w.bonCards {
		bk, ok := iran.CardBank(num)
		if !ok || bk.Code != ayandeh.Code || !isBonPrefix(num) {
			t.Errorf("bon card %s: bank %+v", num, bk)
		}
		if c.Owner == "" {
			t.Errorf("bon card %s has no owner", num)
		}
	}
	if _, ok := b.w.bonCards[seedCard]; !ok || iran.ValidCardLuhn(seedCard) {
		t.Fatal("the documented card must be declared and must fail Luhn (bon cards are not Luhn-checked)")
	}
	for num, c := range b.w.debitCards {
		bk, ok := iran.CardBank(num)
		if !ok || !iran.ValidCardLuhn(num) || isBonPrefix(num) {
			t.Errorf("debit card %s: bank %v luhn %v", num, ok, iran.ValidCardLuhn(num))
		}
		_ = bk
		if c.Name == "" {
			t.Errorf("debit card %s has no name", num)
		}
	}
	for nid, u := range b.w.users {
		if !iran.ValidNationalCode(nid) {
			t.Errorf("user %s: invalid national id", nid)
		}
		if len(u.Deposits) == 0 {
			t.Errorf("user %s has no deposit", nid)
		}
	}
	real := 0
	for nid := range b.w.users {
		if strings.Count(nid, nid[:1]) != 10 {
			real++
		}
	}
	if real < 2 {
		t.Errorf("want checksum-valid non-repeated national ids among the users, got %d", real)
	}
	for num, d := range b.w.deposits {
		if _, ok := iran.BankByCode(d.Bank); !ok || d.Owner == "" || b.w.users[d.OwnerNID] == nil {
			t.Errorf("deposit %s: %+v", num, d)
		}
	}
	// Magic amounts: every failure and in-doubt code of chargeCard has one.
	byCode := map[string]bool{}
	for _, m := range b.w.magic {
		byCode[m.Code] = true
	}
	for _, rc := range ResultCodes() {
		if rc.Class != ClassSuccess && !strings.HasPrefix(rc.Code, "F") && !byCode[rc.Code] {
			t.Errorf("no magic amount for %s", rc.Code)
		}
	}
	// Cards generated for unknown mobiles are Luhn-valid cards of listed banks.
	for _, m := range []string{"09121111111", "09351112233", "09901234567", "09191919191"} {
		for _, c := range b.generatedCards("t", m) {
			bk, ok := iran.CardBank(c)
			if !ok || !iran.ValidCardLuhn(c) {
				t.Errorf("generated %s for %s: bank %v", c, m, ok)
			}
			found := false
			for _, g := range b.w.genBanks {
				found = found || g.Code == bk.Code
			}
			if !found {
				t.Errorf("generated %s: bank %s not in generated_card_banks", c, bk.Code)
			}
		}
	}
}

func TestNoFixtures(t *testing.T) {
	b, err := New(store.New(), nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !b.KnownUser("1111111111") || len(b.w.bonCards) != 0 {
		t.Fatal("defaults")
	}
	if r := charge(t, b, "t", "x", payDeposit, seedCard, 10, noon, ok()); r.Code != "D14" {
		t.Fatalf("no bon cards declared: %+v", r)
	}
}

func TestBadFixtures(t *testing.T) {
	for name, y := range map[string]string{
		"unknown field":    "nonsense: 1\n",
		"bad window":       "service_window: {from: \"25:00\"}\n",
		"bad state":        "failed_charge_state: DONE\n",
		"bad nid":          "users: [{nid: \"1234567890\"}]\n",
		"bad bank":         "users: [{nid: \"0012345679\", deposits: [{number: \"1\", bank: \"999\"}]}]\n",
		"dup deposit":      "users: [{nid: \"0012345679\", deposits: [{number: \"1\", bank: \"062\"}, {number: \"1\", bank: \"062\"}]}]\n",
		"non bon card":     "bon_cards: [{card: \"6037990000042222\"}]\n",
		"bad status":       "bon_cards: [{card: \"6362144000000001\", status: broken}]\n",
		"bad replacement":  "bon_cards: [{card: \"6362144000000001\", replaced_by: \"6362144000000002\"}]\n",
		"replacement loop": "bon_cards: [{card: \"6362144000000001\", replaced_by: \"6362144000000002\"}, {card: \"6362144000000002\", replaced_by: \"6362144000000001\"}]\n",
		"bad valid_card":   "bon_cards: [{card: \"6362144000000001\", valid_card: A103}]\n",
		"debit no luhn":    "debit_cards: [{card: \"6037990000042223\"}]\n",
		"debit bad mobile": "debit_cards: [{card: \"6037990000042222\", mobile: \"123\"}]\n",
		"magic success":    "magic_amounts: [{amount: 5, code: A00}]\n",
		"magic unknown":    "magic_amounts: [{amount: 5, code: ZZZ}]\n",
		"magic dup":        "magic_amounts: [{amount: 5, code: B11}, {amount: 5, code: B10}]\n",
		"magic settle":     "magic_amounts: [{amount: 5, code: A106, settle_to: maybe}]\n",
		"gen bank":         "generated_card_banks: [\"999\"]\n",
	} {
		_, err := New(store.New(), fstest.MapFS{"finnotech.yaml": {Data: []byte(y)}}, 1)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The magic-value table in doc.go (copied to the README) must name every magic
// deposit, bon card and in-doubt amount of the shipped fixtures.
func TestDocTableCoversFixtures(t *testing.T) {
	raw, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	b := newBank(t)
	for num, c := range b.w.bonCards {
		if c.Status != statusActive || c.ValidCard != "" || c.MaxBalance > 0 || c.PerTx != 500_000_000 ||
			c.DayAmount != 5_000_000_000 || c.MonthAmount != 50_000_000_000 {
			if !strings.Contains(doc, num) && !strings.Contains(doc, "…"+num[len(num)-4:]) {
				t.Errorf("magic bon card %s missing from doc.go", num)
			}
		}
	}
	for num, d := range b.w.deposits {
		if (d.NoTafsili || d.ConditionsNotPass || d.Freeze > 0 || d.Opening != 10_000_000_000 || d.PerTx != 1_000_000_000 ||
			d.DayCount != 1000 || d.MonthAmount != 500_000_000_000) && !strings.Contains(doc, num) {
			t.Errorf("magic deposit %s missing from doc.go", num)
		}
	}
	for amount, m := range b.w.magic {
		if classOf(m.Code) == ClassUnknown && amount < 900000 && !strings.Contains(doc, "`"+strconv.FormatInt(amount, 10)+"`") {
			t.Errorf("in-doubt magic amount %d missing from doc.go", amount)
		}
	}
}
