// Package fake derives sandbank's made-up data (ids, names, balances, owners of
// unknown accounts) from the seed and the thing being made up, never from one
// shared random stream, so a value depends on (seed, key) only: the same run
// gives the same answers whatever other requests came first or ran in parallel.
package fake

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
)

// Hash is the seeded 64-bit hash of parts (FNV-1a over the seed in decimal,
// then each part after a zero byte, so ("ab","c") and ("a","bc") differ).
func Hash(seed int64, parts ...string) uint64 {
	h := fnv.New64a()
	var buf [20]byte
	_, _ = h.Write(strconv.AppendInt(buf[:0], seed, 10))
	for _, s := range parts {
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(s))
	}
	return h.Sum64()
}

// Rand is a generator fixed by the seed and parts, for drawing several values
// about one key.
func Rand(seed int64, parts ...string) *rand.Rand {
	s := Hash(seed, parts...)
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}
