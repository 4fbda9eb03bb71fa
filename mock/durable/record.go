package durable

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// A segment file is a run of records, each
//
//	length  uint32 little-endian, of the payload
//	crc     uint32 little-endian, CRC-32C of the payload
//	payload kind byte, then the kind's body
//
// A record is whole only when its length and checksum agree, so a write cut off by
// a crash (a torn tail) is recognised and dropped at start-up.
const headerSize = 8

// maxRecord bounds a record's length, so a corrupt length is not taken for a
// gigantic allocation. A restore of a large snapshot is the biggest record there is.
const maxRecord = 1 << 30

const (
	kindMutation byte = 'm' // a store.Mutation
	kindMeta     byte = 'M' // the app's meta state (clock, scenarios), JSON
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendRecord appends one framed record with the given payload parts.
func appendRecord(buf []byte, kind byte, body func([]byte) []byte) []byte {
	start := len(buf)
	buf = append(buf, 0, 0, 0, 0, 0, 0, 0, 0, kind)
	buf = body(buf)
	payload := buf[start+headerSize:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.Checksum(payload, castagnoli))
	return buf
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// encodeMutation appends m's record; a Put's row is encoded into buf itself.
func encodeMutation(buf []byte, m *store.Mutation) ([]byte, error) {
	var err error
	out := appendRecord(buf, kindMutation, func(b []byte) []byte {
		b = append(b, byte(m.Op))
		b = appendString(b, m.Table)
		b = appendString(b, m.Tenant)
		b = appendString(b, m.ID)
		b, err = m.AppendValue(b)
		return b
	})
	if err != nil {
		return buf, err
	}
	return out, nil
}

func encodeMeta(buf []byte, meta []byte) []byte {
	return appendRecord(buf, kindMeta, func(b []byte) []byte { return append(b, meta...) })
}

var errShort = errors.New("durable: short record body")

func readString(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, errShort
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

func decodeMutation(body []byte) (store.Mutation, error) {
	var m store.Mutation
	if len(body) < 1 {
		return m, errShort
	}
	m.Op = store.Op(body[0])
	b := body[1:]
	var err error
	if m.Table, b, err = readString(b); err != nil {
		return m, err
	}
	if m.Tenant, b, err = readString(b); err != nil {
		return m, err
	}
	if m.ID, b, err = readString(b); err != nil {
		return m, err
	}
	if len(b) > 0 {
		m.Value = append([]byte(nil), b...)
	}
	return m, nil
}

// errTorn marks the end of the whole records in a segment: what follows is a
// record cut short or damaged.
var errTorn = errors.New("durable: torn record")

// readRecord reads one record from r. It returns io.EOF at a clean end, and errTorn
// for a partial or damaged record.
func readRecord(r io.Reader, hdr []byte) (kind byte, body []byte, n int, err error) {
	if _, err := io.ReadFull(r, hdr[:headerSize]); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, nil, 0, io.EOF
		}
		return 0, nil, 0, errTorn
	}
	size := binary.LittleEndian.Uint32(hdr)
	sum := binary.LittleEndian.Uint32(hdr[4:])
	if size < 1 || size > maxRecord {
		return 0, nil, 0, errTorn
	}
	payload := make([]byte, size)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, 0, errTorn
	}
	if crc32.Checksum(payload, castagnoli) != sum {
		return 0, nil, 0, errTorn
	}
	return payload[0], payload[1:], headerSize + int(size), nil
}
