package authkeys

// crcTable is CRC-32 with polynomial 0x04C11DB7, MSB first (not reflected):
// the checksum Heartbeat's crc method uses. Go's hash/crc32 only offers the
// reflected form, so the table is built here.
var crcTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for b := 0; b < 8; b++ {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04C11DB7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return
}()

// crc32POSIX computes CRC-32/POSIX without the length suffix cksum(1)
// appends: init 0, not reflected, final XOR 0xFFFFFFFF.
func crc32POSIX(data []byte) uint32 {
	var c uint32
	for _, b := range data {
		c = c<<8 ^ crcTable[byte(c>>24)^b]
	}
	return ^c
}
