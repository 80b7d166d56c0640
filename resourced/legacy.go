package resourced

import (
	"fmt"
	"strings"
)

// legacyWrapper maps the positional arguments of one heartbeat 3.0.6
// resource.d wrapper (the scripts that source hto-mapfuncs) onto the OCF
// parameters and instance name the wrapper would have used.
type legacyWrapper struct {
	minArgs, maxArgs int // accepted argument counts (action excluded); -1 = any
	usage            string
	mapArgs          func(args []string) (params map[string]string, instance string, err error)
}

// positional maps args in order onto names; instance is Type_<arg idx>.
func positional(typ string, instArg int, names ...string) func([]string) (map[string]string, string, error) {
	return func(args []string) (map[string]string, string, error) {
		p := map[string]string{}
		for i, a := range args {
			if i < len(names) {
				p[names[i]] = a
			}
		}
		inst := typ
		if instArg >= 0 {
			inst = typ + "_"
			if instArg < len(args) {
				inst += args[instArg]
			}
		}
		return p, inst, nil
	}
}

// legacyWrappers holds the wrappers shipped in /etc/ha.d/resource.d by the
// heartbeat 3.0.6 package; argument counts, parameter names and instance
// names follow each wrapper script.
var legacyWrappers = map[string]legacyWrapper{
	"IPaddr":  {1, 1, "ip-address[/netmask[/interface[/broadcast]]]", ipaddrArgs("IPaddr", "0")},
	"IPaddr2": {1, 1, "ip-address[/netmaskbits[/interface[:label][/broadcast]]]", ipaddrArgs("IPaddr2", "1")},
	"Filesystem": {2, 4, "<device> <directory> [<fstype> [<options>]]",
		positional("Filesystem", 0, "device", "directory", "fstype", "options")},
	"Delay":     {0, 2, "[delay [stopdelay]]", delayArgs},
	"IPsrcaddr": {1, 1, "<ip-address>", positional("IPsrcaddr", -1, "ipaddress")},
	"IPv6addr":  {1, 1, "<ip-address>", ipv6Args},
	"LVM":       {1, 1, "<volume group>", positional("LVM", -1, "volgrpname")},
	"LinuxSCSI": {1, 1, "<host>:<channel>:<target>[:<lun>]", positional("LinuxSCSI", 0, "scsi")},
	"MailTo":    {1, 2, "<email> [<subject>]", positional("MailTo", -1, "email", "subject")},
	"Raid1":     {2, 2, "<raidtab_config_file> <md_dev_name>", positional("Raid1", 0, "raidconf", "raiddev")},
	"SendArp":   {1, 1, "ip-address/interface", sendArpArgs},
	"ServeRAID": {2, 2, "<serveraid#> <sharedmergegroup#>", positional("ServeRAID", 0, "serveraid", "mergegroup")},
	"ICP":       {2, 2, "<ICP cluster drive ID> <device>", positional("ICP", 0, "driveid", "device")},
	"WinPopup":  {0, 1, "[workstationfile]", winPopupArgs},
	"Xinetd":    {1, 1, "<service>", positional("Xinetd", -1, "service")},
	"apache":    {0, 1, "[config-file-pathname]", apacheArgs},
	"db2":       {1, 1, "db2-database-owner-id", positional("db2", 0, "instance")},
	"ids":       {0, 3, "[<INFORMIXDIR> <INFORMIXSERVER> <ONCONFIG>]", idsArgs},
	"portblock": {3, 3, "{udp|tcp} portno,portno {block|unblock}", portblockArgs},
	"AudibleAlarm": {0, -1, "[node1 node2 ...]", func(args []string) (map[string]string, string, error) {
		p := map[string]string{}
		if len(args) > 0 {
			// The wrapper cuts the action off "$*", leaving a trailing space.
			p["nodelist"] = strings.Join(args, " ") + " "
		}
		return p, "AudibleAlarm", nil
	}},
}

// LegacyNames returns the wrapper names MapLegacy knows.
func LegacyNames() []string {
	out := make([]string, 0, len(legacyWrappers))
	for n := range legacyWrappers {
		out = append(out, n)
	}
	return out
}

