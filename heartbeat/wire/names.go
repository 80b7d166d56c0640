package wire

// Message types (the value of the "t" field) Heartbeat 3.0.6 sends.
// Part of the protocol: only append.
const (
	TypeStatus        = "status"          // keepalive with the sender's status
	TypeAck           = "NS_ackmsg"       // acknowledgement of reliable messages
	TypeRexmit        = "NS_rexmit"       // retransmission request
	TypeNakRexmit     = "NS_nak_rexmit"   // "cannot retransmit" answer
	TypePingStatus    = "NS_st"           // ping-node pseudo status (ICMP data)
	TypeReqNodes      = "reqnodes"        // ask a node for its node list
	TypeRepNodes      = "repnodes"        // answer to reqnodes
	TypeStarting      = "starting"        // local node starts the v1 resource logic
	TypeResource      = "resource"        // v1 resource ownership announcement
	TypeAskResources  = "ask_resources"   // auto_failback handshake
	TypeIPRequest     = "ip-request"      // v1 resource request
	TypeIPRequestResp = "ip-request-resp" // v1 resource acquisition notice
	TypeStonith       = "stonith"         // result of fencing a dead node
	TypeShutdone      = "shutdone"        // last message of a graceful stop
	TypeTakeover      = "hb_takeover"     // manual takeover request
)

// NoSeqPrefix starts the type of every message that carries no sequence
// number and bypasses reliable delivery (NS_ackmsg, NS_rexmit, NS_st ...).
const NoSeqPrefix = "NS_"

// Field names Heartbeat 3.0.6 uses. Part of the protocol: only append.
const (
	FieldType        = "t"           // message type
	FieldStatus      = "st"          // node status
	FieldDeadtime    = "dt"          // sender's deadtime in ms, hex
	FieldProtocol    = "protocol"    // protocol version, "1"
	FieldSrc         = "src"         // sender node name
	FieldSrcUUID     = "srcuuid"     // sender node UUID, binary 16 bytes
	FieldDest        = "dest"        // addressee node name; absent = everybody
	FieldDestUUID    = "destuuid"    // addressee node UUID, binary 16 bytes
	FieldSeq         = "seq"         // per-sender sequence number, hex
	FieldGeneration  = "hg"          // sender's generation, hex
	FieldTimestamp   = "ts"          // sender's wall clock, Unix seconds, hex
	FieldLoad        = "ld"          // sender's /proc/loadavg line
	FieldTTL         = "ttl"         // relay hop budget
	FieldAuth        = "auth"        // in-body signature "IDX HEX", always last
	FieldAckSeq      = "ackseq"      // acknowledged sequence number, hex
	FieldFirstSeq    = "firstseq"    // first requested seq, decimal (hex in NS_nak_rexmit)
	FieldLastSeq     = "lastseq"     // last requested seq, decimal
	FieldComment     = "comment"     // free text (NS_nak_rexmit reason)
	FieldInfo        = "info"        // free text / sub-command
	FieldNodeList    = "nodelist"    // repnodes: space separated node names
	FieldDelNodeList = "delnodelist" // repnodes: deleted node names
	FieldRscHold     = "rsc_hold"    // v1: none/local/foreign/all
	FieldRType       = "rtype"       // v1: "full"
	FieldIsStable    = "isstable"    // v1: 0/1
	FieldIPAddr      = "ipaddr"      // v1: haresources resource string
	FieldWeOwn       = "weown"       // v1: "yes"
	FieldOK          = "ok"          // v1: "OK"
	FieldNode        = "node"        // stonith: the fenced node
	FieldResult      = "result"      // stonith: n_stnth / unneeded
)
