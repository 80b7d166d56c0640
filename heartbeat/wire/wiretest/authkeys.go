package wiretest

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"hbgo/authkeys"
)

// LoadKeyring reads a lab authkeys file ("auth N" and "N method [key]"
// lines) into a keyring. It is a test helper, not the authkeys parser: it
// does not apply Heartbeat's permission or syntax rules.
func LoadKeyring(path string) (*authkeys.Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring := &authkeys.Keyring{Active: -1, Keys: map[int]authkeys.Key{}}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if i := strings.IndexByte(t, '#'); i >= 0 {
			t = t[:i]
		}
		w := strings.Fields(t)
		if len(w) == 0 {
			continue
		}
		if w[0] == "auth" && len(w) == 2 {
			ring.Active, err = strconv.Atoi(w[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			continue
		}
		idx, err := strconv.Atoi(w[0])
		if err != nil || len(w) < 2 {
			return nil, fmt.Errorf("%s:%d: bad key line %q", path, line, t)
		}
		k := authkeys.Key{Index: idx, Method: authkeys.Method(w[1]), Line: line}
		if len(w) > 2 {
			k.Secret = w[2]
		}
		ring.Keys[idx] = k
	}
	if _, ok := ring.Keys[ring.Active]; !ok {
		return nil, fmt.Errorf("%s: active key %d not defined", path, ring.Active)
	}
	return ring, sc.Err()
}
