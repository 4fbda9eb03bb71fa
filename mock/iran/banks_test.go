package iran

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

func TestBankTable(t *testing.T) {
	all := Banks()
	if len(all) < 30 {
		t.Fatalf("only %d banks", len(all))
	}
	codes, keys, bins := map[string]bool{}, map[string]bool{}, map[string]string{}
	for i, b := range all {
		if len(b.Code) != 3 || !digits.All(b.Code) {
			t.Errorf("%s: code %q is not 3 digits", b.Key, b.Code)
		}
		if codes[b.Code] {
			t.Errorf("code %s used twice", b.Code)
		}
		if i > 0 && all[i-1].Code >= b.Code {
			t.Errorf("banks not in code order at %s", b.Code)
		}
		if keys[b.Key] {
			t.Errorf("key %s used twice", b.Key)
		}
		codes[b.Code], keys[b.Key] = true, true
		if b.NameFa == "" || b.NameEn == "" || len(b.BINs) == 0 {
			t.Errorf("%s: incomplete entry %+v", b.Key, b)
		}
		for _, bin := range b.BINs {
			if len(bin) != 6 || !digits.All(bin) {
				t.Errorf("%s: BIN %q is not 6 digits", b.Key, bin)
			}
			if other, dup := bins[bin]; dup {
				t.Errorf("BIN %s is both %s and %s", bin, other, b.Key)
			}
			bins[bin] = b.Key
		}
	}
}

func TestBankLookups(t *testing.T) {
	tests := []struct {
		code, key string
		bins      []string
	}{
		{"017", "melli", []string{"603799"}},
		{"015", "sepah", []string{"589210"}},
		{"012", "mellat", []string{"610433", "991975"}},
		{"018", "tejarat", []string{"627353", "585983"}},
		{"057", "pasargad", []string{"502229", "639347"}},
		{"054", "parsian", []string{"622106", "639194", "627884"}},
		{"078", "middle-east", []string{"585947"}},
		{"020", "tosee-saderat", []string{"207177", "627648"}},
	}
	for _, tt := range tests {
		b, ok := BankByCode(tt.code)
		if !ok || b.Key != tt.key {
			t.Errorf("BankByCode(%s) = %q, %v; want %q", tt.code, b.Key, ok, tt.key)
		}
		if b, ok := BankByKey(tt.key); !ok || b.Code != tt.code {
			t.Errorf("BankByKey(%s) = %q, %v; want code %s", tt.key, b.Code, ok, tt.code)
		}
		for _, bin := range tt.bins {
			if b, ok := BankByBIN(bin); !ok || b.Key != tt.key {
				t.Errorf("BankByBIN(%s) = %q, %v; want %q", bin, b.Key, ok, tt.key)
			}
			if b, ok := BankByBIN(bin + "1234567890"); !ok || b.Key != tt.key {
				t.Errorf("BankByBIN(card %s...) = %q, %v; want %q", bin, b.Key, ok, tt.key)
			}
		}
	}
	for _, miss := range []string{"", "60379", "000000", "abcdef"} {
		if b, ok := BankByBIN(miss); ok {
			t.Errorf("BankByBIN(%q) = %q, want none", miss, b.Key)
		}
	}
	if _, ok := BankByCode("999"); ok {
		t.Error("BankByCode(999) found a bank")
	}
	if _, ok := BankByKey("khavarmianeh"); ok {
		t.Error("Middle East Bank must have a single entry, under middle-east")
	}
	if _, ok := CardBank("603799"); ok {
		t.Error("CardBank accepted a bare BIN")
	}
}

func TestBanksReturnsCopies(t *testing.T) {
	Banks()[0].BINs[0] = "000000"
	b, _ := BankByKey("melli")
	b.BINs[0] = "000000"
	if _, ok := BankByBIN("000000"); ok {
		t.Fatal("mutating a returned Bank changed the table")
	}
	if b, _ := BankByKey("melli"); b.BINs[0] != "603799" {
		t.Fatalf("melli BIN changed to %s", b.BINs[0])
	}
}
