package meatware

import (
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
)

// onMessage closes ch the first time a log message contains substr.
type onMessage struct {
	substr string
	ch     chan struct{}
	once   sync.Once
}

func (h *onMessage) Levels() []logrus.Level { return logrus.AllLevels }

func (h *onMessage) Fire(e *logrus.Entry) error {
	if strings.Contains(e.Message, h.substr) {
		h.once.Do(func() { close(h.ch) })
	}
	return nil
}
