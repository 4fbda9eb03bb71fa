package ledger

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Unit is the currency unit an amount is counted in. Iranian providers mix them:
// card and gateway APIs usually count in Rial, wallet and report APIs often in
// Toman (ten Rial), so every amount carries its unit and a conversion is always
// written out.
type Unit string

const (
	IRR Unit = "IRR" // Rial, the legal unit
	IRT Unit = "IRT" // Toman, ten Rial
)

// ErrUnit is an amount in a unit the account does not keep, or one that cannot
// be converted exactly.
var ErrUnit = errors.New("ledger: unit mismatch")

// Amount is a whole number of Rial or Toman.
type Amount struct {
	Value int64 `json:"value"`
	Unit  Unit  `json:"unit"`
}

// Of is v counted in u: ledger.IRR.Of(5000), ledger.IRT.Of(500).
func (u Unit) Of(v int64) Amount { return Amount{v, u} }

func (a Amount) String() string { return strconv.FormatInt(a.Value, 10) + " " + string(a.Unit) }

// Neg is the amount with its sign flipped (a credit as a debit).
func (a Amount) Neg() Amount { return Amount{-a.Value, a.Unit} }

// In converts a to unit u. Toman to Rial is exact; Rial to Toman is exact only
// for whole tens, and anything else is ErrUnit rather than a silent rounding.
func (a Amount) In(u Unit) (Amount, error) {
	switch {
	case a.Unit == u:
		return a, nil
	case a.Unit == IRT && u == IRR:
		if a.Value > math.MaxInt64/10 || a.Value < math.MinInt64/10 {
			return Amount{}, fmt.Errorf("%w: %s in %s", ErrOverflow, a, u)
		}
		return Amount{a.Value * 10, IRR}, nil
	case a.Unit == IRR && u == IRT && a.Value%10 == 0:
		return Amount{a.Value / 10, IRT}, nil
	}
	return Amount{}, fmt.Errorf("%w: %s in %s", ErrUnit, a, u)
}

func (u Unit) valid() bool { return u == IRR || u == IRT }
