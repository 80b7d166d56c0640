package authkeys

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
)

// Method is an authentication method of authkeys. The names are part of the
// file format and of the protocol: only append.
type Method string

// The methods Heartbeat 3.0.6 ships (HBauth plugins).
const (
	CRC  Method = "crc"  // CRC-32 checksum: integrity only, takes no key
	MD5  Method = "md5"  // HMAC-MD5 with the key string
	SHA1 Method = "sha1" // HMAC-SHA1 with the key string
)

// MaxKeys is the number of key slots (0..15).
const MaxKeys = 16

// NeedsKey reports whether the method requires a secret.
func (m Method) NeedsKey() bool { return m == MD5 || m == SHA1 }

// Valid reports whether m is a method Heartbeat 3.0.6 knows.
func (m Method) Valid() bool { return m == CRC || m == MD5 || m == SHA1 }

// Key is one key line of authkeys.
type Key struct {
	Index  int    // 0..15
	Method Method // crc, md5 or sha1
	Secret string // empty for crc
	Line   int    // line in the file, for messages
}

// Digest returns the lower-case hex digest of data under this key, in the
// form Heartbeat puts on the wire (crc: no leading zeros).
func (k Key) Digest(data []byte) string {
	switch k.Method {
	case CRC:
		return strconv.FormatUint(uint64(crc32POSIX(data)), 16)
	case MD5:
		return hmacHex(md5.New, k.Secret, data)
	case SHA1:
		return hmacHex(sha1.New, k.Secret, data)
	}
	return ""
}

func hmacHex(h func() hash.Hash, secret string, data []byte) string {
	m := hmac.New(h, []byte(secret))
	m.Write(data)
	var sum [sha1.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// Keyring is the parsed authkeys file: the key used to sign (Active) and
// every key accepted on receive.
type Keyring struct {
	Active int
	Keys   map[int]Key
}

// Errors of verification. Callers log them with the sender's name.
var (
	// ErrUnknownKey means the packet names a key index absent from authkeys.
	ErrUnknownKey = errors.New("packet signed with a key not in authkeys")
	// ErrBadDigest means the digest does not match: wrong key or altered packet.
	ErrBadDigest = errors.New("packet signature does not match")
)

// ActiveKey returns the signing key.
func (r *Keyring) ActiveKey() Key { return r.Keys[r.Active] }

// Sign returns the active key index and the digest of data.
func (r *Keyring) Sign(data []byte) (int, string) {
	k := r.ActiveKey()
	return k.Index, k.Digest(data)
}

// Verify checks digest (hex, as found on the wire) of data under key index.
func (r *Keyring) Verify(index int, data []byte, digest string) error {
	k, ok := r.Keys[index]
	if !ok {
		return fmt.Errorf("%w (key %d)", ErrUnknownKey, index)
	}
	if !hmac.Equal([]byte(k.Digest(data)), []byte(digest)) {
		return fmt.Errorf("%w (key %d, %s)", ErrBadDigest, index, k.Method)
	}
	return nil
}
