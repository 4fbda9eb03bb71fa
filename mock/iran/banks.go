package iran

import (
	_ "embed"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// Bank is an Iranian bank or credit institution.
type Bank struct {
	Key    string   // English slug, e.g. "melli"
	NameFa string   // Persian name
	NameEn string   // English name
	Code   string   // three-digit IBAN bank code, e.g. "017"
	BINs   []string // six-digit card prefixes
}

func (b Bank) clone() Bank {
	b.BINs = append([]string(nil), b.BINs...)
	return b
}

//go:embed banks.yaml
var banksYAML []byte

type bankIndex struct {
	list          []Bank
	byCode, byKey map[string]int
	byBIN         map[string]int
}

// banks parses banks.yaml once, on first use.
var banks = parseOnce(parseBanks, banksYAML)

// parseOnce parses embedded data on first use. The data ships in the binary, so a
// parse failure is a build defect and panics (the tests catch it first).
func parseOnce[T any](parse func([]byte) (T, error), data []byte) func() T {
	return sync.OnceValue(func() T {
		v, err := parse(data)
		if err != nil {
			panic(err)
		}
		return v
	})
}

func parseBanks(data []byte) (*bankIndex, error) {
	var doc struct {
		Banks []struct {
			Key  string   `yaml:"key"`
			Fa   string   `yaml:"fa"`
			En   string   `yaml:"en"`
			Code string   `yaml:"code"`
			BINs []string `yaml:"bins"`
		} `yaml:"banks"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("iran: banks.yaml: %w", err)
	}
	idx := &bankIndex{byCode: map[string]int{}, byKey: map[string]int{}, byBIN: map[string]int{}}
	for i, b := range doc.Banks {
		if b.Key == "" || len(b.Code) != 3 || !digits.All(b.Code) {
			return nil, fmt.Errorf("iran: banks.yaml entry %d: bad key %q or code %q", i, b.Key, b.Code)
		}
		if _, dup := idx.byKey[b.Key]; dup {
			return nil, fmt.Errorf("iran: banks.yaml: duplicate key %q", b.Key)
		}
		if _, dup := idx.byCode[b.Code]; dup {
			return nil, fmt.Errorf("iran: banks.yaml: duplicate code %q", b.Code)
		}
		idx.byKey[b.Key] = i
		idx.byCode[b.Code] = i
		for _, bin := range b.BINs {
			if len(bin) != 6 || !digits.All(bin) {
				return nil, fmt.Errorf("iran: banks.yaml: %s: BIN %q is not 6 digits", b.Key, bin)
			}
			if _, dup := idx.byBIN[bin]; dup {
				return nil, fmt.Errorf("iran: banks.yaml: duplicate BIN %q", bin)
			}
			idx.byBIN[bin] = i
		}
		idx.list = append(idx.list, Bank{Key: b.Key, NameFa: b.Fa, NameEn: b.En, Code: b.Code, BINs: b.BINs})
	}
	return idx, nil
}

func lookup(m map[string]int, k string) (Bank, bool) {
	idx := banks()
	i, ok := m[k]
	if !ok {
		return Bank{}, false
	}
	return idx.list[i].clone(), true
}

// BankByCode returns the bank with the given three-digit IBAN code.
func BankByCode(code string) (Bank, bool) { return lookup(banks().byCode, code) }

// BankByKey returns the bank with the given slug, e.g. "pasargad".
func BankByKey(key string) (Bank, bool) { return lookup(banks().byKey, key) }

// BankByBIN returns the bank whose BIN starts cardOrPrefix, which may be a full
// card number or just its first six (or more) digits.
func BankByBIN(cardOrPrefix string) (Bank, bool) {
	if len(cardOrPrefix) < 6 || !digits.All(cardOrPrefix) {
		return Bank{}, false
	}
	return lookup(banks().byBIN, cardOrPrefix[:6])
}
