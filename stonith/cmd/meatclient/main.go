// Command meatclient confirms a pending meatware STONITH request after the
// operator has power-cycled the node by hand, compatible with
// cluster-glue's meatclient (same FIFO, record, prompts and exit codes):
//
//	meatclient -c node [-w]
//
// -w waits for the request to appear. HBGO_MEATWARE_DIR overrides the
// FIFO directory (/run).
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"hbgo/stonith"
	"hbgo/stonith/meatware"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr, os.Getenv("HBGO_MEATWARE_DIR"), time.Second)
	stop()
	os.Exit(code)
}

// run is meatclient with its surroundings injected; poll is the interval
// at which -w looks for the FIFO.
func run(ctx context.Context, argv []string, stdin io.Reader, stdout, stderr io.Writer, dir string, poll time.Duration) int {
	cmdname := filepath.Base(argv[0])
	var host string
	var clear, wait bool
	errs := 0
	args := argv[1:]
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
	cluster:
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'w':
				wait = true
			case 'c':
				switch {
				case j+1 < len(a):
					host = a[j+1:]
				case i+1 < len(args):
					i++
					host = args[i]
				default:
					fmt.Fprintf(stderr, "%s: option requires an argument -- 'c'\n", argv[0])
					errs++
					break cluster
				}
				clear = true
				break cluster
			default:
				fmt.Fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], a[j])
				errs++
			}
		}
	}
	if len(rest) != 0 || !clear {
		errs++
	}
	if errs > 0 {
		fmt.Fprintf(stderr, "usage: %s -c node [-w]\n", cmdname)
		return int(stonith.Inval)
	}
	host = stonith.Lower(host)
	path := meatware.FIFOPath(dir, host)
	if wait {
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			if _, err := os.Stat(path); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return int(stonith.Oops)
			case <-t.C:
			}
		}
	}
	f, err := meatware.Open(dir, host)
	if err != nil {
		fmt.Fprintf(stderr, "Meatware_IPC failed: %s: %s\n", path, errnoText(err))
		return int(stonith.BadHost)
	}
	defer f.Close()
	fmt.Fprintf(stdout, "\nWARNING!\n\n"+
		"If node \"%s\" has not been manually power-cycled or disconnected from all shared resources and networks, "+
		"data on shared disks may become corrupted and migrated services might not work as expected.\n"+
		"Please verify that the name or address above corresponds to the node you just rebooted.\n\n"+
		"PROCEED? [yN] ", host)
	// scanf("%s"): the first white-space delimited word.
	sc := bufio.NewScanner(stdin)
	sc.Split(bufio.ScanWords)
	if !sc.Scan() || sc.Text()[0] != 'y' {
		fmt.Fprintf(stdout, "Meatware_client: operation canceled.\n")
		return int(stonith.Inval)
	}
	if err := meatware.Confirm(f, host); err != nil {
		fmt.Fprintf(stderr, "Meatware_IPC failed: %s: %s\n", path, errnoText(err))
		return int(stonith.Oops)
	}
	fmt.Fprintf(stdout, "Meatware_client: reset confirmed.\n")
	return int(stonith.OK)
}

// errnoText is perror's wording for the underlying errno.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" && 'a' <= s[0] && s[0] <= 'z' {
			return string(s[0]-'a'+'A') + s[1:]
		}
	}
	return err.Error()
}
