package vandar

import (
	"errors"
	"time"
)

// The business wallet. Amounts are kept in Rials; the balance and the
// transaction report show Toman (reference §1.8), the gateway and refunds Rial.
// Every movement is one step under the wallet row's lock: the balance check, the
// new balance and the report row that records it.

type walletRow struct {
	Balance int64 `json:"balance_rial"`
}

var errInsufficient = errors.New("insufficient wallet balance")

// walletMeta is what a wallet movement says about itself.
type walletMeta struct {
	Kind string `json:"kind"` // opening, ipg, refund, … (later: settlement, cash-in)
	Ref  string `json:"ref"`  // the payment token, refund id, …
}

// toman is a Rial amount as whole Toman (the wallet and the report show Toman,
// the Rial remainder not shown).
func toman(rial int64) int64 { return rial / 10 }

// fund opens a business's wallet at rial, once: when the wallet exists nothing
// changes. The opening is the first report row, so the report always adds up to
// the balance.
func (p *Provider) fund(slug string, rial int64) {
	now := p.clock.Now()
	if !p.wallets.Insert(slug, "main", walletRow{Balance: rial}) || rial <= 0 {
		return
	}
	p.addRow(slug, txRow{Kind: kindOpening, Status: 5, Channel: "p2p", AmountRial: rial, WalletRial: rial,
		Description: "موجودی اولیه کیف پول (sandbank)", Created: now})
}

// balance is the wallet in Rials, failed refunds' money given back first.
func (p *Provider) balance(slug string) int64 {
	p.settleReturns(slug, p.clock.Now())
	w, _ := p.wallets.Get(slug, "main")
	return w.Balance
}

// move changes the wallet by delta Rials, refusing to go below zero, and calls
// record with the new balance while the wallet is still locked, so the rows it
// writes carry the balance exactly as it was after this movement.
func (p *Provider) move(slug string, delta int64, _ walletMeta, record func(balance int64) error) error {
	return p.wallets.Upsert(slug, "main", func() walletRow { return walletRow{} }, func(w *walletRow) error {
		if w.Balance+delta < 0 {
			return errInsufficient
		}
		if err := record(w.Balance + delta); err != nil {
			return err
		}
		w.Balance += delta
		return nil
	})
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
