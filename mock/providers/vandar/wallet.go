package vandar

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"

	"github.com/sandbank-dev/sandbank/mock/ledger"
)

// The business wallet is one account of the engine's ledger per business,
// kept in Rials (the gateway's unit); the balance and the transaction report
// show Toman (reference §1.8). Every movement is one ledger step under the
// account's lock: the balance check, the entry with its running balance, and
// the report row that records it.

// walletMeta is what a wallet entry says about itself.
type walletMeta struct {
	Kind string `json:"kind"` // opening, ipg, refund, … (later: settlement, cash-in)
	Ref  string `json:"ref"`  // the payment token, refund id, …
}

// walletAccount is the business's wallet; it opens empty and is funded by an
// entry, so the report always adds up to the balance.
var walletAccount = ledger.Account{ID: "wallet", Opening: ledger.IRR.Of(0)}

var errInsufficient = errors.New("insufficient wallet balance")

// toman is a Rial amount as whole Toman (the wallet and the report show Toman,
// the Rial remainder not shown).
func toman(rial int64) int64 { return rial / 10 }

// fund opens a business's wallet with rial, once: the posting is keyed, so a
// second call moves nothing. The opening is the first report row.
func (p *Provider) fund(slug string, rial int64) {
	if rial <= 0 {
		return
	}
	now := p.clock.Now()
	e, replay, err := p.wallet.Post(slug, now, ledger.Posting[walletMeta]{
		Account: walletAccount, Amount: ledger.IRR.Of(rial), Key: "opening", Meta: walletMeta{Kind: kindOpening},
	})
	if err != nil || replay {
		return
	}
	p.addRow(slug, txRow{Kind: kindOpening, Status: 5, Channel: "p2p", AmountRial: rial, WalletRial: e.Balance.Value,
		Description: "موجودی اولیه کیف پول (sandbank)", Created: now})
}

// Products hook into the wallet here, from an init in their own file:
// catchUps run before the wallet is read (money that has fallen due by now:
// a failed payout given back, a deposit landed) and afterCredits run once money
// came in (a queued payout waiting for it). Both run outside the wallet's lock.
var (
	catchUps     []func(p *Provider, slug string, now time.Time)
	afterCredits []func(p *Provider, slug string)
)

// catchUp books what has fallen due by now: failed refunds' money and every
// product's catch-up.
func (p *Provider) catchUp(slug string, now time.Time) {
	p.settleReturns(slug, now)
	for _, fn := range catchUps {
		fn(p, slug, now)
	}
}

// balance is the wallet in Rials, what has fallen due by now booked first.
func (p *Provider) balance(slug string) int64 { return p.balanceAt(slug, p.clock.Now()) }

// balanceAt is balance as of now, for a handler answering at its request's time.
func (p *Provider) balanceAt(slug string, now time.Time) int64 {
	p.catchUp(slug, now)
	v, err := p.wallet.Balance(slug, now, walletAccount)
	if err != nil {
		return 0
	}
	return v.Balance
}

// move changes the wallet by delta Rials, refusing to go below zero, and calls
// record with the new balance while the account is still locked, so the rows it
// writes carry the balance exactly as it was after this movement. Nothing moves
// when record fails.
func (p *Provider) move(slug string, delta int64, meta walletMeta, record func(balance int64) error) error {
	err := p.wallet.Do(slug, p.clock.Now(), []ledger.Account{walletAccount}, func(tx *ledger.Tx[walletMeta]) error {
		e, err := tx.Post(walletAccount.ID, ledger.IRR.Of(delta), false, meta)
		if errors.Is(err, ledger.ErrInsufficient) {
			return errInsufficient
		}
		if err != nil {
			return err
		}
		return record(e.Balance.Value)
	})
	if err == nil && delta > 0 {
		for _, fn := range afterCredits {
			fn(p, slug)
		}
	}
	return err
}

// nextID hands out 12-digit transaction ids: Unix seconds times 100 plus a
// counter, the pattern of the documented examples (reference §1.9), unique across
// businesses and increasing.
func (p *Provider) nextID(now time.Time) int64 {
	var id int64
	_ = p.seq.Upsert("", "tx", func() int64 { return 0 }, func(v *int64) error {
		base := now.Unix() * 100
		if *v+1 > base {
			base = *v + 1
		}
		*v = base
		id = base
		return nil
	})
	return id
}

// uuid1 is a version-1-looking UUID (the documented ids have 11eb/11ec in the
// third group, reference §1.9): time-ordered head, random tail.
func (p *Provider) uuid1(now time.Time) string {
	// 100-ns intervals since 1582-10-15, as RFC 9562 version 1.
	ts := uint64(now.UnixNano()/100) + 0x01B21DD213814000
	lo := uint32(ts)
	mid := uint16(ts >> 32)
	hi := uint16(ts>>48)&0x0fff | 0x1000
	tail := p.ids.Hex(16)
	return hex8(uint64(lo), 8) + "-" + hex8(uint64(mid), 4) + "-" + hex8(uint64(hi), 4) + "-" + tail[:4] + "-" + tail[4:16]
}

func hex8(v uint64, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b)
}

// businessIBAN is the business's own bank account: an Ayandeh (062) IBAN whose
// 13-digit account number derives from the seed and the slug, the shape of the
// cash-in sample (reference §10.1: IR880620000000302956142002).
func (p *Provider) businessIBAN(slug string) string {
	iban, _ := iran.MakeIBAN("062", businessAccount(p.seed, slug))
	return iban
}

// businessAccount is the 13-digit account number behind businessIBAN.
func businessAccount(seed int64, slug string) string {
	h := sha256.Sum256(fmt.Appendf(nil, "vandar/account/%d/%s", seed, slug))
	n := binary.BigEndian.Uint64(h[:8]) % 9_000_000_000_000
	return strconv.FormatUint(n+1_000_000_000_000, 10)
}
