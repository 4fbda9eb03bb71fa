package kavenegar

import "fmt"

// Validate lets a state restore refuse an account no sequence of calls could reach:
// a send that costs more than the credit is refused (send.go), so credit is never
// negative.
func (a account) Validate() error {
	if a.Credit < 0 {
		return fmt.Errorf("negative credit %d", a.Credit)
	}
	return nil
}
