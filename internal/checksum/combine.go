package checksum

// CRC combination: CRC(A||B) from CRC(A), CRC(B) and len(B), without the data. This is
// zlib's crc32_combine (multmodp / x2nmodp) generalised to any reflected CRC whose initial
// value equals its final xor (true of CRC32, CRC32C and CRC64NVME: all ones), for which
// CRC(A||B) = CRC(A)·x^(8·len(B)) mod P  xor  CRC(B).

// crcSpec is a reflected CRC of width bits with polynomial poly (reflected form).
type crcSpec struct {
	width uint
	poly  uint64
}

var (
	specCRC32     = crcSpec{32, polyCRC32}
	specCRC32C    = crcSpec{32, polyCRC32C}
	specCRC64NVME = crcSpec{64, polyCRC64NVME}
)

// multModP returns a·b mod P. In the reflected representation the top bit (1<<(width-1)) is
// x^0 and shifting right multiplies by x.
func (s crcSpec) multModP(a, b uint64) uint64 {
	m := uint64(1) << (s.width - 1)
	var p uint64
	for m != 0 {
		if a&m != 0 {
			p ^= b
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ s.poly
		} else {
			b >>= 1
		}
	}
	return p
}

// xPow8n returns x^(8n) mod P by square and multiply.
func (s crcSpec) xPow8n(n uint64) uint64 {
	one := uint64(1) << (s.width - 1)
	result := one
	base := one >> 8 // x^8
	for n != 0 {
		if n&1 != 0 {
			result = s.multModP(result, base)
		}
		base = s.multModP(base, base)
		n >>= 1
	}
	return result
}

// combine returns the CRC of A||B given crcA, crcB and len(B).
func (s crcSpec) combine(crcA, crcB uint64, lenB int64) uint64 {
	if lenB <= 0 {
		return crcA ^ crcB // crcB is the CRC of nothing, 0, unless the caller erred
	}
	return s.multModP(s.xPow8n(uint64(lenB)), crcA) ^ crcB
}
