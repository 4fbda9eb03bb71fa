package ledger

import "fmt"

// Validate lets a state restore (store.Validator) refuse an account no sequence of
// postings could reach: a debit or an outgoing hold that the available balance does
// not cover is refused (Post, Hold), so the balance is never negative, never below
// what is held, and no hold is negative.
func (a account[M]) Validate() error {
	if a.Balance < 0 {
		return fmt.Errorf("negative balance %d", a.Balance)
	}
	for _, h := range a.Holds {
		if h.Amount < 0 {
			return fmt.Errorf("hold %q: negative amount %d", h.ID, h.Amount)
		}
	}
	if held := a.held(); held > a.Balance {
		return fmt.Errorf("holds of %d exceed the balance %d", held, a.Balance)
	}
	return nil
}
