package main

import "strings"

// option is one result of getopt: an option letter with its argument, or
// an error message getopt would print (Opt is '?').
type option struct {
	Opt rune
	Arg string
	Err string
}

// getopt parses args (without the program name) like GNU getopt(3) with
// optstring: options may be clustered (-lS), arguments attached (-tnull)
// or separate (-t null), and non-option arguments are moved after the
// options in their original order (GNU permutation); "--" ends the
// options. It returns the options in order and the non-options.
func getopt(prog, optstring string, args []string) (opts []option, rest []string) {
	takesArg := func(c byte) (known, arg bool) {
		if c == ':' {
			return false, false
		}
		i := strings.IndexByte(optstring, c)
		if i < 0 {
			return false, false
		}
		return true, i+1 < len(optstring) && optstring[i+1] == ':'
	}
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
		for j := 1; j < len(a); j++ {
			c := a[j]
			known, needArg := takesArg(c)
			if !known {
				opts = append(opts, option{Opt: '?', Err: prog + ": invalid option -- '" + string(c) + "'"})
				continue
			}
			if !needArg {
				opts = append(opts, option{Opt: rune(c)})
				continue
			}
			if j+1 < len(a) {
				opts = append(opts, option{Opt: rune(c), Arg: a[j+1:]})
			} else if i+1 < len(args) {
				i++
				opts = append(opts, option{Opt: rune(c), Arg: args[i]})
			} else {
				opts = append(opts, option{Opt: '?', Err: prog + ": option requires an argument -- '" + string(c) + "'"})
			}
			break
		}
	}
	return opts, rest
}
