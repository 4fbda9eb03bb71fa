package fake

import "testing"

func TestHashDependsOnSeedAndEveryPart(t *testing.T) {
	base := Hash(7, "messageid", "key")
	for name, h := range map[string]uint64{
		"other seed":    Hash(8, "messageid", "key"),
		"other part":    Hash(7, "messageid", "kez"),
		"parts shifted": Hash(7, "messageidk", "ey"),
		"one part less": Hash(7, "messageid"),
	} {
		if h == base {
			t.Errorf("%s: same hash %d", name, h)
		}
	}
	if Hash(7, "messageid", "key") != base {
		t.Error("not stable")
	}
	if Hash(-3, "x") == Hash(3, "x") {
		t.Error("sign of the seed ignored")
	}
}

func TestRandIsFixedByItsKey(t *testing.T) {
	a, b := Rand(1, "owner", "IR1"), Rand(1, "owner", "IR1")
	for i := 0; i < 5; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("two generators of one key differ")
		}
	}
	if Rand(1, "owner", "IR1").Uint64() == Rand(1, "owner", "IR2").Uint64() {
		t.Error("different keys, same stream")
	}
}
