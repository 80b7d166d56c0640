package resourced

import (
	"context"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"hbgo/resourced/ocf"
)

// BenchmarkDummyMonitorDirect is the baseline: fork/exec of the Dummy agent
// with a hand-made environment, nothing else.
func BenchmarkDummyMonitorDirect(b *testing.B) {
	requireAgent(b, hbDummy)
	dir := b.TempDir()
	env := handEnv("bench-direct", "heartbeat", "Dummy", dir, 10*time.Second, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(hbDummy, "monitor")
		cmd.Env = env
		if err := cmd.Run(); err == nil {
			b.Fatal("monitor of a stopped Dummy exited 0")
		}
	}
}

// BenchmarkDummyMonitorRunner is the same monitor through Executor.Run
// (process group, capture, exit-reason parsing, result mapping).
func BenchmarkDummyMonitorRunner(b *testing.B) {
	requireAgent(b, hbDummy)
	e, _ := testExecutor(b, nil)
	op := Op{Resource: "bench-runner", Agent: Agent{ClassOCF, "heartbeat", "Dummy"}, Action: ActionMonitor, Interval: 10 * time.Second}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := e.Run(context.Background(), op); r.RC != ocf.NotRunning {
			b.Fatalf("rc %v", r.RC)
		}
	}
}

// Benchmark200ConcurrentMonitors runs one monitor on each of 200 started
// Dummy resources at once through the Manager; one iteration = 200
// monitors. Reported: wall time per batch and per monitor.
func Benchmark200ConcurrentMonitors(b *testing.B) {
	requireAgent(b, hbDummy)
	for _, workers := range []int{4, 16, 200} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			e, _ := testExecutor(b, nil)
			m := NewManager(ManagerConfig{Runner: e, Workers: workers})
			defer m.Close()
			ops := make([]Op, 200)
			for i := range ops {
				ops[i] = Op{Resource: fmt.Sprintf("bench-%d", i), Agent: Agent{ClassOCF, "heartbeat", "Dummy"}}
				if r := m.Execute(context.Background(), withAction(ops[i], ActionStart)); r.RC != ocf.Success {
					b.Fatalf("start: %+v", r)
				}
				ops[i] = withAction(ops[i], ActionMonitor)
				ops[i].Interval = 10 * time.Second
			}
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				var wg sync.WaitGroup
				var mu sync.Mutex
				bad := 0
				for _, op := range ops {
					wg.Add(1)
					go func(op Op) {
						defer wg.Done()
						if r := m.Execute(context.Background(), op); r.RC != ocf.Success {
							mu.Lock()
							bad++
							mu.Unlock()
						}
					}(op)
				}
				wg.Wait()
				if bad > 0 {
					b.Fatalf("%d monitors failed", bad)
				}
			}
			el := time.Since(start)
			b.ReportMetric(float64(el.Milliseconds())/float64(b.N), "ms/batch")
			b.ReportMetric(float64(el.Microseconds())/float64(b.N*len(ops))/1000, "ms/monitor")
		})
	}
}

func withAction(op Op, a string) Op {
	op.Action = a
	return op
}