// MapLegacy turns a heartbeat-class resource NAME::args into the OCF
// operation (agent ocf:heartbeat:NAME, parameters, instance id) its
// resource.d wrapper would have run. The Action, Timeout and Interval of
// the returned Op are left for the caller. Wrong argument counts give an
// error wrapping ErrBadOp carrying the wrapper's usage text.
func MapLegacy(name string, args []string) (Op, error) {
	w, ok := legacyWrappers[name]
	if !ok {
		return Op{}, fmt.Errorf("%w: %s is not a known heartbeat wrapper", ErrNotInstalled, name)
	}
	if len(args) < w.minArgs || (w.maxArgs >= 0 && len(args) > w.maxArgs) {
		return Op{}, fmt.Errorf("%w: usage: %s %s (start|stop|status)", ErrBadOp, name, w.usage)
	}
	params, inst, err := w.mapArgs(args)
	if err != nil {
		return Op{}, err
	}
	return Op{
		Resource: inst,
		Agent:    Agent{Class: ClassOCF, Provider: "heartbeat", Type: name},
		Params:   params,
	}, nil
}

// SplitIPaddrArg splits the IPaddr/IPaddr2 argument
// IP[/MASK[/IFACE[/BROADCAST]]] the way the wrappers' sed lines do: runs
// of "/" after the IP are skipped; a third field starting with a digit is
// the broadcast address (form IP/MASK/BROADCAST).
func SplitIPaddrArg(arg string) (ip, mask, nic, broadcast string) {
	ip, rest, _ := strings.Cut(arg, "/")
	rest = strings.TrimLeft(rest, "/")
	if rest == "" {
		return ip, "", "", ""
	}
	mask, rest, _ = strings.Cut(rest, "/")
	rest = strings.TrimLeft(rest, "/")
	field, rest, _ := strings.Cut(rest, "/")
	switch {
	case field == "":
	case field[0] >= '0' && field[0] <= '9':
		broadcast = field
	default:
		nic = field
		broadcast, _, _ = strings.Cut(strings.TrimLeft(rest, "/"), "/")
	}
	return ip, mask, nic, broadcast
}

func ipaddrArgs(typ, lvs string) func([]string) (map[string]string, string, error) {
	return func(args []string) (map[string]string, string, error) {
		ip, mask, nic, bcast := SplitIPaddrArg(args[0])
		p := map[string]string{"ip": ip, "lvs_support": lvs}
		// The wrapper exports empty values too; agents test -z, so leaving
		// them unset is equivalent.
		setNonEmpty(p, "cidr_netmask", mask)
		setNonEmpty(p, "nic", nic)
		setNonEmpty(p, "broadcast", bcast)
		return p, typ + "_" + ip, nil
	}
}

func setNonEmpty(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// delayArgs follows the Delay wrapper: without arguments it names the
// instance Delay_10 but does not export startdelay (the agent then uses
// its own default).
func delayArgs(args []string) (map[string]string, string, error) {
	p := map[string]string{}
	inst := "Delay_10"
	if len(args) > 0 {
		// An empty first argument is exported, then replaced by 10.
		p["startdelay"] = "10"
		if args[0] != "" {
			p["startdelay"] = args[0]
			inst = "Delay_" + args[0]
		}
	}
	if len(args) > 1 {
		p["stopdelay"] = args[1]
	}
	return p, inst, nil
}

func ipv6Args(args []string) (map[string]string, string, error) {
	addr, rest, _ := strings.Cut(args[0], "/")
	p := map[string]string{"ipv6addr": addr}
	mask, rest, _ := strings.Cut(rest, "/")
	setNonEmpty(p, "cidr_netmask", mask)
	nic, _, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	setNonEmpty(p, "nic", nic)
	return p, "IPv6addr_" + args[0], nil
}

func sendArpArgs(args []string) (map[string]string, string, error) {
	ip, nic, _ := strings.Cut(args[0], "/")
	return map[string]string{"ip": ip, "nic": nic}, "SendArp_" + ip, nil
}

func winPopupArgs(args []string) (map[string]string, string, error) {
	host := "hosts"
	if len(args) == 1 {
		host = args[0]
	}
	return map[string]string{"hostfile": host}, "WinPopup", nil
}

func apacheArgs(args []string) (map[string]string, string, error) {
	p := map[string]string{}
	inst := "apache_"
	if len(args) == 1 {
		p["configfile"] = args[0]
		inst += args[0]
	}
	return p, inst, nil
}

func idsArgs(args []string) (map[string]string, string, error) {
	switch len(args) {
	case 0:
		return map[string]string{}, "ids_", nil
	case 3:
		return map[string]string{"informixdir": args[0], "informixserver": args[1], "onconfig": args[2]}, "ids_" + args[1], nil
	}
	return nil, "", fmt.Errorf("%w: usage: ids [<INFORMIXDIR> <INFORMIXSERVER> <ONCONFIG>] (start|stop|status)", ErrBadOp)
}

func portblockArgs(args []string) (map[string]string, string, error) {
	return map[string]string{"protocol": args[0], "portno": args[1], "action": args[2]},
		"portblock_" + args[0] + "_" + args[1] + "_" + args[2], nil
}
