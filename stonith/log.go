package stonith

import (
	"io"

	"github.com/sirupsen/logrus"
)

// FieldSeverity is the log field that raises an Error-level entry to
// cluster-glue's CRIT severity; logrus has no level between Error and
// Fatal, and Fatal exits.
const FieldSeverity = "severity"

// SeverityCrit is the FieldSeverity value for critical messages.
const SeverityCrit = "crit"

// Crit returns log marked so that the stonith command prints the entry as
// "CRIT:" (operator intervention, failed resets).
func Crit(log *logrus.Entry) *logrus.Entry {
	return log.WithField(FieldSeverity, SeverityCrit)
}

// DiscardLogger returns an entry that drops everything, for callers that
// pass no logger.
func DiscardLogger() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return logrus.NewEntry(l)
}

// OrDiscard returns log, or a discarding logger when log is nil.
func OrDiscard(log *logrus.Entry) *logrus.Entry {
	if log == nil {
		return DiscardLogger()
	}
	return log
}
